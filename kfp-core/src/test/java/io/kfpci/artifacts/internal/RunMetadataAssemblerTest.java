package io.kfpci.artifacts.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.artifacts.ExecutionState;
import io.kfpci.artifacts.RunMetadata;
import io.kfpci.artifacts.TaskExecution;
import io.kfpci.artifacts.TaskPod;
import io.kfpci.artifacts.internal.GrpcMetadataStore.TypedArtifact;
import io.kfpci.artifacts.internal.mlmd.Artifact;
import io.kfpci.artifacts.internal.mlmd.Event;
import io.kfpci.artifacts.internal.mlmd.Execution;
import io.kfpci.artifacts.internal.mlmd.Value;
import io.kfpci.report.MetricSummary;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Cases the real store test does not build: a task recorded twice (a retry that re-created its
 * execution), a parent id written as a string, and metric values of every kind.
 */
class RunMetadataAssemblerTest {
  private static Value s(String v) {
    return Value.newBuilder().setStringValue(v).build();
  }

  private static Execution execution(long id, String type, String task, Long parent, Execution.State state) {
    Execution.Builder b = Execution.newBuilder().setId(id).setType(type).setLastKnownState(state);
    if (task != null) {
      b.putCustomProperties("task_name", s(task));
    }
    if (parent != null) {
      b.putCustomProperties("parent_dag_id", s(Long.toString(parent)));
    }
    return b.build();
  }

  private static Event output(long execution, long artifact, String name) {
    return Event.newBuilder().setExecutionId(execution).setArtifactId(artifact).setType(Event.Type.OUTPUT)
        .setPath(Event.Path.newBuilder().addSteps(Event.Path.Step.newBuilder().setKey(name))).build();
  }

  @Test
  void theLatestExecutionOfARetriedTaskWinsAndIsCounted() {
    Execution root = execution(1, "system.DAGExecution", null, null, Execution.State.COMPLETE);
    Execution first = execution(2, "system.ContainerExecution", "train", 1L, Execution.State.FAILED);
    Execution second = execution(3, "system.ContainerExecution", "train", 1L, Execution.State.COMPLETE);
    Artifact stale = Artifact.newBuilder().setId(10).setUri("minio://b/old")
        .putCustomProperties("accuracy", Value.newBuilder().setDoubleValue(0.1).build()).build();
    Artifact fresh = Artifact.newBuilder().setId(11).setUri("minio://b/new")
        .putCustomProperties("accuracy", Value.newBuilder().setDoubleValue(0.9).build())
        .putCustomProperties("epochs", Value.newBuilder().setIntValue(3).build())
        .putCustomProperties("converged", Value.newBuilder().setBoolValue(true).build())
        .putCustomProperties("note", s("not a number"))
        .putCustomProperties("display_name", s("metrics")).build();

    RunMetadata run = RunMetadataAssembler.assemble("r", List.of(root, first, second),
        List.of(output(2, 10, "metrics"), output(3, 11, "metrics")),
        List.of(new TypedArtifact(stale, "system.Metrics"), new TypedArtifact(fresh, "system.Metrics")));

    assertThat(run.tasks()).containsExactly(new TaskExecution("train", "train", 3, "system.ContainerExecution",
        ExecutionState.COMPLETE, false, null, null, null, null, null, 2));
    assertThat(run.metrics()).containsExactly(
        new MetricSummary("train", "metrics", "accuracy", 0.9),
        new MetricSummary("train", "metrics", "converged", 1.0),
        new MetricSummary("train", "metrics", "epochs", 3.0));
    assertThat(run.artifacts()).hasSize(1);
    assertThat(run.artifacts().get(0).uri()).isEqualTo("minio://b/new");
  }

  @Test
  void anExecutionWhoseParentIsNotInTheRunKeepsItsOwnName() {
    Execution orphan = execution(5, "system.ContainerExecution", "lonely", 99L, Execution.State.RUNNING);
    Execution nameless = execution(6, "system.ContainerExecution", null, null, Execution.State.NEW);

    RunMetadata run = RunMetadataAssembler.assemble("r", List.of(orphan, nameless), List.of(), List.of());

    assertThat(run.tasks()).extracting(TaskExecution::taskId, TaskExecution::state).containsExactly(
        Tuple.tuple("execution-6", ExecutionState.NEW), Tuple.tuple("lonely", ExecutionState.RUNNING));
  }

  private static Execution withPod(Execution e, String pod, String namespace) {
    return e.toBuilder().putCustomProperties("pod_name", s(pod)).putCustomProperties("namespace", s(namespace)).build();
  }

  @Test
  void everyAttemptIterationAndCacheHitIsMappedToItsPodAsTheUiDoes() {
    Execution root = execution(1, "system.DAGExecution", null, null, Execution.State.RUNNING);
    Execution firstTry = withPod(execution(2, "system.ContainerExecution", "train", 1L, Execution.State.FAILED),
        "wf-system-container-impl-111", "team-a");
    Execution retry = withPod(execution(3, "system.ContainerExecution", "train", 1L, Execution.State.RUNNING),
        "wf-system-container-impl-222", "team-a");
    Execution loop = execution(4, "system.DAGExecution", "for-loop-2", 1L, Execution.State.RUNNING);
    Execution iteration = execution(5, "system.DAGExecution", "for-loop-2_idx_1", 4L, Execution.State.RUNNING)
        .toBuilder().putCustomProperties("iteration_index", Value.newBuilder().setIntValue(1).build()).build();
    Execution inLoop = withPod(execution(6, "system.ContainerExecution", "score", 5L, Execution.State.COMPLETE),
        "wf-system-container-impl-333", "team-a");
    Execution cached = execution(7, "system.ContainerExecution", "prepare", 1L, Execution.State.CACHED).toBuilder()
        .putCustomProperties("cached_execution_id", s("42")).build();

    RunMetadata run = RunMetadataAssembler.assemble("r",
        List.of(root, firstTry, retry, loop, iteration, inLoop, cached), List.of(), List.of());

    assertThat(run.pods()).containsExactly(
        new TaskPod("for-loop-2[1]/score", 0, 6, "wf-system-container-impl-333", "team-a", null),
        new TaskPod("prepare", 0, 7, null, null, "42"),
        new TaskPod("train", 0, 2, "wf-system-container-impl-111", "team-a", null),
        new TaskPod("train", 1, 3, "wf-system-container-impl-222", "team-a", null));
    assertThat(run.pods()).extracting(TaskPod::label).containsExactly(
        "for-loop-2[1]/score", "prepare", "train", "train #1");
    assertThat(run.pods().get(1).cached()).isTrue();
  }
}
