package io.jenkins.plugins.kfp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfpci.python.PythonEnvironmentException;
import io.kfpci.python.PythonSettings;
import io.kfpci.python.Venv;
import io.kfpci.python.VenvManager;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real ML Metadata store (PyPI's ml-metadata, its C++ store over SQLite) behind kfp-core's test
 * gRPC server, holding kfp-core's launcher-shaped run fixture under a given KFP run id. Skips the
 * test without the wheel, and fails it when CI is set.
 */
final class MlmdStore implements AutoCloseable {
  private static final Path FIXTURES = Fixtures.repoRoot()
      .resolve("kfp-core/src/test/resources/artifacts/RunMetadataReaderTest");

  private final Process process;
  private final String address;

  private MlmdStore(Process process, String address) {
    this.process = process;
    this.address = address;
  }

  static MlmdStore start(String runId, Path dir) throws Exception {
    Venv venv = null;
    try {
      venv = new VenvManager(PythonSettings.defaults()).ensure(List.of("ml-metadata==1.17.1"));
    } catch (PythonEnvironmentException e) {
      String reason = "the real ML Metadata store cannot be installed here: " + e.getMessage();
      if (System.getenv("CI") != null) {
        Assertions.fail(reason);
      }
      Assumptions.abort(reason);
    }
    Files.createDirectories(dir);
    Path fixture = Files.writeString(dir.resolve("run.json"),
        Files.readString(FIXTURES.resolve("launcher_run.json")).replace("\"run-1\"", "\"" + runId + "\""));
    Path portFile = dir.resolve("port.json");
    Process process = new ProcessBuilder(venv.python().toString(), FIXTURES.resolve("mlmd_server.py").toString(),
        fixture.toString(), dir.resolve("mlmd.sqlite").toString(), portFile.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(portFile)) {
      if (!process.isAlive() || System.nanoTime() > until) {
        process.destroyForcibly();
        throw new IllegalStateException("the MLMD test server did not start:\n"
            + Files.readString(dir.resolve("server.log")));
      }
      Thread.sleep(50);
    }
    return new MlmdStore(process, "127.0.0.1:" + new ObjectMapper().readTree(portFile.toFile()).get("port").asInt());
  }

  /** {@code host:port} of its gRPC service. */
  String address() {
    return address;
  }

  @Override
  public void close() throws Exception {
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.flush(); // the server stops when its stdin closes
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
