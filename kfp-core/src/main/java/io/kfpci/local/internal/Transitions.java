package io.kfpci.local.internal;

import com.google.protobuf.Duration;
import io.kfpci.ir.proto.PipelineTaskSpec;
import io.kfpci.report.RuntimeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state half of apply: how each action and each attempt outcome changes a run state. Pure;
 * the coordinator calls it on its own thread and performs the side effects of Execute and Kill.
 */
public final class Transitions {
  /** KFP's defaults when a retry policy leaves them out (pipeline_spec.proto comments). */
  static final double DEFAULT_BACKOFF_FACTOR = 2.0;
  static final java.time.Duration DEFAULT_BACKOFF_MAX = java.time.Duration.ofHours(1);

  private Transitions() {}

  public static RunState apply(Plan plan, RunState state, Action action, Instant now) {
    if (action instanceof Action.StartRun) {
      return state.withRun(RuntimeState.RUNNING, state.startedAt() == null ? now : state.startedAt(), null, null);
    }
    if (action instanceof Action.StartCanceling) {
      return state.withRun(RuntimeState.CANCELING, state.startedAt(), null, state.error());
    }
    if (action instanceof Action.FinishRun finish) {
      return state.withRun(finish.state(), state.startedAt() == null ? now : state.startedAt(), now, finish.error());
    }
    if (action instanceof Action.Execute execute) {
      Node node = state.require(execute.nodeId());
      return state.withNode(node.toBuilder().state(RuntimeState.RUNNING).executing(true).retryAt(null)
          .attempts(node.attempts() + 1).startedAt(node.startedAt() == null ? now : node.startedAt()).build());
    }
    if (action instanceof Action.Skip skip) {
      Node node = state.require(skip.nodeId());
      RunState next = state.withNode(node.toBuilder().state(RuntimeState.SKIPPED).skipReason(skip.reason())
          .error(skip.message()).finishedAt(now).build());
      return endSubtree(next, node.id(), RuntimeState.SKIPPED, Node.SkipReason.PARENT_SKIPPED, now);
    }
    if (action instanceof Action.Fail fail) {
      Node node = state.require(fail.nodeId());
      RunState next = state.withNode(node.toBuilder().state(RuntimeState.FAILED).executing(false).retryAt(null)
          .error(fail.error()).finishedAt(now).build());
      return endSubtree(next, node.id(), RuntimeState.SKIPPED, Node.SkipReason.PARENT_SKIPPED, now);
    }
    if (action instanceof Action.StartDag start) {
      Node node = state.require(start.nodeId());
      return state.withNode(node.toBuilder().state(RuntimeState.RUNNING).startedAt(now).build());
    }
    if (action instanceof Action.ExpandLoop expand) {
      Node loop = state.require(expand.nodeId());
      RunState next = state.withNode(loop.toBuilder().state(RuntimeState.RUNNING).startedAt(now).build());
      return insertAfterSubtree(next, loop.id(), plan.iterationNodes(loop, expand.count()));
    }
    if (action instanceof Action.FinishDag finish) {
      Node node = state.require(finish.nodeId());
      return state.withNode(node.toBuilder().state(finish.state()).error(finish.error()).finishedAt(now).build());
    }
    if (action instanceof Action.Cancel cancel) {
      Node node = state.require(cancel.nodeId());
      RunState next = state.withNode(node.toBuilder().state(RuntimeState.CANCELED).retryAt(null)
          .finishedAt(now).build());
      return endSubtree(next, node.id(), RuntimeState.CANCELED, null, now);
    }
    if (action instanceof Action.Kill kill) {
      Node node = state.require(kill.nodeId());
      return state.withNode(node.toBuilder().killRequested(true).build());
    }
    throw new IllegalArgumentException("unknown action " + action);
  }

  /** Ends every not-yet-finished node below {@code id} (none of them has a process). */
  private static RunState endSubtree(RunState state, String id, RuntimeState end, Node.SkipReason reason, Instant now) {
    RunState next = state;
    for (Node d : state.descendants(id)) {
      if (!d.state().isTerminal() && !d.executing()) {
        next = next.withNode(d.toBuilder().state(end).skipReason(reason).retryAt(null).finishedAt(now).build());
      }
    }
    return next;
  }

