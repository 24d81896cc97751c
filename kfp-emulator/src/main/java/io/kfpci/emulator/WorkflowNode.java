package io.kfpci.emulator;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One node of the Argo Workflow behind a run, as the persistence agent reports it: the server turns
 * every node into one {@code run_details.task_details} entry (FACTS.md 1.10). The node id keys the
 * task: the same id in a later report updates the same task (same {@code task_id}).
 *
 * @param id the Argo node id ({@code <workflow>-<digits>}); child tasks name their children by it
 * @param displayName the Argo display name: the KFP task name, {@code <task>-driver}, {@code executor},
 *     {@code root}, {@code root-driver}, or the workflow name for the workflow's own node
 * @param state the node's phase; {@link RuntimeState#RUNTIME_STATE_UNSPECIFIED} for a node never started
 * @param startedAt when it started
 * @param finishedAt when it ended, or null while it runs
 * @param children ids of the child nodes
 */
public record WorkflowNode(String id, String displayName, RuntimeState state, Instant startedAt,
    Instant finishedAt, List<String> children) {
  public WorkflowNode {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(startedAt, "startedAt");
    children = List.copyOf(children);
  }
}
