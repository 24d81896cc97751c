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
    assertThat(run.out()).as("--quiet hides the tasks' own output").doesNotContain("KFP Executor", "Got executor_input");
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

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err()).startsWith("error: run ").contains(" FAILED: task 'exit-handler-1/fail' failed with exit code 3;"
        + " the log lines above say why, " + root.resolve("exit-retry")).endsWith("/run.log has them all\n");
    assertThat(run.out()).as("the default output: the tasks' own lines, not the KFP executor's")
        .doesNotContain("Got executor_input", "[KFP Executor", "\"outputFile\"");
    assertThat(run.out()).contains("[exit-handler-1/fail] failing on purpose: boom",
        "[exit-handler-1/flaky] -- attempt 1 failed with exit code 1; retrying in 0 s",
        "[exit-handler-1/fail] -- FAILED: task 'exit-handler-1/fail' failed with exit code 3",
        "FAILED: task 'exit-handler-1/fail' failed with exit code 3\n",
        "task 'exit-handler-1/fail' failed with exit code 3; its last ",
        "  | failing on purpose: boom\n");
  }

  @Test
  void quietKeepsRetriesAndFailuresButNotTheTasksOutput() throws Exception {
    Path counter = Files.createDirectories(root.resolve("counter"));
    CliRun run = CliRun.of("run", "--local", CliRun.testPipeline("exit_retry").toString(), "-q",
        "-p", "counter_dir=" + counter, "--pipeline-root", root.toString(), "--parallelism", "2");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.out()).contains("[exit-handler-1/flaky] -- attempt 1 failed with exit code 1; retrying in 0 s\n",
        "[exit-handler-1/flaky] -- attempt 2 failed with exit code 1; retrying in 0 s\n",
        "[exit-handler-1/flaky] -- RUNNING (attempt 3)\n",
        "[exit-handler-1/fail] -- FAILED: task 'exit-handler-1/fail' failed with exit code 3\n",
        "  | failing on purpose: boom\n");
    assertThat(run.out()).as("the task's own output is only in the failure's log tail")
        .doesNotContain("[exit-handler-1/fail] failing on purpose", "[KFP Executor", "RuntimeError: attempt 1 fails");
  }

  @Test
  void aSucceededRunWhoseSummaryCopyFailsSaysSoClearly() throws Exception {
    Path pipeline = CliRun.fixture(RunCommandTest.class, "takes_summary_path.py", root);
    Path summaryOut = root.resolve("out/summary.json");
    // The task makes a non-empty directory where the copy should go, after the check before the run.
    CliRun run = CliRun.of("run", "--local", pipeline.toString(), "-q", "-p", "path=" + summaryOut.resolve("x"),
        "--pipeline-root", root.resolve("runs").toString(), "--run-id", "r1", "--summary", summaryOut.toString());

    Path runDir = root.resolve("runs/takes-summary-path/r1");
    assertThat(run.out()).contains("[run] -- SUCCEEDED\n", "run r1 SUCCEEDED\n");
    assertThat(run.err()).isEqualTo("error: the run SUCCEEDED, but its summary could not be copied to --summary "
        + summaryOut + ": Is a directory. The summary is in " + runDir.resolve("summary.json")
        + "\n");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(RunSummaryJson.read(runDir.resolve("summary.json")).state()).isEqualTo(RuntimeState.SUCCEEDED);
  }

  @Test
  void wrongParametersAreRejectedBeforeAnythingRuns() {
    CliRun run = CliRun.of("run", "--local", CliRun.testPipeline("control_flow").toString(), "-p", "valeu=3",
        "--pipeline-root", root.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err()).isEqualTo("-p valeu: error KFP110: pipeline 'control-flow' has no parameter 'valeu'; did you"
        + " mean 'value'?\n    hint: its parameters are: threshold, value\n"
        + "error: the pipeline cannot run (1 error above); nothing ran. Fix the pipeline or the -p parameters;"
        + " 'kfpci validate FILE -p NAME=VALUE' checks both without running anything.\n");
    assertThat(root.resolve("control-flow")).doesNotExist();
  }

  @Test
  void withoutLocalTheCommandSaysWhatIsAvailable() {
    java.util.Map<String, String> saved = EndpointOptions.env;
    EndpointOptions.env = java.util.Map.of();
    try {
      CliRun run = CliRun.of("run", CliRun.testPipeline("control_flow").toString());

      assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(run.err()).contains("kfpci run without --local runs on KFP: set KF_PIPELINES_ENDPOINT");
    } finally {
      EndpointOptions.env = saved;
    }
  }
}
