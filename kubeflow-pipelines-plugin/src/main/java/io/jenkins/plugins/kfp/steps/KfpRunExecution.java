package io.jenkins.plugins.kfp.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Computer;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.kfp.KfpSettings;
import io.jenkins.plugins.kfp.Messages;
import io.jenkins.plugins.kfp.config.KubeflowPipelinesConfiguration;
import io.jenkins.plugins.kfp.internal.AgentCancel;
import io.jenkins.plugins.kfp.internal.AgentPoll;
import io.jenkins.plugins.kfp.internal.AgentPrepareRun;
import io.jenkins.plugins.kfp.internal.LocalRunOptions;
import io.jenkins.plugins.kfp.internal.LocalRuns;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.FilePathUtils;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * The durable execution of {@code kfpRun}, modelled on the {@code sh} step's
 * {@code DurableTaskStep.Execution}: the run is a detached process on the agent, and this
 * execution only looks at it now and then.
 *
 * <p><b>Threads.</b> {@link #start()} (CPS VM thread) records where to run and hands the launch to
 * {@link Computer#threadPoolForRemoting}. Checks are scheduled on {@link Timer} with backoff
 * (¼ s after progress, up to 15 s when quiet) and each check runs, again on the remoting pool, as
 * one short remote call to the agent that polls the run directory; no thread is held while the run
 * is in progress. {@link #stop} and {@link #onResume} also only schedule work.
 *
 * <p><b>Persisted</b> (with the Pipeline program): the step's options, the node name and
 * workspace path, the run id, run directory and spec file, the watch state (pid, process start,
 * run.log byte offset, last reported states, as JSON), the timeout deadline and cancel request,
 * and whether the step finished. Never a channel, a file handle or a client.
 *
 * <p><b>After a controller restart</b> {@link #onResume} re-arms the check: the watch continues
 * from the saved log offset, so the console neither repeats nor skips lines, and the runner,
 * which never knew the controller was gone, has not re-run anything. A restart during the launch
 * re-attaches to the runner if it had started (through its runner.json), else launches it.
 *
 * <p><b>Finishing</b> goes through {@link #finish} only, which guards against finishing twice.
 */
final class KfpRunExecution extends WaitingStepExecution {
  private static final long serialVersionUID = 1L;
  private static final Logger LOGGER = Logger.getLogger(KfpRunExecution.class.getName());

  // The step's options, as plain values (the step itself is not serializable).
  private final String pipeline;
  private final HashMap<String, String> params;
  private final String pipelineRoot;
  private final boolean enableCaching;
  private final int parallelism;
  private final int timeoutMinutes;

  private String node;
  private String workspace;
  private String runId;
  private String pipelineName;
  private String runDir;
  private String specFile;
  private String watchState;
  private long deadline;
  private long cancelRequestedAt;
  private String cancelReason;
  private Throwable stopCause;
  private boolean killed;

  /** Written by checks and launches on pool threads, one at a time. */
  private transient volatile boolean reportedUnreachable;

  KfpRunExecution(StepContext context, KfpRunStep step) throws AbortException {
    super(context);
    this.pipeline = step.getPipeline();
    this.params = new HashMap<>(KfpParameter.runParameters(step.getParams(), step.getParameters()));
    this.pipelineRoot = step.getPipelineRoot();
    this.enableCaching = step.isEnableCaching();
    this.parallelism = step.getParallelism();
    this.timeoutMinutes = step.getTimeout();
  }

  @Override
  public boolean start() throws Exception {
    FilePath ws = getContext().get(FilePath.class);
    node = FilePathUtils.getNodeName(ws);
    workspace = ws.getRemote();
    runId = LocalRuns.newRunId(getContext().get(Run.class));
    options(); // fail now on bad options, before anything is launched
    Computer.threadPoolForRemoting.submit(this::launch);
    return false;
  }

  private LocalRunOptions options() {
    return new LocalRunOptions(pipelineRoot, enableCaching, parallelism, timeoutMinutes);
  }

  /** True once the step finished or a stop was requested: nothing new may start. */
  private synchronized boolean over() {
    return done || stopCause != null;
  }

  /** Prepares and starts the run; on the remoting pool. Safe to repeat after a restart. */
  private void launch() {
    try {
      FilePath ws = over() ? null : workspace();
      LaunchDecision decision;
      synchronized (this) {
        decision = LaunchDecision.of(done, stopCause != null, ws != null);
      }
      if (decision == LaunchDecision.ABANDON) {
        return;
      }
      if (decision == LaunchDecision.RETRY_LATER) {
        reportUnreachable(null);
        retryLaunchLater();
        return;
      }
      KfpSettings settings = KubeflowPipelinesConfiguration.get().settings();
      PrintStream log = listener().getLogger();
      String dir;
      String spec;
      synchronized (this) {
        dir = runDir;
        spec = specFile;
      }
      if (dir == null) {
        AgentPrepareRun.Prepared prepared = LocalRuns.prepare(ws, pipeline, params, options(), runId, settings,
            listener());
        synchronized (this) {
          pipelineName = prepared.pipelineName();
          runDir = dir = prepared.runDir();
          specFile = spec = prepared.specFile();
        }
        getContext().saveState();
      }
      synchronized (this) {
        if (LaunchDecision.of(done, stopCause != null, true) == LaunchDecision.ABANDON) {
          // Aborted while preparing: nothing was started, so there is nothing to cancel.
          return;
        }
      }
      String state = LocalRuns.start(ws, dir, spec, settings);
      boolean stopped;
      String name;
      synchronized (this) {
        watchState = state;
        deadline = timeoutMinutes > 0 ? System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(timeoutMinutes) : 0;
        stopped = done;
        name = pipelineName;
      }
      getContext().saveState();
      if (stopped) {
        // The build was aborted while the run was being started: stop what was just started.
        ws.act(new AgentCancel(state, false));
        return;
      }
      log.println("[kfp] run " + runId + " of " + name + " started on " + nodeLabel() + " in " + dir);
      schedule(BACKOFF.initial().toMillis());
    } catch (IOException | RuntimeException e) {
      finish(null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finish(null, e);
    }
  }

  /** Looks for the workspace again later, unless the step is over or stopping by then. */
  private void retryLaunchLater() {
    synchronized (this) {
      if (LaunchDecision.of(done, stopCause != null, false) != LaunchDecision.RETRY_LATER) {
        return;
      }
      task = Timer.get().schedule(() -> Computer.threadPoolForRemoting.submit(this::launch),
          LaunchDecision.RETRY_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Override
  void checkNow() {
    String state;
    long due;
    long cancelAt;
    boolean wasKilled;
    long delay;
    synchronized (this) {
      if (done) {
        return;
      }
      state = watchState;
      due = deadline;
      cancelAt = cancelRequestedAt;
      wasKilled = killed;
      delay = delayMillis;
    }
    long next = BACKOFF.next(Duration.ofMillis(delay), false).toMillis();
    try {
      FilePath ws = workspace();
      if (ws == null) {
        reportUnreachable(null);
        return;
      }
      reportedUnreachable = false;
      long now = System.currentTimeMillis();
      if (due > 0 && now >= due && cancelAt == 0) {
        requestCancel(ws, Messages.KfpRunStep_TimedOut(timeoutMinutes));
        synchronized (this) {
          state = watchState;
          cancelAt = cancelRequestedAt;
        }
      }
      if (cancelAt > 0 && !wasKilled && now - cancelAt >= LocalRuns.KILL_AFTER_MILLIS) {
        listener().getLogger().println("[kfp] run " + runId + " did not stop within "
            + LocalRuns.KILL_AFTER_MILLIS / 1000 + " s of the cancel request; killing its processes");
        ws.act(new AgentCancel(state, true));
        synchronized (this) {
          killed = true;
        }
        getContext().saveState();
      }
      AgentPoll.Outcome outcome = ws.act(new AgentPoll(state));
      PrintStream log = listener().getLogger();
      outcome.lines().forEach(log::println);
      boolean changed;
      synchronized (this) {
        changed = !outcome.watchState().equals(watchState);
        watchState = outcome.watchState();
      }
      if (changed) {
        // Saved after printing: after a restart only what was not printed is read again.
        getContext().saveState();
      }
      if (outcome.finished()) {
        complete(ws, outcome);
        return;
      }
      next = outcome.moreLog() ? 0 : BACKOFF.next(Duration.ofMillis(delay), outcome.active()).toMillis();
    } catch (AbortException e) {
      finish(null, e);
    } catch (IOException e) {
      // The agent went away or a read failed for now: the run goes on, look again later.
      LOGGER.log(Level.FINE, "could not check run " + runId + " on " + nodeLabel(), e);
      reportUnreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finish(null, e);
    } catch (RuntimeException e) {
      finish(null, e);
    } finally {
      // schedule() does nothing once the step is done.
      schedule(next);
    }
  }

  private void complete(FilePath ws, AgentPoll.Outcome outcome) throws IOException, InterruptedException {
    Run<?, ?> build = getContext().get(Run.class);
    String dir;
    synchronized (this) {
      dir = runDir;
    }
    LocalRuns.Recorded recorded = LocalRuns.record(build, ws, runId, dir, outcome.summaryJson(), node);
    TaskListener listener = listener();
    listener.hyperlink("/" + build.getUrl() + recorded.action().getUrlName() + "/", "[kfp] run view of " + runId);
    listener.getLogger().println();
    boolean canceled;
    Throwable cause;
    String reason;
    synchronized (this) {
      canceled = cancelRequestedAt > 0;
      cause = stopCause;
      reason = cancelReason;
    }
    if (recorded.action().isSucceeded()) {
      finish(recorded.result(), null);
    } else if (canceled) {
      finish(null, cause != null ? cause : new AbortException(reason));
    } else {
      finish(null, new AbortException(recorded.action().getDigest()));
    }
  }

  private void requestCancel(FilePath ws, String reason) throws IOException, InterruptedException {
    listener().getLogger().println("[kfp] canceling run " + runId + " (" + reason + "); its exit handlers still run");
    String current;
    synchronized (this) {
      current = watchState;
    }
    String marked = LocalRuns.cancelRequested(current);
    synchronized (this) {
      cancelRequestedAt = System.currentTimeMillis();
      cancelReason = reason;
      watchState = marked;
    }
    getContext().saveState();
    ws.act(new AgentCancel(marked, false));
  }

  @Override
  public void stop(Throwable cause) {
    boolean launched;
    synchronized (this) {
      if (done) {
        return;
      }
      stopCause = cause;
      launched = watchState != null;
    }
    if (!launched) {
      // launch() sees the step finished and stops whatever it starts.
      finish(null, cause);
      return;
    }
    Computer.threadPoolForRemoting.submit(() -> {
      try {
        FilePath ws = workspace();
        if (ws == null) {
          listener().getLogger().println("[kfp] cannot reach " + nodeLabel() + " to cancel run " + runId
              + "; it keeps running there");
          finish(null, cause);
          return;
        }
        synchronized (checkLock()) {
          requestCancel(ws, Messages.KfpRunStep_Aborted());
        }
        schedule(BACKOFF.initial().toMillis());
      } catch (IOException | RuntimeException e) {
        LOGGER.log(Level.WARNING, "could not cancel run " + runId, e);
        finish(null, cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        finish(null, cause);
      }
    });
  }

  @Override
  public void onResume() {
    String state;
    synchronized (this) {
      if (done) {
        return;
      }
      state = watchState;
    }
    if (state == null) {
      Computer.threadPoolForRemoting.submit(this::launch);
    } else {
      listener().getLogger().println("[kfp] resuming the watch of run " + runId + " (" + LocalRuns.describe(state)
          + ")");
      schedule(BACKOFF.initial().toMillis());
    }
  }

  @Override
  public String getStatus() {
    synchronized (this) {
      if (done) {
        return "finished watching local run " + runId;
      }
      if (watchState == null) {
        return "launching local run " + runId + " of " + pipeline + " on " + nodeLabel();
      }
      StringBuilder status = new StringBuilder("waiting for local run ").append(runId).append(" of ")
          .append(pipelineName).append(" on ").append(nodeLabel()).append(": ").append(LocalRuns.describe(watchState));
      if (cancelRequestedAt > 0) {
        status.append("; cancel requested ").append((System.currentTimeMillis() - cancelRequestedAt) / 1000)
            .append(" s ago (").append(cancelReason).append(')');
      }
      ScheduledFuture<?> next = task;
      status.append(next == null ? "; checking now" : "; next check in " + delayMillis + " ms");
      return status.toString();
    }
  }

  /** The workspace, or null while its node is offline. */
  @CheckForNull
  private FilePath workspace() {
    return FilePathUtils.find(node, workspace);
  }

  private void reportUnreachable(Exception e) {
    if (!reportedUnreachable) {
      reportedUnreachable = true;
      listener().getLogger().println("[kfp] waiting for " + nodeLabel() + " to come back"
          + (e == null ? "" : " (" + e.getMessage() + ")") + "; the run goes on there");
    }
  }

  private String nodeLabel() {
    return node == null || node.isEmpty() ? "the built-in node" : node;
  }

  @Override
  String watched() {
    return "run " + runId;
  }
}
