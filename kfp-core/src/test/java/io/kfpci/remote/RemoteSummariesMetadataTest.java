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

  @Test
  void theTasksOfAWatchedNestedRunAreTheIdsItsMetricsAreRecordedUnder() {
    String wf = "p-abcde";
    String t = "2026-11-28T23:43:30Z";
    String it1 = "root.for-loop-2.iteration-iterations(1:1)";
    io.kfpci.client.KfpApi.Run run = RunTrackerTest.run(RunTrackerTest.runJson("SUCCEEDED", RunTrackerTest.h("SUCCEEDED"),
        RunTrackerTest.node("w", wf, "SUCCEEDED", t, List.of(RunTrackerTest.nodeId(wf, "root"))),
        RunTrackerTest.node("r", "root", "SUCCEEDED", t, List.of(RunTrackerTest.nodeId(wf, "root.condition-1"),
            RunTrackerTest.nodeId(wf, "root.for-loop-2"))),
        RunTrackerTest.node("c", "condition-1", "SUCCEEDED", t,
            List.of(RunTrackerTest.nodeId(wf, "root.condition-1.deploy-model")), "SUCCEEDED"),
        RunTrackerTest.node("d", "deploy-model", "SUCCEEDED", t,
            List.of(RunTrackerTest.nodeId(wf, "root.condition-1.deploy-model.executor")), "SUCCEEDED"),
        RunTrackerTest.node("l", "for-loop-2", "SUCCEEDED", t,
            List.of(RunTrackerTest.nodeId(wf, "root.for-loop-2.iteration-iterations")), "SUCCEEDED"),
        RunTrackerTest.node("g", "iteration-iterations", "SUCCEEDED", t, List.of(RunTrackerTest.nodeId(wf, it1)),
            "SUCCEEDED"),
        RunTrackerTest.node("i1", "iteration-iterations(1:1)", "SUCCEEDED", t,
            List.of(RunTrackerTest.nodeId(wf, it1 + ".iteration-item")), "SUCCEEDED"),
        RunTrackerTest.node("m1", "iteration-item", "SUCCEEDED", t,
            List.of(RunTrackerTest.nodeId(wf, it1 + ".iteration-item.train")), "SUCCEEDED"),
        RunTrackerTest.node("t1", "train", "SUCCEEDED", t,
            List.of(RunTrackerTest.nodeId(wf, it1 + ".iteration-item.train.executor")), "SUCCEEDED")));
    RemoteWatchState state = RunTracker.advance(RemoteWatchState.initial("kfp", "r1"), run,
        java.util.Set.of("condition-1", "deploy-model", "for-loop-2", "train")).state();
    RunSummary summary = RemoteSummaries.summary(run, state,
        io.kfpci.client.KfpConnection.builder(java.net.URI.create("http://kfp.example")).build(), "p");
    assertThat(summary.tasks()).extracting(TaskSummary::id, TaskSummary::name, TaskSummary::parentId, TaskSummary::kind,
        TaskSummary::iteration).containsExactly(
        Tuple.tuple("condition-1", "condition-1", "", "dag", null),
        Tuple.tuple("condition-1/deploy-model", "deploy-model", "condition-1", "container", null),
        Tuple.tuple("for-loop-2", "for-loop-2", "", "loop", null),
        Tuple.tuple("for-loop-2[1]", "for-loop-2", "for-loop-2", "dag", 1),
        Tuple.tuple("for-loop-2[1]/train", "train", "for-loop-2[1]", "container", null));

    RunMetadata metadata = new RunMetadata("r1",
        List.of(recorded("condition-1/deploy-model", 4, ExecutionState.COMPLETE, false, null, 1),
            recorded("for-loop-2[1]/train", 7, ExecutionState.COMPLETE, false, null, 1)),
        List.of(new MetricSummary("for-loop-2[1]/train", "metrics", "f1", 0.5),
            new MetricSummary("condition-1/deploy-model", "metrics", "latency", 12)),
        List.of(), List.of());
    RunSummary merged = RemoteSummaries.withMetadata(summary, metadata);
    assertThat(merged.tasks()).extracting(TaskSummary::id).containsExactly("condition-1", "condition-1/deploy-model",
        "for-loop-2", "for-loop-2[1]", "for-loop-2[1]/train");
    assertThat(merged.tasks().get(1).metrics()).containsExactly(
        new MetricSummary("condition-1/deploy-model", "metrics", "latency", 12));
    assertThat(merged.tasks().get(4).metrics()).containsExactly(new MetricSummary("for-loop-2[1]/train", "metrics", "f1", 0.5));
  }
}
