package io.kfpci.local.internal;

import io.kfpci.ir.TaskDependencies;

import io.kfpci.ir.proto.PipelineTaskSpec;
import io.kfpci.report.RuntimeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The decide half of the local runner: given the plan and one run state, what should happen next.
 * Pure: no I/O, no clock (the caller passes {@code now}), no threads; the same inputs give the same
 * actions. The coordinator applies the actions and calls it again until the run ends.
 *
 * <p>Rules, as the KFP backend runs a DAG: a task waits until its upstream tasks are done; with the
 * default trigger strategy an upstream failure skips it, with ALL_UPSTREAM_TASKS_COMPLETED (exit
 * handlers, {@code ignore_upstream_failure}) it runs anyway; a false condition skips it and its
 * subtree; containers run while fewer than {@code parallelism} processes are running; loop
 * iterations respect the loop's parallelism limit; a cancel stops everything but exit handlers.
 */
public final class Decider {
  private final Plan plan;
  private final RunState state;
  private final Instant now;
  private final List<Action> actions = new ArrayList<>();
  private final boolean canceling;
  private int slots;

  private Decider(Plan plan, RunState state, Instant now, int parallelism) {
    this.plan = plan;
    this.state = state;
    this.now = now;
    this.canceling = state.cancelRequested();
    this.slots = Math.max(0, parallelism - (int) state.executingContainers());
  }

  public static List<Action> decide(Plan plan, RunState state, Instant now, int parallelism) {
    if (state.state().isTerminal()) {
      return List.of();
    }
    if (state.state() == RuntimeState.PENDING) {
      return List.of(new Action.StartRun());
    }
    Decider decider = new Decider(plan, state, now, parallelism);
    if (decider.canceling && state.state() == RuntimeState.RUNNING) {
      decider.actions.add(new Action.StartCanceling());
    }
    List<Node> top = state.children("");
    decider.visitScope(top);
    if (top.stream().allMatch(n -> n.state().isTerminal())) {
      Aggregate result = aggregate(top);
      RuntimeState end = decider.canceling && result.state != RuntimeState.FAILED ? RuntimeState.CANCELED : result.state;
      decider.actions.add(new Action.FinishRun(end, end == RuntimeState.CANCELED && result.error == null
          ? "canceled" : result.error));
    }
    return List.copyOf(decider.actions);
  }

  /** When a waiting retry is due, if any: the coordinator wakes up then. */
  public static Optional<Instant> nextWakeUp(RunState state) {
    return state.nodes().values().stream()
        .filter(n -> n.state() == RuntimeState.RUNNING && !n.executing() && n.retryAt() != null)
        .map(Node::retryAt).min(Instant::compareTo);
  }

  private void visitScope(List<Node> children) {
    for (Node child : children) {
      switch (child.state()) {
        case PENDING -> pending(child);
        case RUNNING -> running(child);
        default -> { }
      }
    }
  }

  private void running(Node node) {
    switch (node.kind()) {
      case CONTAINER, IMPORTER -> runningExecutor(node);
      case DAG, ITERATION -> {
        List<Node> children = state.children(node.id());
        visitScope(children);
        finishWhenDone(node, children);
      }
      case LOOP -> runningLoop(node);
    }
  }

  private void runningExecutor(Node node) {
    boolean exit = Plan.isExitTask(plan.taskSpec(state, node));
    if (canceling && !exit) {
      if (node.executing() && !node.killRequested()) {
        actions.add(new Action.Kill(node.id()));
      } else if (!node.executing()) {
        actions.add(new Action.Cancel(node.id()));
      }
      return;
    }
    if (!node.executing() && node.retryAt() != null && !node.retryAt().isAfter(now)) {
      if (node.kind() == Kind.CONTAINER && slots == 0) {
        return;
      }
      try {
        actions.add(new Action.Execute(node.id(), Scopes.taskInputs(plan, state, node)));
        if (node.kind() == Kind.CONTAINER) {
          slots--;
        }
      } catch (Cel.CelException e) {
        actions.add(new Action.Fail(node.id(), failure(node, e.getMessage())));
      }
    }
  }

