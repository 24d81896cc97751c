package io.jenkins.plugins.kfp.steps;

import hudson.model.Computer;
import hudson.model.TaskListener;
import io.kfpci.monitor.PollBackoff;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * What {@code kfpRun}'s two durable executions (a local run on an agent, a run on a KFP endpoint)
 * share: checks of the run scheduled on {@link Timer} with backoff and run one at a time on
 * {@link Computer#threadPoolForRemoting}, and one guarded way to finish.
 *
 * <p><b>Persisted</b>: only whether the step finished; the pending check, its delay and the lock
 * are transient, so {@code onResume()} of a subclass schedules a check again.
 *
 * <p><b>Locking</b>: the fields of this object and of its subclass are guarded by {@code this};
 * a check holds {@link #checkLock()} (never {@code this}) while it makes its remote calls.
 */
abstract class WaitingStepExecution extends StepExecution {
  private static final long serialVersionUID = 1L;
  private static final Logger LOGGER = Logger.getLogger(WaitingStepExecution.class.getName());
  static final PollBackoff BACKOFF = PollBackoff.DEFAULT;

  /** Whether the step ended; guarded by {@code this}. */
  boolean done;

  /** The next check (or another scheduled retry of the subclass): at most one waits. */
  transient volatile ScheduledFuture<?> task;
  transient long delayMillis;
  /** Serialises checks with whatever else advances the watch state (a cancel request). */
  private transient volatile Object checkLock;

  WaitingStepExecution(StepContext context) {
    super(context);
  }

  /** One check of the run, made with the check lock held. */
  abstract void checkNow();

  /** What this execution watches, for the Jenkins log when its console cannot be had. */
  abstract String watched();

  /** Schedules the next check, replacing a pending one: at most one check is ever waiting. */
  final void schedule(long delay) {
    synchronized (this) {
      if (done) {
        return;
      }
      ScheduledFuture<?> pending = task;
      if (pending != null) {
        pending.cancel(false);
      }
      delayMillis = delay;
      // The timer thread only hands the check over; the remote call runs on the remoting pool.
      task = Timer.get().schedule(() -> Computer.threadPoolForRemoting.submit(this::check), delay,
          TimeUnit.MILLISECONDS);
    }
  }

  final Object checkLock() {
    Object lock = checkLock;
    if (lock == null) {
      synchronized (this) {
        if (checkLock == null) {
          checkLock = new Object();
        }
        lock = checkLock;
      }
    }
    return lock;
  }

  /** One check of the run; on the remoting pool, one at a time. */
  final void check() {
    synchronized (checkLock()) {
      task = null;
      checkNow();
    }
  }

  /** The one way to end the step; returns false when it had already ended. */
  final boolean finish(Object result, Throwable failure) {
    synchronized (this) {
      if (done) {
        return false;
      }
      done = true;
    }
    ScheduledFuture<?> pending = task;
    if (pending != null) {
      // A pending check or retry: it would find the step done anyway.
      pending.cancel(false);
    }
    if (failure == null) {
      getContext().onSuccess(result);
    } else {
      getContext().onFailure(failure);
    }
    return true;
  }

  final TaskListener listener() {
    try {
      return getContext().get(TaskListener.class);
    } catch (IOException e) {
      LOGGER.log(Level.FINE, "no console for " + watched(), e);
      return TaskListener.NULL;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return TaskListener.NULL;
    }
  }
}
