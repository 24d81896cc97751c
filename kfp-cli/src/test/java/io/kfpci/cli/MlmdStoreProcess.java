package io.kfpci.cli;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfpci.python.PythonEnvironmentException;
import io.kfpci.python.PythonSettings;
import io.kfpci.python.Venv;
import io.kfpci.python.VenvManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real ML Metadata store (ml-metadata's C++ store over SQLite) behind kfp-core's test gRPC
 * server (mlmd_server.py), started empty or from a fixture document, and filled while it serves:
 * {@link #record} sends one launcher-shaped document on the server's stdin and waits for its reply
 * line, so what a test records is in the store when the call returns. Closing stdin stops the
 * server.
 *
 * <p>One thread at a time may call {@link #record} (it is synchronized).
 */
final class MlmdStoreProcess implements AutoCloseable {
  private static final Path FIXTURES = CliRun.repoRoot().resolve("kfp-core/src/test/resources/artifacts/RunMetadataReaderTest");
  static final Path SERVER = FIXTURES.resolve("mlmd_server.py");
  /** kfp-core's launcher-shaped run "run-1": a cache hit, two tasks, two ParallelFor iterations. */
  static final Path LAUNCHER_RUN = FIXTURES.resolve("launcher_run.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final OutputStream stdin;
  private final BufferedReader stdout;
  private final Path log;
  private final String address;

  private MlmdStoreProcess(Process process, Path log, String address) {
    this.process = process;
    this.stdin = process.getOutputStream();
    this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.log = log;
    this.address = address;
  }

  /**
   * Starts an empty store in {@code dir}. When its venv cannot be installed the calling test is
   * skipped with the reason, or fails under CI (where it must work).
   */
  static MlmdStoreProcess start(Path dir) throws IOException, InterruptedException {
    return start(dir, Files.writeString(dir.resolve("empty.json"), "{\"runs\": []}"));
  }

  /**
   * Starts a store in {@code dir} holding {@link #LAUNCHER_RUN} under {@code runId} (the run id a
   * KFP emulator gave), as {@link #start(Path, Path)}.
   */
  static MlmdStoreProcess startWithLauncherRun(Path dir, String runId) throws IOException, InterruptedException {
    return start(dir, Files.writeString(dir.resolve("run.json"),
        Files.readString(LAUNCHER_RUN).replace("\"run-1\"", "\"" + runId + "\"")));
  }

  /**
   * Starts a store in {@code dir} holding {@code fixture} (a {@code {"runs": [...]}} document). When
   * its venv cannot be installed the calling test is skipped with the reason, or fails under CI.
   */
  static MlmdStoreProcess start(Path dir, Path fixture) throws IOException, InterruptedException {
    Venv venv;
    try {
      venv = new VenvManager(PythonSettings.defaults()).ensure(List.of("ml-metadata==1.17.1"));
    } catch (PythonEnvironmentException e) {
      String reason = "the real ML Metadata store cannot be installed here: " + e.getMessage();
      if (System.getenv("CI") != null) {
        fail(reason);
      }
      assumeTrue(false, reason);
      return null;
    }
    Path portFile = dir.resolve("port.json");
    Path log = dir.resolve("mlmd-server.log");
    // stdout carries the replies; stderr (grpc's and the store's own messages) goes to a file.
    Process process = new ProcessBuilder(venv.python().toString(), SERVER.toString(), fixture.toString(),
        dir.resolve("mlmd.sqlite").toString(), portFile.toString()).redirectError(log.toFile()).start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(portFile)) {
      // Polls a file another process writes: no event to wait on across processes.
      if (!process.isAlive() || System.nanoTime() > until) {
        process.destroyForcibly();
        throw new IllegalStateException("the MLMD test server did not start:\n" + Files.readString(log));
      }
      Thread.sleep(50);
    }
    return new MlmdStoreProcess(process, log, "127.0.0.1:" + JSON.readTree(portFile.toFile()).get("port").asInt());
  }

  /** HOST:PORT of the store's gRPC service. */
  String address() {
    return address;
  }

  /**
   * Records one document ({@code {"runs": [...]}}, as mlmd_server.py describes) and returns the
   * execution ids of its keys.
   *
   * @throws IllegalStateException when the store refused it or the server died, with why
   */
  synchronized JsonNode record(JsonNode document) {
    try {
      stdin.write((JSON.writeValueAsString(document) + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      String reply = stdout.readLine();
      if (reply == null) {
        throw new IllegalStateException("the MLMD test server ended while recording " + document + ":\n"
            + Files.readString(log));
      }
      JsonNode parsed = JSON.readTree(reply);
      if (parsed.has("error")) {
        throw new IllegalStateException("the MLMD store refused " + document + ": " + parsed.get("error").asText());
      }
      return parsed.get("execution_ids");
    } catch (IOException e) {
      throw new UncheckedIOException("talking to the MLMD test server failed", e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    try {
      stdin.close(); // the server stops when its stdin closes
    } catch (IOException e) {
      // Already gone: nothing to stop gracefully.
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
