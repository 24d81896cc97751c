package io.jenkins.plugins.kfp.steps;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.console.HyperlinkNote;
import hudson.model.Computer;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.kfp.Messages;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.jenkins.plugins.kfp.config.KubeflowPipelinesConfiguration;
import io.jenkins.plugins.kfp.internal.AgentReadPipeline;
import io.jenkins.plugins.kfp.internal.LocalRuns;
import io.jenkins.plugins.kfp.internal.PodPreflight;
import io.jenkins.plugins.kfp.internal.RemoteObservation;
import io.jenkins.plugins.kfp.internal.RemoteRuns;
import io.jenkins.plugins.kfp.internal.RemoteUpload;
import io.jenkins.plugins.kfp.view.KfpRunAction;
import io.kfpci.KfpException;
import io.kfpci.client.KfpConnection;
import io.kfpci.remote.ObservationPass;
import io.kfpci.report.RunSummary;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * The durable execution of {@code kfpRun} with {@code endpoint:}: the run goes on on KFP, and this
 * execution only looks at it now and then, as the local one does.
 *
 * <p><b>Threads.</b> {@link #start()} (CPS VM thread) only records what to do and hands the
 * submission to {@link Computer#threadPoolForRemoting}: the agent reads and validates the IR
 * (one remote call), the controller checks that the cluster can schedule its tasks
 * ({@code preflight: true}), then uploads and creates the run (network I/O there). Checks are
 * scheduled on {@link Timer} with backoff and run on the remoting pool, one {@code getRun} each,
 * through the core's {@code RunTracker.advance}, then, when the endpoint has ML Metadata (an
 * address, or a port-forward reused across checks), one observation pass (the run's records,
 * then what is new in its tasks' logs; see
 * {@link RemoteRuns#check(io.kfpci.client.KfpConnection, String, List, RemoteObservation, boolean,
 * ObservationPass.Failures, java.util.function.Consumer)}). No executor and no thread is held
 * meanwhile, and none per pod.
 *
 * <p><b>Persisted</b>: the step's options, the endpoint's name, the submission mark (saved before
 * the create is sent), the KFP run id, the pipeline name and its task names, the UI link, the
 * core's watch state as JSON (with the tasks' log offsets), the observation failures already
 * warned about, and whether a stop was asked and the step finished. Never a client, a connection,
 * a token or a kubeconfig: the endpoint's credentials and observation settings are resolved again
 * on the controller for every check.
 *
 * <p><b>After a restart</b> {@link #onResume} continues the watch from the saved state, the logs
 * from the saved offsets (each line once); when the create's answer was lost, the run is found by
 * its mark ({@link RemoteDecision}), never sent twice.
 *
 * <p><b>Finishing</b> goes through {@link #finish} only, which guards against finishing twice.
 */
final class KfpRemoteRunExecution extends WaitingStepExecution {
  private static final long serialVersionUID = 1L;
  private static final Logger LOGGER = Logger.getLogger(KfpRemoteRunExecution.class.getName());

  private final String pipeline;
  private final String endpoint;
  private final HashMap<String, String> params;
  private final String experiment;
  /** Negative, so an execution saved before the option existed resumes with caching as compiled. */
  private final boolean disableCaching;
  private final String runName;
  private final String serviceAccount;
  private final int timeoutMinutes;
  private final boolean downloadArtifacts;
  private final boolean mirrorLogs;
  /** False in an execution saved before the option existed: no preflight, as then. */
  private final boolean preflight;

  private String buildLabel;
  private String gitShortSha;
  private String mark;
  private boolean submissionSent;
  private String kfpRunId;
  private String pipelineName;
  private String uiUrl;
  private String watchState;
  private ArrayList<String> taskNames = new ArrayList<>();
  private String lastRunState;
  private long deadline;
  private transient volatile String observationProblem;
  private String stopReason;
  /** The observation failures already warned about (ML Metadata, logs, cluster), so each is said once. */
  private String metadataFailure;
  private String logFailure;
  private String clusterFailure;
  private Throwable stopCause;
  private boolean terminateRequested;

  KfpRemoteRunExecution(StepContext context, KfpRunStep step) throws AbortException {
    super(context);
    this.pipeline = step.getPipeline();
    this.endpoint = step.getEndpoint();
    this.params = new HashMap<>(KfpParameter.runParameters(step.getParams(), step.getParameters()));
    // The endpoint's default experiment, unless the step names its own.
    this.experiment = Endpoints.experiment(Endpoints.target(KfpRunStep.FUNCTION_NAME, step.getEndpoint()),
        step.getExperiment(), KfpRunStep.DEFAULT_EXPERIMENT);
    this.disableCaching = !step.isEnableCaching();
    this.runName = step.getRunName();
    this.serviceAccount = step.getServiceAccount();
    this.timeoutMinutes = step.getTimeout();
    this.downloadArtifacts = step.isDownloadArtifacts();
    this.mirrorLogs = step.isMirrorLogs();
    this.preflight = step.isPreflight();
  }

  @Override
  public boolean start() throws Exception {
    Run<?, ?> build = getContext().get(Run.class);
    KfpEndpoint target = target();
    buildLabel = "Jenkins " + build.getExternalizableId();
    gitShortSha = RemoteUpload.gitShortSha(getContext().get(EnvVars.class).get("GIT_COMMIT"));
    mark = RemoteRuns.newMark();
    // An endpoint whose observation settings are wrong fails now, before anything is sent.
    RemoteObservation observation = Endpoints.observation(KfpRunStep.FUNCTION_NAME, build, target);
    if (preflight && !observation.cluster()) {
      throw noCluster(target.getName());
    }
    getContext().get(TaskListener.class).getLogger().println("[kfp] submitting " + pipeline + " to endpoint "
        + target.getName() + " (" + target.getUrl() + ")");
    Computer.threadPoolForRemoting.submit(this::submit);
    return false;
  }

  /**
   * The console for what the run prints (task log lines, warnings), with the endpoint's secrets
   * masked: a task may well print the token or keys it was given.
   */
  private Consumer<String> maskedConsole(Endpoints.Access access) {
    return access.masker().masking(listener().getLogger()::println);
  }

  private KfpEndpoint target() throws AbortException {
    return Endpoints.target(KfpRunStep.FUNCTION_NAME, endpoint);
  }

  /** A connection with the endpoint's credential looked up now, for this build; kept only in memory. */
  private KfpConnection connection() throws IOException, InterruptedException, KfpException {
    return Endpoints.connection(KfpRunStep.FUNCTION_NAME, getContext().get(Run.class), target(),
        w -> listener().getLogger().println("[kfp] warning: " + w));
  }

  /**
   * The connection, masker and observation of one check, from one look-up of the endpoint's
   * credentials, all dropped after the check. Observation settings that became invalid since the
   * start only lose the metrics and logs, with one warning: the run is watched on.
   */
  private Endpoints.Access access() throws IOException, InterruptedException, KfpException {
    Endpoints.Access access = Endpoints.access(KfpRunStep.FUNCTION_NAME, getContext().get(Run.class), target(),
        w -> listener().getLogger().println("[kfp] warning: " + w));
    String problem = access.observationProblem();
    if (problem != null && !problem.equals(observationProblem)) {
      listener().getLogger().println("[kfp] warning: metrics, artifacts and logs unavailable for now: " + problem);
    }
    observationProblem = problem;
    return access;
  }

  private synchronized RemoteDecision decision() {
    return RemoteDecision.of(done, stopCause != null, submissionSent, kfpRunId != null);
  }

  /** Reads the IR on the agent, then uploads and creates the run from here; on the remoting pool. */
  private void submit() {
    try {
      RemoteDecision decision = decision();
      if (decision == RemoteDecision.ABANDON) {
        return;
      }
      if (decision == RemoteDecision.WATCH) {
        schedule(BACKOFF.initial().toMillis());
        return;
      }
      AgentReadPipeline.Read read = getContext().get(FilePath.class).act(new AgentReadPipeline(pipeline));
      if (!read.problems().isEmpty()) {
        throw new AbortException(KfpRunStep.FUNCTION_NAME + ": " + read.shown() + " is not run:\n"
            + String.join("\n", read.problems()));
      }
      boolean sentBefore;
      synchronized (this) {
        sentBefore = submissionSent;
      }
      if (preflight && !sentBefore) {
        // Not after a restart that came once the create was sent: that run is looked for, never refused.
        preflight(read);
      }
      KfpConnection connection = connection();
      Throwable stoppedBefore;
      synchronized (this) {
        stoppedBefore = stopCause;
        submissionSent = stoppedBefore == null;
      }
      if (stoppedBefore != null) {
        finish(null, stoppedBefore);
        return;
      }
      // Saved before the create: after a restart from here on, the run is looked for by its mark.
      getContext().saveState();
      RemoteRuns.Submitted submitted = RemoteRuns.submit(connection, new RemoteRuns.Request(read.fileName(),
          read.content(), params, experiment, runName, serviceAccount, "", gitShortSha, buildLabel, !disableCaching), mark);
      boolean stopping;
      synchronized (this) {
        kfpRunId = submitted.runId();
        pipelineName = submitted.pipelineName();
        uiUrl = submitted.uiUrl();
        watchState = submitted.watchState();
        taskNames = new ArrayList<>(submitted.taskNames());
        deadline = timeoutMinutes > 0 ? System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(timeoutMinutes) : 0;
        stopping = stopCause != null;
      }
      getContext().saveState();
      TaskListener listener = listener();
      listener.getLogger().println("[kfp] " + (submitted.found() ? "found" : "submitted") + " run " + submitted.runId()
          + " of " + submitted.pipelineName() + " in experiment " + experiment + " on " + endpoint);
      if (submitted.uiUrl() != null) {
        listener.getLogger().println(HyperlinkNote.encodeTo(submitted.uiUrl(),
            "[kfp] run " + submitted.runId() + " in the KFP UI"));
      }
      schedule(stopping ? 0 : BACKOFF.initial().toMillis());
    } catch (KfpException e) {
      finish(null, new AbortException(KfpRunStep.FUNCTION_NAME + ": " + RemoteUpload.explain(e, endpoint, credentialsId())));
    } catch (IOException | RuntimeException e) {
      finish(null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finish(null, e);
    }
  }

  /**
   * {@code preflight: true}, from the controller before anything is uploaded: a task that no node
   * of the cluster can take would stay Pending until the timeout, so the step fails now with the
   * core's reason.
   */
  private void preflight(AgentReadPipeline.Read read) throws IOException, InterruptedException {
    RemoteObservation cluster = Endpoints.observation(KfpRunStep.FUNCTION_NAME, getContext().get(Run.class), target());
    if (!cluster.cluster()) {
      // Changed in the configuration since the start.
      throw noCluster(endpoint);
    }
    try {
      PodPreflight.require(read.fileName(), read.content(), cluster.kubeconfig(), listener().getLogger()::println);
    } catch (PodPreflight.RefusedException e) {
      throw new AbortException(KfpRunStep.FUNCTION_NAME + ": " + e.getMessage());
    } catch (KfpException e) {
      throw new AbortException(KfpRunStep.FUNCTION_NAME + ": preflight: " + e.getMessage());
    }
  }

  private static AbortException noCluster(String endpointName) {
    return new AbortException(KfpRunStep.FUNCTION_NAME + ": preflight: endpoint " + endpointName + " has no "
        + "Kubernetes settings to reach the cluster with; give it a kubeconfig credential, or reach the cluster from "
        + "the controller's pod (in cluster), in Manage Jenkins, Kubeflow Pipelines, or drop preflight: true");
  }

  private String credentialsId() {
    KfpEndpoint target = KubeflowPipelinesConfiguration.get().endpoint(endpoint);
    return target == null ? "" : target.getCredentialsId();
  }

  @Override
  void checkNow() {
    String state;
    long delay;
    boolean terminate;
    List<String> tasks;
    String reason;
    ObservationPass.Failures failures;
    synchronized (this) {
      failures = new ObservationPass.Failures(metadataFailure, logFailure, clusterFailure);
      tasks = List.copyOf(taskNames);
      if (done || kfpRunId == null) {
        return;
      }
      if (stopCause == null && deadline > 0 && System.currentTimeMillis() >= deadline) {
        stopReason = Messages.KfpRunStep_TimedOut(timeoutMinutes);
        stopCause = new AbortException(stopReason);
      }
      state = watchState;
      delay = delayMillis;
      terminate = RemoteDecision.terminateFirst(stopCause != null, terminateRequested);
      reason = stopReason;
    }
    long next = BACKOFF.next(Duration.ofMillis(delay), false).toMillis();
    try {
      Endpoints.Access access = access();
      KfpConnection connection = access.connection();
      if (terminate) {
        listener().getLogger().println("[kfp] terminating run " + kfpRunId + " on " + endpoint + " (" + reason + ")");
        String marked = RemoteRuns.terminate(connection, state);
        synchronized (this) {
          terminateRequested = true;
          watchState = state = marked;
        }
        getContext().saveState();
      }
      RemoteRuns.Checked checked = RemoteRuns.check(connection, state, tasks, access.observation(), mirrorLogs,
          failures, maskedConsole(access));
      boolean changed;
      synchronized (this) {
        // Log lines move the cursors in the watch state: any line printed makes it change.
        changed = !checked.watchState().equals(watchState);
        watchState = checked.watchState();
        lastRunState = checked.runState();
        metadataFailure = checked.failures().metadata();
        logFailure = checked.failures().logs();
        clusterFailure = checked.failures().cluster();
      }
      if (changed) {
        // Saved after printing: after a restart only what was not printed is reported again.
        getContext().saveState();
      }
      if (checked.finished()) {
        complete(access, checked.watchState());
        return;
      }
      next = BACKOFF.next(Duration.ofMillis(delay), changed).toMillis();
    } catch (AbortException e) {
      finish(null, e);
    } catch (KfpException e) {
      // The server or the network failed for now (the core already retried): the run goes on there.
      LOGGER.log(Level.FINE, "could not check KFP run " + kfpRunId, e);
      listener().getLogger().println("[kfp] could not check run " + kfpRunId + " now: " + e.getMessage()
          + "; trying again");
    } catch (IOException | RuntimeException e) {
      finish(null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finish(null, e);
    } finally {
      schedule(next);
    }
  }

  private synchronized String kfpRunIdNow() {
    return kfpRunId;
  }

  private void complete(Endpoints.Access access, String finalState) throws IOException, InterruptedException {
    Run<?, ?> build = getContext().get(Run.class);
    String name;
    synchronized (this) {
      name = pipelineName;
    }
    RemoteRuns.Recorded recorded;
    try {
      // The report page shows the trends of the job's earlier runs of the pipeline, local or remote.
      recorded = RemoteRuns.record(access.connection(), finalState, name, build.getRootDir().toPath(),
          LocalRuns.history(build, name), access.observation(), downloadArtifacts, maskedConsole(access));
    } catch (KfpException e) {
      // The run is over: a summary that cannot be read or stored ends the step instead of a retry.
      throw new AbortException(KfpRunStep.FUNCTION_NAME + ": run " + kfpRunIdNow() + " ended, but its summary was not "
          + "stored: " + e.getMessage());
    }
    RunSummary summary = recorded.summary();
    KfpRunAction action = KfpRunAction.remote(summary, endpoint, uiUrl == null ? "" : uiUrl);
    build.addAction(action);
    build.save();
    TaskListener listener = listener();
    listener.hyperlink("/" + build.getUrl() + action.getUrlName() + "/", "[kfp] run view of " + summary.runId());
    listener.getLogger().println();
    Throwable cause;
    synchronized (this) {
      cause = stopCause;
    }
    if (action.isSucceeded()) {
      finish(recorded.result(), null);
    } else if (cause != null) {
      finish(null, cause);
    } else {
      finish(null, new AbortException(action.getDigest()));
    }
  }

  @Override
  public void stop(Throwable cause) {
    boolean known;
    boolean sent;
    synchronized (this) {
      if (done) {
        return;
      }
      stopCause = cause;
      stopReason = Messages.KfpRunStep_Aborted();
      known = kfpRunId != null;
      sent = submissionSent;
    }
    if (!known) {
      if (!sent) {
        // Nothing was sent to the server: submit() sees the stop before it sends anything.
        finish(null, cause);
      }
      // Else a create is in flight: submit() has the check terminate the run once its id is known.
      return;
    }
    // The next check terminates the run, then fails the step once the server says it ended.
    schedule(0);
  }

  @Override
  public void onResume() {
    RemoteDecision decision = decision();
    if (decision == RemoteDecision.ABANDON) {
      return;
    }
    if (decision == RemoteDecision.WATCH) {
      listener().getLogger().println("[kfp] resuming the watch of run " + kfpRunId + " on " + endpoint);
      schedule(BACKOFF.initial().toMillis());
    } else {
      Computer.threadPoolForRemoting.submit(this::submit);
    }
  }

  @Override
  public String getStatus() {
    synchronized (this) {
      if (done) {
        return "finished watching KFP run " + kfpRunId + " on " + endpoint;
      }
      if (kfpRunId == null) {
        return (submissionSent ? "submitting (looking for the run sent before a restart) " : "submitting ")
            + pipeline + " to " + endpoint;
      }
      return "waiting for KFP run " + kfpRunId + " of " + pipelineName + " on " + endpoint + ": "
          + (lastRunState == null ? "PENDING" : lastRunState)
          + (stopCause != null ? "; " + (terminateRequested ? "terminate requested" : "terminating") + " (" + stopReason
              + ")" : "")
          + (task == null ? "; checking now" : "; next check in " + delayMillis + " ms");
    }
  }

  @Override
  String watched() {
    return "KFP run " + kfpRunId;
  }
}
