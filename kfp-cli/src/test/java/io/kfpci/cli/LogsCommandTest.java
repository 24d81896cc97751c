package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
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
  @TempDir
  static Path directory;
  private static MlmdStoreProcess mlmd;
  private static String address;
  private static S3TestServer store;
  private static String s3;

  @BeforeAll
  static void start() throws Exception {
    mlmd = MlmdStoreProcess.start(directory, MlmdStoreProcess.LAUNCHER_RUN);
    address = mlmd.address();

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
    if (mlmd != null) {
      mlmd.close();
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
