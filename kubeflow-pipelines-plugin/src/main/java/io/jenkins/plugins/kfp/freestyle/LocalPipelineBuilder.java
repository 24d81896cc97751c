package io.jenkins.plugins.kfp.freestyle;

import edu.umd.cs.findbugs.annotations.NonNull;
import static io.jenkins.plugins.kfp.internal.OptionText.text;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kfp.KfpSettings;
import io.jenkins.plugins.kfp.Messages;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.jenkins.plugins.kfp.config.KubeflowPipelinesConfiguration;
import io.jenkins.plugins.kfp.internal.AgentCancel;
import io.jenkins.plugins.kfp.internal.AgentCompile;
import io.jenkins.plugins.kfp.internal.AgentPoll;
import io.jenkins.plugins.kfp.internal.AgentPrepareRun;
import io.jenkins.plugins.kfp.internal.AgentReadPipeline;
import io.jenkins.plugins.kfp.internal.LocalRunOptions;
import io.jenkins.plugins.kfp.internal.LocalRuns;
import io.jenkins.plugins.kfp.internal.RemoteObservation;
import io.jenkins.plugins.kfp.internal.RemoteRuns;
import io.jenkins.plugins.kfp.internal.RemoteUpload;
import io.jenkins.plugins.kfp.internal.RemoteWait;
import io.jenkins.plugins.kfp.internal.StepParameters;
import io.jenkins.plugins.kfp.steps.Endpoints;
import io.jenkins.plugins.kfp.steps.KfpRunStep;
import io.jenkins.plugins.kfp.view.KfpRunAction;
import io.kfpci.KfpException;
import io.kfpci.client.KfpConnection;
import io.kfpci.monitor.PollBackoff;
import io.kfpci.report.RunSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jenkins.model.Jenkins;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.FilePathUtils;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * "Run Kubeflow pipeline" for freestyle jobs, with the options of the {@code kfpRun} step: by
 * default it compiles a .py pipeline, validates it and its parameters, runs it locally on the
 * agent and records the run view; with an {@code endpoint} it submits the pipeline to that KFP
 * endpoint and watches the run there, as {@code kfpRun endpoint:} does. A freestyle build holds
 * its executor anyway, so this waits on the executor's thread; aborting the build cancels the
 * local run (its exit handlers still run) or terminates the KFP run.
 *
 * <p>The class keeps its name (and {@code kfpLocalRun} its symbol) although it also runs remotely:
 * both are written in existing jobs' config.xml and Job DSL scripts. Fields added since are null
 * in a config.xml saved before them, which {@link #readResolve} turns into their defaults.
 */
public class LocalPipelineBuilder extends Builder implements SimpleBuildStep {
  private static final PollBackoff BACKOFF = PollBackoff.DEFAULT;
  /** How long a terminated KFP run may take to end before an aborted build stops watching it. */
  static final long TERMINATE_GRACE_MILLIS = LocalRuns.KILL_AFTER_MILLIS;

  private final String pipeline;
  private String params = "";
  private String pipelineRoot = "";
  private boolean enableCaching = true;
  private int parallelism;
  private int timeout;
  private String endpoint = "";
  private String experiment = DEFAULT_EXPERIMENT;
  private String runName = "";
  private String serviceAccount = "";

  /** The experiment a run on an endpoint goes to unless another is named (KFP's own default). */
  public static final String DEFAULT_EXPERIMENT = "Default";

  @DataBoundConstructor
  public LocalPipelineBuilder(String pipeline) {
    this.pipeline = text(pipeline);
  }

  public String getPipeline() {
    return pipeline;
  }

  /** Run parameters, one {@code name=value} per line. */
  public String getParams() {
    return params;
  }

  @DataBoundSetter
  public void setParams(String params) {
    this.params = text(params);
  }

  public String getPipelineRoot() {
    return pipelineRoot;
  }

  @DataBoundSetter
  public void setPipelineRoot(String pipelineRoot) {
    this.pipelineRoot = text(pipelineRoot);
  }

  public boolean isEnableCaching() {
    return enableCaching;
  }

  @DataBoundSetter
  public void setEnableCaching(boolean enableCaching) {
    this.enableCaching = enableCaching;
  }

  public int getParallelism() {
    return parallelism;
  }

  @DataBoundSetter
  public void setParallelism(int parallelism) {
    this.parallelism = parallelism;
  }

  public int getTimeout() {
    return timeout;
  }

  @DataBoundSetter
  public void setTimeout(int timeout) {
    this.timeout = timeout;
  }

  /** The KFP endpoint of the global configuration to run on; "" runs locally on the agent. */
  public String getEndpoint() {
    return endpoint;
  }

  @DataBoundSetter
  public void setEndpoint(String endpoint) {
    this.endpoint = text(endpoint);
  }

  /** The experiment of a run on an endpoint (made when missing). */
  public String getExperiment() {
    return experiment;
  }

  @DataBoundSetter
  public void setExperiment(String experiment) {
    this.experiment = text(experiment, DEFAULT_EXPERIMENT);
  }

  /** The display name of a run on an endpoint; "" for the pipeline's name and the build. */
  public String getRunName() {
    return runName;
  }

  @DataBoundSetter
  public void setRunName(String runName) {
    this.runName = text(runName);
  }

  /** The Kubernetes service account of a run on an endpoint's pods; "" for the server's default. */
  public String getServiceAccount() {
    return serviceAccount;
  }

  @DataBoundSetter
  public void setServiceAccount(String serviceAccount) {
    this.serviceAccount = text(serviceAccount);
  }


  /** A config.xml saved before the remote options has none of them: XStream leaves them null. */
  protected Object readResolve() {
    endpoint = text(endpoint);
    experiment = text(experiment, DEFAULT_EXPERIMENT);
    runName = text(runName);
    serviceAccount = text(serviceAccount);
    params = text(params);
    pipelineRoot = text(pipelineRoot);
    return this;
  }

  @Override
  public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env,
      @NonNull Launcher launcher, @NonNull TaskListener listener) throws InterruptedException, IOException {
    if (!endpoint.isEmpty()) {
      performRemote(run, workspace, env, listener);
      return;
    }
    LocalRunOptions options;
    try {
      options = new LocalRunOptions(env.expand(pipelineRoot), enableCaching, parallelism, timeout);
    } catch (IllegalArgumentException e) {
      throw new AbortException(e.getMessage());
    }
    Map<String, String> parameters = StepParameters.fromLines(env.expand(params));
    KfpSettings settings = KubeflowPipelinesConfiguration.get().settings();
    String runId = LocalRuns.newRunId(run);
    AgentPrepareRun.Prepared prepared = LocalRuns.prepare(workspace, env.expand(pipeline), parameters, options, runId,
        settings, listener);
    String state = LocalRuns.start(workspace, prepared.runDir(), prepared.specFile(), settings);
    PrintStream log = listener.getLogger();
    log.println("[kfp] run " + runId + " of " + prepared.pipelineName() + " started in " + prepared.runDir());

    long deadline = timeout > 0 ? System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(timeout) : 0;
    String canceled = null;
    InterruptedException abort = null;
    AgentPoll.Outcome outcome;
    long cancelAt = 0;
    Duration delay = BACKOFF.initial();
    while (true) {
      try {
        if (canceled == null && deadline > 0 && System.currentTimeMillis() >= deadline) {
          canceled = Messages.KfpRunStep_TimedOut(timeout);
          state = cancel(workspace, state, runId, canceled, log);
          cancelAt = System.currentTimeMillis();
        }
        outcome = workspace.act(new AgentPoll(state));
        outcome.lines().forEach(log::println);
        state = outcome.watchState();
        if (outcome.finished()) {
          break;
        }
        if (cancelAt > 0 && System.currentTimeMillis() - cancelAt > LocalRuns.KILL_AFTER_MILLIS) {
          log.println("[kfp] run " + runId + " did not stop within " + LocalRuns.KILL_AFTER_MILLIS / 1000
              + " s of the cancel request; killing its processes");
          workspace.act(new AgentCancel(state, true));
          cancelAt = Long.MAX_VALUE / 2;
        }
        delay = BACKOFF.next(delay, outcome.active());
        if (!outcome.moreLog()) {
          Thread.sleep(delay.toMillis());
        }
      } catch (InterruptedException e) {
        if (abort != null) {
          throw e;
        }
        // The build was aborted: cancel the run and keep watching until it has ended, exit handlers included.
        abort = e;
        canceled = Messages.KfpRunStep_Aborted();
        state = cancel(workspace, state, runId, canceled, log);
        cancelAt = System.currentTimeMillis();
      }
    }
    LocalRuns.Recorded recorded = LocalRuns.record(run, workspace, runId, prepared.runDir(), outcome.summaryJson(),
        FilePathUtils.getNodeName(workspace));
    listener.hyperlink("/" + run.getUrl() + recorded.action().getUrlName() + "/", "[kfp] run view of " + runId);
    log.println();
    if (abort != null) {
      throw abort;
    }
    if (canceled != null) {
      throw new AbortException(canceled);
    }
    if (!recorded.action().isSucceeded()) {
      throw new AbortException(recorded.action().getDigest());
    }
  }

  /**
   * The run on a KFP endpoint: the agent compiles (a .py) and reads the IR, the controller, which
   * alone resolves the endpoint's credential, submits it and waits for the run on this thread.
   */
  private void performRemote(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener)
      throws InterruptedException, IOException {
    String step = "Run Kubeflow pipeline";
    KfpEndpoint target = Endpoints.target(step, env.expand(endpoint));
    // Everything the run prints (task logs above all) passes through the endpoint's secrets masker.
    PrintStream log = Endpoints.masker(step, run, target).masking(listener.getLogger());
    RemoteObservation observation = Endpoints.observation(step, run, target);
    String experimentName = Endpoints.experiment(target, experiment, KfpRunStep.DEFAULT_EXPERIMENT);
    Map<String, String> parameters = StepParameters.fromLines(env.expand(params));
    String file = env.expand(pipeline);
    if (file.endsWith(".py")) {
      KfpSettings settings = KubeflowPipelinesConfiguration.get().settings();
      log.println("[kfp] compiling " + file + " with kfp " + settings.effectiveKfpVersion());
      AgentCompile.Outcome compiled = workspace.act(new AgentCompile(file, "", "", settings));
      log.print(compiled.report());
      file = compiled.output();
    }
    AgentReadPipeline.Read read = workspace.act(new AgentReadPipeline(file));
    if (!read.problems().isEmpty()) {
      throw new AbortException(step + ": " + read.shown() + " is not run:\n" + String.join("\n", read.problems()));
    }
    log.println("[kfp] submitting " + read.shown() + " to endpoint " + target.getName() + " (" + target.getUrl() + ")");
    KfpConnection connection;
    RemoteRuns.Submitted submitted;
    // Chosen before the create is sent: an abort while it is in flight finds the run by it.
    String mark = RemoteRuns.newMark();
    try {
      connection = Endpoints.connection(step, run, target, w -> log.println("[kfp] warning: " + w));
    } catch (KfpException e) {
      throw new AbortException(step + ": " + RemoteUpload.explain(e, target.getName(), target.getCredentialsId()));
    }
    try {
      submitted = RemoteRuns.submit(connection, new RemoteRuns.Request(read.fileName(), read.content(), parameters,
          experimentName, runName, serviceAccount, "", RemoteUpload.gitShortSha(env.get("GIT_COMMIT")),
          "Jenkins " + run.getExternalizableId(), enableCaching), mark);
    } catch (KfpException e) {
      throw new AbortException(step + ": " + RemoteUpload.explain(e, target.getName(), target.getCredentialsId()));
    } catch (InterruptedException e) {
      abandon(connection, experimentName, mark, target.getName(), log);
      throw e;
    }
    log.println("[kfp] submitted run " + submitted.runId() + " of " + submitted.pipelineName() + " in experiment "
        + experimentName + " on " + target.getName());
    if (submitted.uiUrl() != null) {
      listener.hyperlink(submitted.uiUrl(), "[kfp] run " + submitted.runId() + " in the KFP UI");
      log.println();
    }
    long deadline = timeout > 0 ? System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(timeout) : 0;
    RemoteWait.Outcome outcome = RemoteWait.await(new RemoteWait.Watch(connection, target.getName(),
        submitted.runId(), submitted.watchState(), submitted.taskNames(), deadline, Messages.KfpRunStep_TimedOut(timeout),
        Messages.KfpRunStep_Aborted(), TERMINATE_GRACE_MILLIS, observation), log::println, RemoteWait.THREAD_SLEEP,
        System::currentTimeMillis);
    if (!outcome.finished()) {
      // Only an aborted build stops watching a run that has not ended (RemoteWait).
      throw outcome.abort();
    }
    RunSummary summary;
    try {
      // The report page shows the trends of the job's earlier runs of the pipeline, local or remote.
      summary = RemoteRuns.record(connection, outcome.watchState(), submitted.pipelineName(),
          run.getRootDir().toPath(), LocalRuns.history(run, submitted.pipelineName()), observation, false,
          log::println).summary();
    } catch (KfpException e) {
      throw new AbortException(step + ": run " + submitted.runId() + " ended, but its summary was not stored: "
          + e.getMessage());
    }
    KfpRunAction action = KfpRunAction.remote(summary, target.getName(),
        submitted.uiUrl() == null ? "" : submitted.uiUrl());
    run.addAction(action);
    run.save();
    listener.hyperlink("/" + run.getUrl() + action.getUrlName() + "/", "[kfp] run view of " + summary.runId());
    log.println();
    if (outcome.abort() != null) {
      throw outcome.abort();
    }
    if (!outcome.stopReason().isEmpty()) {
      throw new AbortException(outcome.stopReason());
    }
    if ("CANCELED".equals(action.getState())) {
      // Canceled on KFP, not by this build: the build is aborted, not failed. Jenkins records a
      // build step's InterruptedException as ABORTED (an AbortException would be FAILURE).
      log.println("[kfp] run " + summary.runId() + " was canceled on " + target.getName());
      throw new InterruptedException("KFP run " + summary.runId() + " was canceled");
    }
    if (!action.isSucceeded()) {
      throw new AbortException(action.getDigest());
    }
  }

  /**
   * The build was aborted while the run was being submitted: the create may have reached the
   * server, so the run carrying {@code mark} is terminated rather than left running unwatched.
   * The abort stands whatever happens here; a failure is said on the console.
   */
  private static void abandon(KfpConnection connection, String experiment, String mark, String endpoint,
      PrintStream log) throws InterruptedException {
    log.println("[kfp] aborted while submitting; looking for the run on " + endpoint + " to terminate it");
    try {
      Optional<String> terminated = RemoteRuns.terminateMarked(connection, experiment, mark, d -> Thread.sleep(
          d.toMillis()));
      log.println(terminated.map(id -> "[kfp] terminated run " + id + " on " + endpoint)
          .orElse("[kfp] no run of this build reached " + endpoint));
    } catch (KfpException e) {
      log.println("[kfp] warning: could not terminate the run of this build on " + endpoint + ": " + e.getMessage()
          + "; terminate it in the KFP UI (its description holds " + RemoteRuns.MARK + mark + ")");
    }
  }

  private static String cancel(FilePath workspace, String state, String runId, String reason, PrintStream log)
      throws IOException, InterruptedException {
    log.println("[kfp] canceling run " + runId + " (" + reason + "); its exit handlers still run");
    String marked = LocalRuns.cancelRequested(state);
    workspace.act(new AgentCancel(marked, false));
    return marked;
  }

  @Extension
  @Symbol("kfpLocalRun")
  public static class DescriptorImpl extends BuildStepDescriptor<Builder> {
    @Override
    public boolean isApplicable(Class<? extends AbstractProject> jobType) {
      return true;
    }

    @NonNull
    @Override
    public String getDisplayName() {
      return Messages.LocalPipelineBuilder_DisplayName();
    }

    /**
     * The endpoints of the global configuration, after "run locally" (""). Their names and URLs
     * are shown to those who may configure the job; anyone else sees only the current value.
     */
    @POST
    public ListBoxModel doFillEndpointItems(@AncestorInPath Item item, @QueryParameter String endpoint) {
      ListBoxModel items = new ListBoxModel();
      items.add(Messages.LocalPipelineBuilder_RunLocally(), "");
      boolean allowed = item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER)
          : item.hasPermission(Item.CONFIGURE);
      boolean current = endpoint == null || endpoint.isEmpty();
      if (allowed) {
        for (KfpEndpoint e : KubeflowPipelinesConfiguration.get().getEndpoints()) {
          items.add(e.getName() + " (" + e.getUrl() + ")", e.getName());
          current |= e.getName().equals(endpoint);
        }
      }
      if (!current) {
        // A job may name an endpoint since removed (or one this user may not list): keep it.
        items.add(endpoint, endpoint);
      }
      return items;
    }
  }
}
