package io.kfpci.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.artifacts.ExecutionState;
import io.kfpci.artifacts.RunMetadata;
import io.kfpci.artifacts.TaskExecution;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.MetricSummary;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** A remote run summary gains ML Metadata's metrics and artifacts under the task ids a local run uses. */
class RemoteSummariesMetadataTest {
  private static TaskSummary watched(String label, String name, Integer iteration) {
    return new TaskSummary(label, name, "", "", "container", iteration, RuntimeState.SUCCEEDED, null, null, 1, false, "",
        List.of(), Map.of(), List.of(), List.of(), "", List.of(), null, null);
  }

  private static TaskExecution recorded(String id, long execution, ExecutionState state, boolean cached, Integer iteration,
      int executions) {
    return new TaskExecution(id, id, execution, "system.ContainerExecution", state, cached, cached ? "7" : null, iteration,
        null, null, null, executions);
  }

  @Test
  void metricsAndArtifactsLandOnTheMatchingTasksUnderLocalIds() {
    RunSummary summary = new RunSummary(RunSummary.FORMAT_VERSION, "seed", "run-1", RuntimeState.SUCCEEDED,
        Instant.parse("2026-11-28T10:00:00Z"), null, null, Map.of(),
        new RunSummary.Location("kfp", "http://kfp", null), null,
        List.of(watched("train", "train", null), watched("score", "score", 0), watched("score[2]", "score", 1),
            watched("evaluate", "evaluate", null)), List.of());
    ArtifactSummary model = new ArtifactSummary("model", "system.Model", "minio://mlpipeline/r/train/1/model", null, -1,
        null, Map.of(), "train");
    ArtifactSummary data = new ArtifactSummary("dataset", "system.Dataset", "minio://mlpipeline/r/prep/2/dataset", null,
        -1, null, Map.of(), "prep");
    RunMetadata metadata = new RunMetadata("run-1",
        List.of(recorded("for-loop-2[0]/score", 5, ExecutionState.COMPLETE, false, 0, 1),
            recorded("for-loop-2[1]/score", 6, ExecutionState.COMPLETE, false, 1, 1),
            recorded("prep", 2, ExecutionState.CACHED, true, null, 1),
            recorded("train", 3, ExecutionState.COMPLETE, false, null, 2)),
        List.of(new MetricSummary("for-loop-2[1]/score", "metrics", "f1", 0.5),
            new MetricSummary("train", "metrics", "accuracy", 0.93)),
        List.of(), List.of(data, model));

    RunSummary merged = RemoteSummaries.withMetadata(summary, metadata);

    assertThat(merged.tasks()).extracting(TaskSummary::id, TaskSummary::name, TaskSummary::iteration, TaskSummary::state,
        TaskSummary::attempts, TaskSummary::cached).containsExactly(
        Tuple.tuple("train", "train", null, RuntimeState.SUCCEEDED, 2, false),
        Tuple.tuple("for-loop-2[0]/score", "score", 0, RuntimeState.SUCCEEDED, 1, false),
        Tuple.tuple("for-loop-2[1]/score", "score", 1, RuntimeState.SUCCEEDED, 1, false),
        Tuple.tuple("evaluate", "evaluate", null, RuntimeState.SUCCEEDED, 1, false),
        Tuple.tuple("prep", "prep", null, RuntimeState.SUCCEEDED, 1, true));
    assertThat(merged.tasks().get(0).metrics()).containsExactly(new MetricSummary("train", "metrics", "accuracy", 0.93));
    assertThat(merged.tasks().get(0).artifacts()).containsExactly(model);
    assertThat(merged.tasks().get(1).metrics()).isEmpty();
    assertThat(merged.tasks().get(2).metrics()).containsExactly(new MetricSummary("for-loop-2[1]/score", "metrics", "f1", 0.5));
    assertThat(merged.tasks().get(4).artifacts()).containsExactly(data);
    assertThat(merged.runId()).isEqualTo("run-1");
    assertThat(merged.location()).isEqualTo(summary.location());
  }
}