  private void runningLoop(Node loop) {
    List<Node> iterations = state.children(loop.id());
    int limit = plan.taskSpec(state, loop).getIteratorPolicy().getParallelismLimit();
    long running = iterations.stream().filter(i -> i.state() == RuntimeState.RUNNING).count();
    for (Node iteration : iterations) {
      if (iteration.state() == RuntimeState.PENDING) {
        if (canceling) {
          actions.add(new Action.Cancel(iteration.id()));
        } else if (limit <= 0 || running < limit) {
          actions.add(new Action.StartDag(iteration.id()));
          running++;
        }
      } else if (iteration.state() == RuntimeState.RUNNING) {
        running(iteration);
      }
    }
    finishWhenDone(loop, iterations);
  }

  private void finishWhenDone(Node node, List<Node> children) {
    if (children.stream().allMatch(c -> c.state().isTerminal())) {
      Aggregate result = aggregate(children);
      actions.add(new Action.FinishDag(node.id(), result.state, result.error));
    }
  }

  private void pending(Node node) {
    PipelineTaskSpec task = plan.taskSpec(state, node);
    List<Node> upstream = new ArrayList<>();
    for (String name : TaskDependencies.upstream(task)) {
      Optional<Node> sibling = state.node(Node.childId(node.parentId(), name));
      if (sibling.isPresent()) {
        if (!sibling.get().state().isTerminal()) {
          return; // wait
        }
        upstream.add(sibling.get());
      }
    }
    if (canceling && !Plan.isExitTask(task)) {
      actions.add(new Action.Cancel(node.id()));
      return;
    }
    boolean anyway = task.getTriggerPolicy().getStrategy()
        == PipelineTaskSpec.TriggerPolicy.TriggerStrategy.ALL_UPSTREAM_TASKS_COMPLETED;
    if (!anyway) {
      Optional<Node> failed = upstream.stream().filter(Node::isFailedLike).findFirst();
      if (failed.isPresent()) {
        actions.add(new Action.Skip(node.id(), Node.SkipReason.UPSTREAM_FAILED,
            "not run: upstream task '" + failed.get().id() + "' " + failed.get().state()));
        return;
      }
    }
    Scopes.Inputs inputs;
    try {
      inputs = Scopes.taskInputs(plan, state, node);
      String condition = task.getTriggerPolicy().getCondition();
      if (!condition.isEmpty() && !Cel.condition(condition, inputs.parameters(), inputs.artifacts())) {
        actions.add(new Action.Skip(node.id(), Node.SkipReason.CONDITION_FALSE, null));
        return;
      }
    } catch (Cel.CelException e) {
      actions.add(new Action.Fail(node.id(), failure(node, e.getMessage())));
      return;
    }
    switch (node.kind()) {
      case CONTAINER, IMPORTER -> {
        if (!inputs.problems().isEmpty()) {
          actions.add(new Action.Fail(node.id(), failure(node, String.join("; ", inputs.problems()))));
        } else if (node.kind() == Kind.IMPORTER || slots > 0) {
          actions.add(new Action.Execute(node.id(), inputs));
          if (node.kind() == Kind.CONTAINER) {
            slots--;
          }
        }
      }
      case DAG -> actions.add(new Action.StartDag(node.id()));
      case LOOP -> {
        try {
          actions.add(new Action.ExpandLoop(node.id(), Scopes.loopItems(plan, state, node).size()));
        } catch (Cel.CelException | IllegalArgumentException e) {
          actions.add(new Action.Fail(node.id(), failure(node, e.getMessage())));
        }
      }
      case ITERATION -> actions.add(new Action.StartDag(node.id()));
    }
  }

  /** "task 'x' failed with exit code 3", or "task 'x' failed: reason". */
  static String failure(Node node, String reason) {
    return "task '" + node.id() + "' failed" + (reason.startsWith("with ") ? " " : ": ") + reason;
  }

  private record Aggregate(RuntimeState state, String error) {}

  /** A group's end state: FAILED if a child failed, CANCELED if one was canceled, else SUCCEEDED. */
  private static Aggregate aggregate(List<Node> children) {
    for (Node c : children) {
      if (c.state() == RuntimeState.FAILED) {
        return new Aggregate(RuntimeState.FAILED, c.error());
      }
    }
    for (Node c : children) {
      if (c.state() == RuntimeState.CANCELED) {
        return new Aggregate(RuntimeState.CANCELED, null);
      }
    }
    return new Aggregate(RuntimeState.SUCCEEDED, null);
  }
}
