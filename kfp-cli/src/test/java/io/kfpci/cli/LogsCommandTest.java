package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kfpci logs} after the pods are gone: the pods of run-1 come from the real ML Metadata
 * store (kfp-core's launcher-shaped run: a cache hit, two tasks, two ParallelFor iterations), their
 * archived {@code main.log}s from a real S3 server laid out as KFP's keyFormat writes them.
 */
class LogsCommandTest {
  private static final Path FIXTURES = CliRun.repoRoot().resolve("kfp-core/src/test/resources/artifacts/RunMetadataReaderTest");

  @TempDir
  static Path directory;
  private static Process server;
  private static String address;
  private static S3TestServer store;
  private static String s3;

  @BeforeAll
  static void start() throws Exception {
    Venv venv;
    try {
      venv = new VenvManager(PythonSettings.defaults()).ensure(List.of("ml-metadata==1.17.1"));
    } catch (PythonEnvironmentException e) {
      String reason = "the real ML Metadata store cannot be installed here: " + e.getMessage();
      if (System.getenv("CI") != null) {
        fail(reason);
      }
      assumeTrue(false, reason);
      return;
    }
    Path portFile = directory.resolve("port.json");
    server = new ProcessBuilder(venv.python().toString(), FIXTURES.resolve("mlmd_server.py").toString(),
        FIXTURES.resolve("launcher_run.json").toString(), directory.resolve("mlmd.sqlite").toString(),
        portFile.toString()).redirectErrorStream(true).redirectOutput(directory.resolve("server.log").toFile()).start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(portFile)) {
      if (!server.isAlive() || System.nanoTime() > until) {
        server.destroyForcibly();
        throw new IllegalStateException("the MLMD test server did not start:\n"
            + Files.readString(directory.resolve("server.log")));
      }
      Thread.sleep(50);
    }
    address = "127.0.0.1:" + new ObjectMapper().readTree(portFile.toFile()).get("port").asInt();

    store = S3TestServer.start("mlpipeline");
    s3 = store.endpoint();
    String day = "private-artifacts/kubeflow/seed-run1/2026/11/28/";
    store.put("mlpipeline", day + "seed-run1-system-container-impl-222/main.log", "fitting\naccuracy=0.93\n");
    store.put("mlpipeline", day + "seed-run1-system-container-impl-333/main.log", "evaluating\n");
    store.put("mlpipeline", day + "seed-run1-system-container-impl-444/main.log", "score 0\n");
    // Iteration 1's log was never archived (impl-555).
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      try (OutputStream stdin = server.getOutputStream()) {
        stdin.flush(); // the server stops when its stdin closes
      }
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
    if (store != null) {
      store.close();
    }
  }

  private static CliRun logs(String... more) {
    // An anonymous store: the credential paths are covered by kfp-core's LogArchivesTest.
    List<String> args = new java.util.ArrayList<>(List.of("logs", "run-1", "--mlmd", address, "--s3-endpoint", s3));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void everyTaskIsLabelledTheCacheHitSaysSoAndAMissingArchiveIsNamed() {
    CliRun run = logs();

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("""
        [evaluate] evaluating
        [for-loop-2[0]/score] score 0
        [for-loop-2[1]/score] (pod seed-run1-system-container-impl-555 is gone and no archived log was found (tried \
        main.log in bucket mlpipeline at %s))
        [preprocess] (served from cache (execution %s): it ran no pod and has no log)
        [train] fitting
        [train] accuracy=0.93
        """.formatted(s3, cachedFrom(run.out())));
  }

  @Test
  void aTaskNameSelectsEveryIterationAndAnUnknownOneListsTheTasks() {
    CliRun run = logs("--task", "score", "--output", "json");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines().toList()).hasSize(2).first().isEqualTo("{\"task\":\"for-loop-2[0]/score\",\"text\":\"score 0\"}");

    CliRun unknown = logs("--task", "fit");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("run run-1 has no task 'fit'; its tasks: evaluate, for-loop-2[0]/score,"
        + " for-loop-2[1]/score, preprocess, train");
  }

  @Test
  void followWithoutTheKfpEndpointIsABadUsage() {
    CliRun run = logs("--follow");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--follow needs the KFP endpoint");
  }

  /** The cached execution id the store assigned (ids are the store's own). */
  private static String cachedFrom(String out) {
    int at = out.indexOf("(served from cache (execution ");
    return at < 0 ? "?" : out.substring(at + 30, out.indexOf(')', at));
  }
}
