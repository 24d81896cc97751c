package io.kfpci.monitor;

import io.kfpci.process.Processes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops a local run. {@link #requestCancel} sends SIGTERM, on which the runner stops its tasks'
 * process trees, runs the exit handlers and ends the run CANCELED; {@link #kill} is the last
 * resort for a runner that does not stop: it kills the runner and everything below it at once.
 * Stateless and thread-safe; both return promptly. {@link #cancel} combines them and blocks.
 */
public final class RunCanceller {
  private RunCanceller() {}

  /**
   * Asks the runner to cancel the run. Returns false when the runner is already gone (or its pid
   * now belongs to another process, which is then left alone).
   */
  public static boolean requestCancel(RunHandle handle) {
    Optional<ProcessHandle> process = handle.process();
    // ProcessHandle.destroy() is SIGTERM on Unix: the polite request the runner handles.
    return process.map(ProcessHandle::destroy).orElse(false);
  }

  /**
   * Kills the runner and its descendants forcibly, descendants first so none is orphaned, and
   * waits briefly for them to die. Returns false when the runner was already gone.
   */
  public static boolean kill(RunHandle handle) {
    Optional<ProcessHandle> process = handle.process();
    process.ifPresent(Processes::destroyTree);
    return process.isPresent();
  }

  /**
   * Requests cancellation, waits up to {@code grace} for the runner to end by itself (it runs the
   * exit handlers meanwhile), then kills what is left. Returns true when the runner stopped within
   * the grace period.
   */
  public static boolean cancel(RunHandle handle, Duration grace) throws InterruptedException {
    Optional<ProcessHandle> process = handle.process();
    if (process.isEmpty()) {
      return true;
    }
    process.get().destroy();
    try {
      process.get().onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      kill(handle);
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for a process to exit cannot fail", e);
    }
  }
}
