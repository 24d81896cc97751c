package io.jenkins.plugins.kfp.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.kfp.Messages;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.jenkins.plugins.kfp.internal.AgentReadPipeline;
import io.jenkins.plugins.kfp.internal.RemoteSchedules;
import io.jenkins.plugins.kfp.internal.RemoteUpload;
import io.kfpci.KfpException;
import io.kfpci.client.KfpConnection;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code kfpSchedule}: makes a recurring run on a KFP endpoint match its declaration (nightly
 * retraining), as {@code kfpci schedule}: created when missing, left alone when identical, enabled
 * or disabled in place, replaced when anything else differs. The agent reads and validates the IR;
 * the controller, which alone resolves the endpoint's credential, talks to KFP. Returns
 * {@code [action:, recurringRunId:, name:, cron:, enabled:, pipelineId:, versionId:, versionName:]}.
 */
public class KfpScheduleStep extends Step {
  /** The name Pipeline scripts call this step by. */
  public static final String FUNCTION_NAME = "kfpSchedule";

  private final String name;
  private final String pipeline;
  private final String endpoint;
  private final String cron;
  private Map<String, Object> params = new LinkedHashMap<>();
  private List<KfpParameter> parameters = List.of();
  private String experiment = KfpRunStep.DEFAULT_EXPERIMENT;
  private int maxConcurrency = 1;
  private boolean enabled = true;
  private boolean catchup = true;
  private String versionName = "";

  @DataBoundConstructor
  public KfpScheduleStep(String name, String pipeline, String endpoint, String cron) {
    this.name = Objects.requireNonNullElse(name, "").strip();
    this.pipeline = Objects.requireNonNullElse(pipeline, "").strip();
    this.endpoint = Objects.requireNonNullElse(endpoint, "").strip();
    this.cron = Objects.requireNonNullElse(cron, "").strip();
  }

  public String getName() {
    return name;
  }

  public String getPipeline() {
    return pipeline;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public String getCron() {
    return cron;
  }

  public Map<String, Object> getParams() {
    return params;
  }

  @DataBoundSetter
  public void setParams(Map<String, Object> params) {
    this.params = params == null ? new LinkedHashMap<>() : new LinkedHashMap<>(params);
  }

  public List<KfpParameter> getParameters() {
    return List.copyOf(parameters);
  }

  @DataBoundSetter
  public void setParameters(List<KfpParameter> parameters) {
    this.parameters = parameters == null ? List.of() : List.copyOf(parameters);
  }

  public String getExperiment() {
    return experiment;
  }

  @DataBoundSetter
  public void setExperiment(String experiment) {
    this.experiment = experiment == null || experiment.isBlank() ? KfpRunStep.DEFAULT_EXPERIMENT : experiment.strip();
  }

  public int getMaxConcurrency() {
    return maxConcurrency;
  }

  @DataBoundSetter
  public void setMaxConcurrency(int maxConcurrency) {
    this.maxConcurrency = maxConcurrency;
  }

  public boolean isEnabled() {
    return enabled;
  }

  @DataBoundSetter
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean isCatchup() {
    return catchup;
  }

  @DataBoundSetter
  public void setCatchup(boolean catchup) {
    this.catchup = catchup;
  }

  public String getVersionName() {
    return versionName;
  }

  @DataBoundSetter
  public void setVersionName(String versionName) {
    this.versionName = Objects.requireNonNullElse(versionName, "").strip();
  }

  @Override
  public StepExecution start(StepContext context) throws Exception {
    return new Execution(context, this);
  }

  static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final long serialVersionUID = 1L;
    private final transient KfpScheduleStep step;

    Execution(StepContext context, KfpScheduleStep step) {
      super(context);
      this.step = step;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
      Run<?, ?> build = getContext().get(Run.class);
      PrintStream log = getContext().get(TaskListener.class).getLogger();
      KfpEndpoint target = Endpoints.target(FUNCTION_NAME, step.endpoint);
      Map<String, String> values = KfpParameter.runParameters(step.params, step.parameters);
      AgentReadPipeline.Read read = getContext().get(FilePath.class).act(new AgentReadPipeline(step.pipeline));
      if (!read.problems().isEmpty()) {
        throw new AbortException(FUNCTION_NAME + ": " + read.shown() + " is not scheduled:\n"
            + String.join("\n", read.problems()));
      }
      try {
        KfpConnection connection = Endpoints.connection(FUNCTION_NAME, build, target,
            w -> log.println("[kfp] warning: " + w));
        Map<String, Object> result = RemoteSchedules.apply(connection, new RemoteSchedules.Declaration(step.name,
            step.cron, read.fileName(), read.content(), values, step.experiment, step.maxConcurrency, step.enabled,
            step.catchup, step.versionName,
            RemoteUpload.gitShortSha(getContext().get(EnvVars.class).get("GIT_COMMIT"))));
        log.println(RemoteSchedules.describe(result, step.cron, target.getName()));
        return result;
      } catch (KfpException e) {
        throw new AbortException(FUNCTION_NAME + ": " + RemoteUpload.explain(e, target.getName(),
            target.getCredentialsId()));
      }
    }
  }

  @Extension
  public static class DescriptorImpl extends StepDescriptor {
    @Override
    public String getFunctionName() {
      return FUNCTION_NAME;
    }

    @NonNull
    @Override
    public String getDisplayName() {
      return Messages.KfpScheduleStep_DisplayName();
    }

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
      return Set.of(FilePath.class, Run.class, TaskListener.class, EnvVars.class);
    }
  }
}