  /** New nodes go right after the existing subtree of {@code anchorId}, so the summary reads in DAG order. */
  private static RunState insertAfterSubtree(RunState state, String anchorId, List<Node> added) {
    Map<String, Node> nodes = state.nodes();
    List<String> ids = new ArrayList<>(nodes.keySet());
    int last = ids.indexOf(anchorId);
    for (int i = last + 1; i < ids.size(); i++) {
      if (ids.get(i).startsWith(anchorId + "[") || ids.get(i).startsWith(anchorId + "/")) {
        last = i;
      }
    }
    Map<String, Node> ordered = new LinkedHashMap<>();
    for (int i = 0; i <= last; i++) {
      ordered.put(ids.get(i), nodes.get(ids.get(i)));
    }
    for (Node n : added) {
      ordered.putIfAbsent(n.id(), n); // a resumed run keeps the iterations it already has
    }
    for (int i = last + 1; i < ids.size(); i++) {
      ordered.putIfAbsent(ids.get(i), nodes.get(ids.get(i)));
    }
    return new RunState(state.runId(), state.state(), state.createdAt(), state.startedAt(), state.finishedAt(),
        state.error(), state.cancelRequested(), state.parameters(), ordered);
  }

  /**
   * An attempt ended. A failure with retries left (and time left under the policy's max duration)
   * keeps the node RUNNING until {@code retryAt}; a cancel or a killed process ends it CANCELED.
   */
  public static RunState finished(Plan plan, RunState state, String nodeId, Outcome outcome, Instant now) {
    Node node = state.require(nodeId);
    Node.Builder next = node.toBuilder().executing(false).exitCode(outcome.exitCode()).logTail(outcome.logTail());
    if (outcome.state() == RuntimeState.SUCCEEDED) {
      next.state(RuntimeState.SUCCEEDED).finishedAt(now).error(null).cached(outcome.cached())
          .outputParameters(outcome.outputParameters()).outputArtifacts(outcome.outputArtifacts());
      if (outcome.cached()) {
        next.attempts(0);
      }
      return state.withNode(next.build());
    }
    // A process ended by a signal while the run is being canceled was ended by that cancel (a
    // SIGTERM or Ctrl-C sent to the whole process group), not by a fault of its own.
    boolean signalled = Outcome.isCancelSignal(outcome.exitCode()) && state.cancelRequested();
    if (outcome.state() == RuntimeState.CANCELED || node.killRequested() || signalled) {
      return state.withNode(next.state(RuntimeState.CANCELED).finishedAt(now).error("canceled").build());
    }
    String error = Decider.failure(node, outcome.error() == null ? "failed" : outcome.error());
    Instant retryAt = state.cancelRequested() ? null : retryAt(plan.taskSpec(state, node), node, now);
    if (retryAt != null) {
      return state.withNode(next.state(RuntimeState.RUNNING).retryAt(retryAt).error(error).build());
    }
    return state.withNode(next.state(RuntimeState.FAILED).finishedAt(now).error(error).build());
  }

  /**
   * When the next attempt may start, or null when the policy allows no more: retry k (k = attempts
   * so far) waits backoff_duration x backoff_factor^(k-1), capped at backoff_max_duration, and no
   * retry starts later than backoff_max_duration after the first attempt started (Argo's maxDuration).
   */
  static Instant retryAt(PipelineTaskSpec task, Node node, Instant now) {
    if (!task.hasRetryPolicy()) {
      return null;
    }
    PipelineTaskSpec.RetryPolicy policy = task.getRetryPolicy();
    if (node.attempts() > policy.getMaxRetryCount()) {
      return null;
    }
    double factor = policy.getBackoffFactor() > 0 ? policy.getBackoffFactor() : DEFAULT_BACKOFF_FACTOR;
    java.time.Duration max = policy.hasBackoffMaxDuration() && !isZero(policy.getBackoffMaxDuration())
        ? toJava(policy.getBackoffMaxDuration()) : DEFAULT_BACKOFF_MAX;
    double base = policy.hasBackoffDuration() ? toJava(policy.getBackoffDuration()).toMillis() : 0;
    double millis = Math.min(base * Math.pow(factor, node.attempts() - 1), max.toMillis());
    Instant at = now.plusMillis((long) millis);
    Instant first = node.startedAt() == null ? now : node.startedAt();
    if (at.isAfter(first.plus(max))) {
      return null;
    }
    return at;
  }

  private static boolean isZero(Duration d) {
    return d.getSeconds() == 0 && d.getNanos() == 0;
  }

  private static java.time.Duration toJava(Duration d) {
    return java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }
}
