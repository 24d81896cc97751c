package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which run.log lines each console level shows. */
class RunOutputTest {
  private static final List<String> LOG = List.of(
      "warning: pipeline.yaml:3:1: warning KFP033: unused input",
      "[run] -- RUNNING",
      "[train] -- RUNNING",
      "[train] -- image python:3.11-slim (run on this machine)",
      "[train] -- resources not enforced locally: cpu request 500m",
      "[train] -- warning: it asks for 2 nvidia.com/gpu but this machine has 0",
      "[train] [KFP Executor 2026-11-28 23:53:54,329 INFO]: Looking for component `train`",
      "[train] [KFP Executor 2026-11-28 23:53:54,330 INFO]: Got executor_input:",
      "[eval] -- RUNNING",
      "[train] {",
      "[eval] evaluating",
      "[train]     \"inputs\": {}",
      "[train] }",
      "[train] training 50 trees",
      "[train] [KFP Executor 2026-11-28 23:53:55,000 WARNING]: output file is large",
      "[train] [KFP Executor 2026-11-28 23:53:55,001 INFO]: Wrote executor output file to out.json.",
      "[train] -- attempt 1 failed with exit code 1; retrying in 0 s",
      "[train] -- RUNNING (attempt 2)",
      "[train] -- SUCCEEDED in 3.2 s",
      "[run] -- SUCCEEDED");

  private static List<String> shown(RunOutput.Level level) {
    RunOutput output = new RunOutput(level);
    return LOG.stream().filter(output::shows).toList();
  }

  @Test
  void verboseShowsEverything() {
    assertThat(shown(RunOutput.Level.VERBOSE)).isEqualTo(LOG);
  }

  @Test
  void normalShowsTheTasksOwnOutputWithoutTheExecutorsInfoAndInputDump() {
    assertThat(shown(RunOutput.Level.NORMAL)).containsExactly(
        "warning: pipeline.yaml:3:1: warning KFP033: unused input",
        "[run] -- RUNNING",
        "[train] -- RUNNING",
        "[train] -- image python:3.11-slim (run on this machine)",
        "[train] -- resources not enforced locally: cpu request 500m",
        "[train] -- warning: it asks for 2 nvidia.com/gpu but this machine has 0",
        "[eval] -- RUNNING",
        "[eval] evaluating",
        "[train] training 50 trees",
        "[train] [KFP Executor 2026-11-28 23:53:55,000 WARNING]: output file is large",
        "[train] -- attempt 1 failed with exit code 1; retrying in 0 s",
        "[train] -- RUNNING (attempt 2)",
        "[train] -- SUCCEEDED in 3.2 s",
        "[run] -- SUCCEEDED");
  }

  @Test
  void quietKeepsStatesWarningsAndRetries() {
    assertThat(shown(RunOutput.Level.QUIET)).containsExactly(
        "warning: pipeline.yaml:3:1: warning KFP033: unused input",
        "[run] -- RUNNING",
        "[train] -- RUNNING",
        "[train] -- warning: it asks for 2 nvidia.com/gpu but this machine has 0",
        "[eval] -- RUNNING",
        "[train] [KFP Executor 2026-11-28 23:53:55,000 WARNING]: output file is large",
        "[train] -- attempt 1 failed with exit code 1; retrying in 0 s",
        "[train] -- RUNNING (attempt 2)",
        "[train] -- SUCCEEDED in 3.2 s",
        "[run] -- SUCCEEDED");
  }

  @Test
  void aFailedTasksTailThatBeginsInsideTheInputDumpDropsItsRest() {
    List<String> tail = List.of("                ]", "            },", "        \"outputFile\": \"x\"", "    }", "}",
        "[KFP Executor 2026-11-28 23:53:54,330 INFO]: Loading", "Traceback (most recent call last):",
        "FileNotFoundError: [Errno 2] No such file or directory: 'data.csv'");

    assertThat(RunOutput.tail("preprocess", tail, RunOutput.Level.NORMAL)).containsExactly(
        "Traceback (most recent call last):", "FileNotFoundError: [Errno 2] No such file or directory: 'data.csv'");
    assertThat(RunOutput.tail("preprocess", tail, RunOutput.Level.QUIET)).containsExactly(
        "Traceback (most recent call last):", "FileNotFoundError: [Errno 2] No such file or directory: 'data.csv'");
    assertThat(RunOutput.tail("preprocess", tail, RunOutput.Level.VERBOSE)).isEqualTo(tail);
    assertThat(RunOutput.tail("t", List.of("  indented output", "done"), RunOutput.Level.NORMAL))
        .containsExactly("  indented output", "done");
  }
}
