package io.kfpci.local.internal;

import io.kfpci.report.RuntimeState;

/**
 * What the decide function asks for. Every action changes the run state when applied (so the
 * coordinator's loop always progresses); {@link Execute} and {@link Kill} also have effects outside
 * it (a process starts or stops), which the coordinator's applier performs.
 */
public sealed interface Action {

  /** PENDING run: it starts. */
  record StartRun() implements Action {}

  /** An executor node (first attempt or a due retry) runs with these inputs. */
  record Execute(String nodeId, Scopes.Inputs inputs) implements Action {}

  /** A node and everything below it will not run. */
  record Skip(String nodeId, Node.SkipReason reason, String message) implements Action {}

  /** A node fails without running (unresolvable inputs, a broken condition). */
  record Fail(String nodeId, String error) implements Action {}

  /** A DAG or loop iteration starts; its children already exist as PENDING nodes. */
  record StartDag(String nodeId) implements Action {}

  /** A loop starts: it gets {@code count} iterations. */
  record ExpandLoop(String nodeId, int count) implements Action {}

  /** A DAG, iteration or loop whose children are all done ends. */
  record FinishDag(String nodeId, RuntimeState state, String error) implements Action {}

  /** A node that never started (or waits for a retry) is canceled, with everything below it. */
  record Cancel(String nodeId) implements Action {}

  /** A running process is stopped; its outcome arrives as an event. */
  record Kill(String nodeId) implements Action {}

  /** The run turns CANCELING. */
  record StartCanceling() implements Action {}

  /** Every top-level task is done: the run ends. */
  record FinishRun(RuntimeState state, String error) implements Action {}
}
