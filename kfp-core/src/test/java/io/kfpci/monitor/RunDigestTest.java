package io.kfpci.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.MetricSummary;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The build-page paragraph, the step's result map and the console lines of a run. */
class RunDigestTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private static TaskSummary task(String id, String kind, RuntimeState state, boolean cached, List<MetricSummary> metrics,
      List<ArtifactSummary> artifacts) {
    return new TaskSummary(id, id, "", "comp-" + id, kind, null, state, T0, T0.plusSeconds(3), 1, cached, "", List.of(),
        Map.of(), artifacts, metrics, "", List.of(), 0, null);
  }

  private static RunSummary run(RuntimeState state, String error, TaskSummary... tasks) {
    return new RunSummary(1, "ml-training-pipeline", "jenkins-7-1a2b3c4d", state, T0, T0.plusSeconds(2),
        T0.plusSeconds(74), Map.of(), new RunSummary.Location("local", "/runs/x", null), error, List.of(tasks), List.of());
  }

  private static final RunSummary SUCCEEDED = run(RuntimeState.SUCCEEDED, null,
      task("preprocess", "container", RuntimeState.SUCCEEDED, true, List.of(), List.of(
          new ArtifactSummary("dataset", "system.Dataset", "file:///runs/x/preprocess/dataset", "preprocess/dataset", 10,
              null, Map.of(), "preprocess"))),
      task("train", "container", RuntimeState.SUCCEEDED, false, List.of(), List.of()),
      task("evaluate", "container", RuntimeState.SUCCEEDED, false, List.of(
          new MetricSummary("evaluate", "metrics", "test_accuracy", 0.933333333),
          new MetricSummary("evaluate", "metrics", "test_f1", 0.93017)), List.of(
          new ArtifactSummary("report", "system.HTML", "gs://bucket/report.html", null, -1, null, Map.of(), "evaluate"))),
      task("condition-1", "dag", RuntimeState.SKIPPED, false, List.of(), List.of()),
      task("condition-1/deploy-model", "container", RuntimeState.SKIPPED, false, List.of(), List.of()));

  @Test
  void aSucceededRunInOneParagraph() {
    assertThat(RunDigest.of(SUCCEEDED).text()).isEqualTo("ml-training-pipeline run jenkins-7-1a2b3c4d SUCCEEDED in"
        + " 1 min 12 s. Tasks: 3 succeeded (1 from cache), 1 skipped. Metrics: test_accuracy 0.9333, test_f1 0.9302.");
  }

  @Test
  void aFailedRunNamesTheFailedStepsAndTheFirstLineOfTheError() {
    RunSummary failed = run(RuntimeState.FAILED, "task train failed: exit code 1\nTraceback ...",
        task("preprocess", "container", RuntimeState.SUCCEEDED, false, List.of(), List.of()),
        task("train", "container", RuntimeState.FAILED, false, List.of(), List.of()));
    assertThat(RunDigest.of(failed).text()).isEqualTo("ml-training-pipeline run jenkins-7-1a2b3c4d FAILED after 1 min 12 s:"
        + " task train failed: exit code 1. Tasks: 1 succeeded, 1 failed (train).");
  }

  @Test
  void durationsAndNumbersAreShort() {
    assertThat(RunDigest.formatDuration(Duration.ofMillis(400))).isEqualTo("0 s");
    assertThat(RunDigest.formatDuration(Duration.ofSeconds(45))).isEqualTo("45 s");
    assertThat(RunDigest.formatDuration(Duration.ofSeconds(120))).isEqualTo("2 min");
    assertThat(RunDigest.formatDuration(Duration.ofSeconds(7385))).isEqualTo("2 h 3 min");
    assertThat(RunDigest.formatNumber(0.933333)).isEqualTo("0.9333");
    assertThat(RunDigest.formatNumber(12.0)).isEqualTo("12");
    assertThat(RunDigest.formatNumber(1234.56)).isEqualTo("1235");
    assertThat(RunDigest.formatNumber(0.000123456)).isEqualTo("0.0001235");
    assertThat(RunDigest.formatNumber(Double.NaN)).isEqualTo("NaN");
  }

  @Test
  void theResultMapHoldsPlainValuesAndQualifiesDuplicateMetricNames() {
    Map<String, Object> out = RunOutputs.of(SUCCEEDED, Path.of("/runs/x"), Path.of("/runs/x/report.html"));
    assertThat(out).containsEntry("state", "SUCCEEDED").containsEntry("runId", "jenkins-7-1a2b3c4d")
        .containsEntry("pipelineName", "ml-training-pipeline").containsEntry("runDir", "/runs/x")
        .containsEntry("report", "/runs/x/report.html")
        .containsEntry("metrics", Map.of("test_accuracy", 0.933333333, "test_f1", 0.93017))
        .containsEntry("artifacts", Map.of("preprocess/dataset", "/runs/x/preprocess/dataset",
            "evaluate/report", "gs://bucket/report.html"));

    RunSummary twice = run(RuntimeState.SUCCEEDED, null,
        task("a", "container", RuntimeState.SUCCEEDED, false, List.of(new MetricSummary("a", "m", "loss", 1)), List.of()),
        task("b", "container", RuntimeState.SUCCEEDED, false, List.of(new MetricSummary("b", "m", "loss", 2),
            new MetricSummary("b", "m", "auc", 0.5)), List.of()));
    assertThat(RunOutputs.metrics(twice)).containsExactly(Map.entry("a/loss", 1.0), Map.entry("b/loss", 2.0),
        Map.entry("auc", 0.5));
  }

  @Test
  void aConsoleShowsTheRunLogAsWrittenAndTheVerdictButNotTaskEventsTwice() {
    assertThat(RunConsole.lines(List.of(
        new RunEvent.TaskStateChanged("train", null, RuntimeState.RUNNING, false, ""),
        new RunEvent.LogLine("train", "-- RUNNING (attempt 1)"),
        new RunEvent.LogLine("train", "epoch 1"),
        new RunEvent.RunStateChanged(null, RuntimeState.RUNNING, ""),
        new RunEvent.RunStateChanged(RuntimeState.RUNNING, RuntimeState.FAILED, "task train failed"))))
        .containsExactly("[train] -- RUNNING (attempt 1)", "[train] epoch 1", "[kfp] run: FAILED: task train failed");
  }

  @Test
  void consoleLinesAreShortAndCarryTheTaskId() {
    assertThat(RunConsole.format(new RunEvent.LogLine("for-loop-2[1]/train", "epoch 1"))).isEqualTo("[for-loop-2[1]/train] epoch 1");
    assertThat(RunConsole.format(new RunEvent.LogLine("", "resolving parameters"))).isEqualTo("[runner] resolving parameters");
    assertThat(RunConsole.format(new RunEvent.TaskStateChanged("train", null, RuntimeState.RUNNING, false, "")))
        .isEqualTo("[kfp] train: RUNNING");
    assertThat(RunConsole.format(new RunEvent.TaskStateChanged("prep", RuntimeState.PENDING, RuntimeState.SUCCEEDED, true, "")))
        .isEqualTo("[kfp] prep: SUCCEEDED (cached)");
    assertThat(RunConsole.format(new RunEvent.TaskStateChanged("train", RuntimeState.RUNNING, RuntimeState.FAILED, false, "exit code 1")))
        .isEqualTo("[kfp] train: FAILED: exit code 1");
    assertThat(RunConsole.format(new RunEvent.RunStateChanged(RuntimeState.RUNNING, RuntimeState.SUCCEEDED, "")))
        .isEqualTo("[kfp] run: SUCCEEDED");
  }
}
