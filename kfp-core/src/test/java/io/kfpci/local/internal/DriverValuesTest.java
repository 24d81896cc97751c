package io.kfpci.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kfpci.report.RuntimeState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The values the KFP driver computes, as the local runner reproduces them: the final status an
 * exit handler receives for every state of the task it guards, and runtime placeholders in
 * input constants (resolve.go).
 */
class DriverValuesTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final RunValues RUN = new RunValues("my-pipeline", "20260821-101500-3F9a0c",
      Instant.parse("2026-08-21T10:15:00.987Z"), Path.of("/runs/my-pipeline/20260821-101500-3F9a0c"));

  private static Node node(RuntimeState state, boolean cached) {
    return Node.pending("exit-handler-1", "exit-handler-1", "", "comp-exit-handler-1", Kind.DAG, null, "")
        .toBuilder().state(state).cached(cached).error(state == RuntimeState.FAILED ? "task 'x' failed" : null).build();
  }

  @Test
  void theFinalStatusCarriesTheMlmdStateAndAnEmptyErrorWhateverHappened() {
    assertThat(Scopes.finalStatus(RUN, node(RuntimeState.SUCCEEDED, false)).toString()).isEqualTo(
        "{\"state\":\"COMPLETE\",\"pipelineJobResourceName\":\"my-pipeline-20260821-101500-3f9a0c\","
            + "\"pipelineTaskName\":\"exit-handler-1\",\"error\":{}}");
    assertThat(Scopes.finalStatus(RUN, node(RuntimeState.FAILED, false)).toString())
        .as("the driver fills neither code nor message after a failure either")
        .isEqualTo("{\"state\":\"FAILED\",\"pipelineJobResourceName\":\"my-pipeline-20260821-101500-3f9a0c\","
            + "\"pipelineTaskName\":\"exit-handler-1\",\"error\":{}}");
    assertThat(Scopes.mlmdState(node(RuntimeState.SUCCEEDED, true))).isEqualTo("CACHED");
    assertThat(Scopes.mlmdState(node(RuntimeState.CANCELED, false))).isEqualTo("CANCELED");
    assertThat(Scopes.mlmdState(node(RuntimeState.SKIPPED, false))).as("not triggered").isEqualTo("CANCELED");
    assertThat(Scopes.mlmdState(node(RuntimeState.RUNNING, false))).isEqualTo("RUNNING");
    assertThat(Scopes.mlmdState(node(RuntimeState.PENDING, false))).isEqualTo("NEW");
  }

  @Test
  void constantsResolveOnlyWhenTheyAreAPlaceholderExceptTheWorkspacePath() {
    assertThat(RUN.resolveConstant(NODES.textNode("{{$.pipeline_job_name}}"), "train", ""))
        .contains("my-pipeline 20260821-101500-3F9a0c");
    assertThat(RUN.resolveConstant(NODES.textNode("{{$.pipeline_job_resource_name}}"), "train", ""))
        .contains("my-pipeline-20260821-101500-3f9a0c");
    assertThat(RUN.resolveConstant(NODES.textNode("{{$.pipeline_task_name}}"), "train", "")).contains("train");
    assertThat(RUN.resolveConstant(NODES.textNode("{{$.pipeline_job_create_time_utc}}"), "train", ""))
        .contains("2026-08-21T10:15:00Z");
    assertThat(RUN.resolveConstant(NODES.textNode("{{$.pipeline_job_schedule_time_utc}}"), "train", ""))
        .contains("2026-08-21T10:15:00Z");
    String rootDag = RUN.resolveConstant(NODES.textNode("{{$.pipeline_task_uuid}}"), "a", "").orElseThrow();
    assertThat(rootDag).matches("[0-9]+");
    assertThat(RUN.resolveConstant(NODES.textNode("{{$.pipeline_task_uuid}}"), "b", ""))
        .as("the id of the DAG: the same for its tasks").contains(rootDag);
    assertThat(RUN.resolveConstant(NODES.textNode("{{$.pipeline_task_uuid}}"), "a", "for-loop-2[0]"))
        .get().asString().matches("[0-9]+").isNotEqualTo(rootDag);
    assertThat(RUN.resolveConstant(NODES.textNode("{{$.workspace_path}}/data/{{$.workspace_path}}"), "a", ""))
        .contains("/runs/my-pipeline/20260821-101500-3F9a0c/workspace/data/"
            + "/runs/my-pipeline/20260821-101500-3F9a0c/workspace");
    assertThat(RUN.resolveConstant(NODES.textNode("run {{$.pipeline_job_name}}"), "a", "")).isEmpty();
    assertThat(RUN.resolveConstant(NODES.textNode("{{$.pipeline_root}}"), "a", ""))
        .as("not a driver constant").isEqualTo(Optional.empty());
    assertThat(RUN.resolveConstant(NODES.numberNode(3), "a", "")).isEmpty();
  }
}
