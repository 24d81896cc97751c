package io.jenkins.plugins.kfp.internal;

import io.kfpci.KfpException;
import io.kfpci.client.KfpConnection;
import io.kfpci.monitor.PollBackoff;
import io.kfpci.remote.ObservationPass;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Waiting on a KFP run on the calling thread, for the freestyle build step: a freestyle build
 * holds its executor anyway, so it checks the run with {@link RemoteRuns#check} (backing off as
 * the durable Pipeline execution does) until the run ends. A timeout, and the build's abort (the
 * executor interrupts the thread), terminate the run on KFP ({@link RemoteRuns#terminate}) and the
 * wait goes on until the server says it ended, so the build can record it; a second abort, or a
 * run still going {@code graceMillis} after the terminate, ends the wait at once.
 */
public final class RemoteWait {
  private static final PollBackoff BACKOFF = PollBackoff.DEFAULT;

  private RemoteWait() {}

  /** Sleeps between checks; interrupted when the build is aborted. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration delay) throws InterruptedException;
  }

  /** The real sleeper. */
  public static final Sleeper THREAD_SLEEP = delay -> Thread.sleep(delay.toMillis());

  /** The run to wait on and how. */
  public record Watch(KfpConnection connection, String endpoint, String runId, String watchState,
      List<String> taskNames, long deadlineMillis, String timeoutReason, String abortReason, long graceMillis,
      RemoteObservation observation) {
    public Watch {
      taskNames = List.copyOf(taskNames);
      observation = observation == null ? RemoteObservation.NONE : observation;
    }

    /** A watch of the API state only: no metrics, no task logs. */
    public Watch(KfpConnection connection, String endpoint, String runId, String watchState, List<String> taskNames,
        long deadlineMillis, String timeoutReason, String abortReason, long graceMillis) {
      this(connection, endpoint, runId, watchState, taskNames, deadlineMillis, timeoutReason, abortReason,
          graceMillis, RemoteObservation.NONE);
    }
  }

  /**
   * How the wait ended.
   *
   * @param watchState the last watch state (the run's, to record)
   * @param finished whether the server said the run ended
   * @param stopReason why a terminate was asked ("" when none)
   * @param abort the build's abort, to rethrow once the run is recorded; null when not aborted
   */
  public record Outcome(String watchState, String runState, boolean finished, String stopReason,
      InterruptedException abort) {}

  /**
   * Checks until the run ends.
   *
   * @param console where the run's state lines and the wait's own notes go
   * @param clock milliseconds, for the deadline and the grace after a terminate
   * @throws InterruptedException when the build is aborted a second time while the run ends
   */
  public static Outcome await(Watch w, Consumer<String> console, Sleeper sleeper, LongSupplier clock)
      throws InterruptedException {
    String state = w.watchState();
    String runState = "PENDING";
    String stopReason = "";
    InterruptedException abort = null;
    boolean terminateRequested = false;
    long terminatedAt = 0;
    Duration delay = BACKOFF.initial();
    ObservationPass.Failures failures = ObservationPass.Failures.NONE;
    while (true) {
      try {
        if (stopReason.isEmpty() && w.deadlineMillis() > 0 && clock.getAsLong() >= w.deadlineMillis()) {
          stopReason = w.timeoutReason();
        }
        boolean changed = false;
        String doing = "check";
        try {
          if (!stopReason.isEmpty() && !terminateRequested) {
            doing = "terminate";
            console.accept("[kfp] terminating run " + w.runId() + " on " + w.endpoint() + " (" + stopReason + ")");
            state = RemoteRuns.terminate(w.connection(), state);
            terminateRequested = true;
            terminatedAt = clock.getAsLong();
            doing = "check";
          }
          // State lines, then the tasks' new log lines when the endpoint has ML Metadata (as kfpRun).
          RemoteRuns.Checked checked = RemoteRuns.check(w.connection(), state, w.taskNames(), w.observation(),
              true, failures, console);
          failures = checked.failures();
          changed = !checked.watchState().equals(state);
          state = checked.watchState();
          runState = checked.runState();
          if (checked.finished()) {
            return new Outcome(state, runState, true, stopReason, abort);
          }
        } catch (KfpException e) {
          // The server or the network failed for now (the core already retried): the run goes on there.
          console.accept("[kfp] could not " + doing + " run " + w.runId() + " now: " + e.getMessage() + "; trying again");
        }
        if (abort != null && clock.getAsLong() - terminatedAt > w.graceMillis()) {
          console.accept("[kfp] run " + w.runId() + " did not end within " + w.graceMillis() / 1000
              + " s of the terminate request; the build stops watching it");
          return new Outcome(state, runState, false, stopReason, abort);
        }
        delay = BACKOFF.next(delay, changed);
        sleeper.sleep(delay);
      } catch (InterruptedException e) {
        if (abort != null) {
          throw e;
        }
        // The build was aborted: terminate the run and watch it end, so the build records it.
        abort = e;
        if (!terminateRequested) {
          stopReason = w.abortReason();
          terminatedAt = clock.getAsLong();
        }
      }
    }
  }
}
