package io.kfpci.emulator;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link RunExecutor} reports about a run, the way the persistence agent reports an Argo
 * Workflow: the workflow's phase and its nodes. The emulator applies it exactly as the 2.17 server
 * does: a state change appends to {@code state_history}, a terminal state sets {@code finished_at},
 * a CANCELING run stays CANCELING until the report is terminal, and each node becomes a task.
 *
 * @param state the run's state; {@link RuntimeState#RUNTIME_STATE_UNSPECIFIED} before Argo set a phase
 * @param nodes every node of the workflow (an empty list before any started)
 */
public record WorkflowReport(RuntimeState state, List<WorkflowNode> nodes) {
  public WorkflowReport {
    Objects.requireNonNull(state, "state");
    nodes = List.copyOf(nodes);
  }
}
