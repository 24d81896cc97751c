package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kfpci run --local}: progress lines, exit codes, failure messages, the summary file. */
class RunCommandTest {
  @TempDir Path root;

  @Test
  void aSucceedingRunPrintsEveryStateChangeAndExitsZero() throws Exception {
    Path summaryOut = root.resolve("out/summary.json");
    CliRun run = CliRun.of("run", "--local", CliRun.testPipeline("control_flow").toString(), "-p", "value=12",
        "--pipeline-root", root.toString(), "--parallelism", "2", "--summary", summaryOut.toString(), "--quiet");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("[run] -- RUNNING\n", "[classify] -- RUNNING\n",
        "[condition-branches-1/condition-3] -- SKIPPED (condition is false)\n", "[run] -- SUCCEEDED\n");
    assertThat(run.out()).doesNotContain("KFP Executor").as("--quiet hides the tasks' own output");
    RunSummary summary = RunSummaryJson.read(summaryOut);
    assertThat(summary.state()).isEqualTo(RuntimeState.SUCCEEDED);
    assertThat(run.out()).contains("summary: " + root.resolve("control-flow").resolve(summary.runId())
        .resolve("summary.json"));
  }

  @Test
  void aFailingTaskFailsTheRunAndShowsItsExitCodeAndLastLogLines() throws Exception {
    Path counter = Files.createDirectories(root.resolve("counter"));
    CliRun run = CliRun.of("run", "--local", CliRun.testPipeline("exit_retry").toString(),
        "-p", "counter_dir=" + counter, "--pipeline-root", root.toString(), "--parallelism", "2");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("[exit-handler-1/fail] failing on purpose: boom",
        "[exit-handler-1/flaky] -- attempt 1 failed with exit code 1; retrying in 0 s",
        "[exit-handler-1/fail] -- FAILED: task 'exit-handler-1/fail' failed with exit code 3",
        "FAILED: task 'exit-handler-1/fail' failed with exit code 3\n",
        "task 'exit-handler-1/fail' failed with exit code 3; its last ",
        "  | failing on purpose: boom\n");
  }

  @Test
  void wrongParametersAreRejectedBeforeAnythingRuns() {
    CliRun run = CliRun.of("run", "--local", CliRun.testPipeline("control_flow").toString(), "-p", "valeu=3",
        "--pipeline-root", root.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("pipeline 'control-flow' has no parameter 'valeu'", "did you mean 'value'");
    assertThat(root.resolve("control-flow")).doesNotExist();
  }

  @Test
  void withoutLocalTheCommandSaysWhatIsAvailable() {
    java.util.Map<String, String> saved = EndpointOptions.env;
    EndpointOptions.env = java.util.Map.of();
    try {
      CliRun run = CliRun.of("run", CliRun.testPipeline("control_flow").toString());

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).contains("kfpci run without --local runs on KFP: set KF_PIPELINES_ENDPOINT");
    } finally {
      EndpointOptions.env = saved;
    }
  }
}
