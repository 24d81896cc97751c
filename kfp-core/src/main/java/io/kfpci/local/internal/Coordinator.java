package io.kfpci.local.internal;

import io.kfpci.ir.proto.PipelineTaskSpec;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Drives a local run: the loop that asks {@link Decider} what to do, applies it with
 * {@link Transitions}, starts attempts on worker threads through {@link Executions}, and waits for
 * their outcomes. The thread that calls {@link #run} owns the run state; workers only post events.
 * After every batch of changes the summary is written atomically (so a crash loses nothing
 * {@code --resume} needs) and each state change is logged to run.log.
 *
 * <p>Cancellation ({@link #requestCancel}, from any thread, e.g. a shutdown hook) is an event: the
 * decide function then kills running processes, cancels what has not started, and still runs exit
 * handlers. If the owning thread is interrupted the run is canceled the same way, and the interrupt
 * is restored when {@link #run} returns.
 */
public final class Coordinator {
  /**
   * How long a killed attempt may take to end on its own. One still busy after that is in the
   * runner's own work, not in a process (a long placeholder expansion, hashing a huge output): it
   * is ended CANCELED without it, so a cancel is prompt whatever the attempt was doing.
   */
  static final Duration KILL_GRACE = Duration.ofSeconds(5);

  private final Plan plan;
  private final Executions executions;
  private final RunDirectory directory;
  private final int parallelism;
  private final Consumer<RunSummary> onSummary;
  private final Clock clock;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final ExecutorService workers;
  private RunState state;

  private sealed interface Event {}

  /** An attempt ended; {@code attempt} tells a late result of an abandoned attempt from the current one. */
  private record Finished(String nodeId, int attempt, Outcome outcome) implements Event {}

  private record CancelRequested() implements Event {}

  public Coordinator(Plan plan, RunState initial, Executions executions, RunDirectory directory, int parallelism,
      Consumer<RunSummary> onSummary, Clock clock) {
    this.plan = plan;
    this.state = initial;
    this.executions = executions;
    this.directory = directory;
    this.parallelism = parallelism;
    this.onSummary = onSummary;
    this.clock = clock;
    AtomicInteger count = new AtomicInteger();
    ThreadFactory threads = r -> {
      Thread t = new Thread(r, "kfpci-task-" + count.incrementAndGet());
      t.setDaemon(true); // a hung task must not keep the JVM alive after the run was given up
      return t;
    };
    this.workers = java.util.concurrent.Executors.newCachedThreadPool(threads);
  }

  /** Thread-safe; idempotent. */
  public void requestCancel() {
    executions.canceling();
    events.add(new CancelRequested());
  }

  /** The current state; only meaningful on the owning thread or after {@link #run} returned. */
  public RunState state() {
    return state;
  }

  /** Runs until the run is terminal; returns the final state. */
  public RunState run() throws IOException {
    boolean interrupted = false;
    persist();
    try {
      while (!state.state().isTerminal()) {
        Event event;
        while ((event = events.poll()) != null) {
          handle(event);
        }
        List<Action> actions = Decider.decide(plan, state, clock.instant(), parallelism);
        if (!actions.isEmpty()) {
          for (Action action : actions) {
            apply(action);
          }
          persist();
          continue;
        }
        Optional<Instant> wake = Decider.nextWakeUp(state);
        try {
          long waitMillis = wake.map(w -> Math.max(1, Duration.between(clock.instant(), w).toMillis()))
              .orElse(Long.MAX_VALUE);
          event = events.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
          event = new CancelRequested();
        }
        if (event != null) {
          handle(event);
          persist();
        }
      }
    } finally {
      workers.shutdown();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return state;
  }

  private void handle(Event event) {
    if (event instanceof CancelRequested) {
      if (!state.cancelRequested() && !state.state().isTerminal()) {
        directory.log("[run] -- cancel requested: stopping running tasks; exit handlers still run");
        state = state.withCancelRequested();
      }
      return;
    }
    Finished finished = (Finished) event;
    Node current = state.require(finished.nodeId());
    if (!current.executing() || current.attempts() != finished.attempt()) {
      return; // the late result of an attempt already ended as abandoned
    }
    RunState before = state;
    state = Transitions.finished(plan, state, finished.nodeId(), finished.outcome(), clock.instant());
    logChange(before.require(finished.nodeId()), state.require(finished.nodeId()));
  }

  private void apply(Action action) {
    RunState before = state;
    state = Transitions.apply(plan, state, action, clock.instant());
    if (before.state() != state.state()) {
      directory.log("[run] -- " + state.state() + (state.error() != null && state.state() != RuntimeState.CANCELED
          ? ": " + state.error() : ""));
    }
    for (Node after : state.nodes().values()) {
      Node was = before.nodes().get(after.id());
      if (was != null && was.state() != after.state()) {
        logChange(was, after);
      } else if (was != null && action instanceof Action.Execute && after.id().equals(((Action.Execute) action).nodeId())
          && after.attempts() > 1) {
        directory.log("[" + after.id() + "] -- RUNNING (attempt " + after.attempts() + ")");
      }
    }
    if (action instanceof Action.Execute execute) {
      Node node = state.require(execute.nodeId());
      PipelineTaskSpec task = plan.taskSpec(state, node);
      workers.execute(() -> events.add(new Finished(node.id(), node.attempts(),
          executions.run(node, task, execute.inputs()))));
    } else if (action instanceof Action.Kill kill) {
      int attempt = state.require(kill.nodeId()).attempts();
      workers.execute(() -> {
        try {
          if (!executions.stop(kill.nodeId(), KILL_GRACE)) {
            directory.log("[" + kill.nodeId() + "] -- still busy " + KILL_GRACE.toSeconds() + " s after the cancel,"
                + " outside its process; ending it without waiting");
            events.add(new Finished(kill.nodeId(), attempt, Outcome.canceled(null, List.of())));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
  }

  private void logChange(Node was, Node now) {
    if (was.state() == RuntimeState.RUNNING && now.state() == RuntimeState.RUNNING) {
      if (was.executing() && !now.executing() && now.retryAt() != null) {
        long seconds = Math.max(0, Duration.between(clock.instant(), now.retryAt()).toSeconds());
        directory.log("[" + now.id() + "] -- attempt " + now.attempts() + " failed"
            + (now.exitCode() != null ? " with exit code " + now.exitCode() : "") + "; retrying in " + seconds + " s");
      }
      return;
    }
    String detail = switch (now.state()) {
      case SUCCEEDED -> now.cached() ? " (cached)" : duration(now);
      case FAILED -> now.error() == null ? "" : ": " + now.error();
      case SKIPPED -> now.skipReason() == Node.SkipReason.CONDITION_FALSE ? " (condition is false)"
          : now.skipReason() == Node.SkipReason.UPSTREAM_FAILED && now.error() != null ? " (" + now.error() + ")" : "";
      default -> "";
    };
    directory.log("[" + now.id() + "] -- " + now.state() + detail);
  }

  private static String duration(Node node) {
    if (node.startedAt() == null || node.finishedAt() == null) {
      return "";
    }
    double seconds = Duration.between(node.startedAt(), node.finishedAt()).toMillis() / 1000.0;
    return String.format(Locale.ROOT, " in %.1f s", seconds);
  }

  private void persist() throws IOException {
    RunSummary summary = Summaries.toSummary(plan, state, directory);
    RunFiles.writeAtomically(directory.summaryFile(), RunSummaryJson.toJson(summary), RunFiles.Mode.SHARED);
    onSummary.accept(summary);
  }
}
