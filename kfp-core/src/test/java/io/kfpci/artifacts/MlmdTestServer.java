package io.kfpci.artifacts;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfpci.python.PythonEnvironmentException;
import io.kfpci.python.PythonSettings;
import io.kfpci.python.Venv;
import io.kfpci.python.VenvManager;
import io.kfpci.testing.Fixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real ML Metadata store (the C++ MetadataStore over SQLite from PyPI's ml-metadata wheel) behind
 * a small grpcio server (mlmd_server.py), filled from a fixture shaped as the KFP launcher writes
 * it. The wheel lives in its own managed venv in the kfpci cache. Without it (no network, no wheel
 * for this Python) the tests skip with the reason, and fail when CI is set.
 */
final class MlmdTestServer implements AutoCloseable {
  static final String REQUIREMENT = "ml-metadata==1.17.1";

  private final Process process;
  private final int port;
  private final JsonNode executionIds;

  private MlmdTestServer(Process process, int port, JsonNode executionIds) {
    this.process = process;
    this.port = port;
    this.executionIds = executionIds;
  }

  static MlmdTestServer start(Class<?> test, String fixture, Path directory) throws Exception {
    Venv venv;
    try {
      venv = new VenvManager(PythonSettings.defaults()).ensure(List.of(REQUIREMENT));
    } catch (PythonEnvironmentException e) {
      String reason = "the real ML Metadata store (" + REQUIREMENT + ") cannot be installed here: " + e.getMessage();
      if (System.getenv("CI") != null) {
        fail(reason);
      }
      assumeTrue(false, reason);
      throw e;
    }
    Path script = directory.resolve("mlmd_server.py");
    Files.write(script, Fixtures.bytes(test, "mlmd_server.py"));
    Path data = directory.resolve(fixture);
    Files.write(data, Fixtures.bytes(test, fixture));
    Path portFile = directory.resolve("port.json");
    Process process = new ProcessBuilder(venv.python().toString(), script.toString(), data.toString(),
        directory.resolve("mlmd.sqlite").toString(), portFile.toString())
        .redirectErrorStream(true).redirectOutput(directory.resolve("server.log").toFile()).start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(portFile)) {
      if (!process.isAlive() || System.nanoTime() > until) {
        process.destroyForcibly();
        throw new IllegalStateException("the MLMD test server did not start:\n"
            + Files.readString(directory.resolve("server.log")));
      }
      Thread.sleep(50);
    }
    JsonNode started = new ObjectMapper().readTree(portFile.toFile());
    return new MlmdTestServer(process, started.get("port").asInt(), started.get("execution_ids"));
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  /** The MLMD execution id the store gave to the fixture's execution {@code key}. */
  long executionId(String key) {
    return executionIds.get(key).asLong();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    // The server serves until its stdin closes.
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.flush();
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
