package io.jenkins.plugins.kfp.freestyle;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import io.jenkins.plugins.kfp.KfpSettings;
import io.jenkins.plugins.kfp.Messages;
import io.jenkins.plugins.kfp.config.KubeflowPipelinesConfiguration;
import io.jenkins.plugins.kfp.internal.AgentCancel;
import io.jenkins.plugins.kfp.internal.AgentPoll;
import io.jenkins.plugins.kfp.internal.AgentPrepareRun;
import io.jenkins.plugins.kfp.internal.LocalRunOptions;
import io.jenkins.plugins.kfp.internal.LocalRuns;
import io.jenkins.plugins.kfp.internal.StepParameters;
import io.kfpci.monitor.PollBackoff;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.FilePathUtils;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * "Run Kubeflow pipeline (local)" for freestyle jobs: compiles a .py pipeline, validates it and
 * its parameters, runs it locally on the agent and records the run view, with the options of the
 * {@code kfpRun} step. A freestyle build holds its executor anyway, so this waits on the
 * executor's thread; aborting the build cancels the run (its exit handlers still run).
 */
public class LocalPipelineBuilder extends Builder implements SimpleBuildStep {
  private static final PollBackoff BACKOFF = PollBackoff.DEFAULT;

  private final String pipeline;
  private String params = "";
  private String pipelineRoot = "";
  private boolean enableCaching = true;
  private int parallelism;
  private int timeout;

  @DataBoundConstructor
  public LocalPipelineBuilder(String pipeline) {
    this.pipeline = pipeline == null ? "" : pipeline.strip();
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
    this.params = params == null ? "" : params.strip();
  }

  public String getPipelineRoot() {
    return pipelineRoot;
  }

  @DataBoundSetter
  public void setPipelineRoot(String pipelineRoot) {
    this.pipelineRoot = pipelineRoot == null ? "" : pipelineRoot.strip();
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

  @Override
  public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env,
      @NonNull Launcher launcher, @NonNull TaskListener listener) throws InterruptedException, IOException {
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
  }
}
