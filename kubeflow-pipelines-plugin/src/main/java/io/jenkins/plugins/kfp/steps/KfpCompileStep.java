package io.jenkins.plugins.kfp.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.TaskListener;
import io.jenkins.plugins.kfp.KfpSettings;
import io.jenkins.plugins.kfp.Messages;
import io.jenkins.plugins.kfp.config.KubeflowPipelinesConfiguration;
import io.jenkins.plugins.kfp.internal.AgentCompile;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code kfpCompile}: compiles a Python pipeline to IR YAML with the real kfp compiler in the
 * managed venv, on the agent, and returns the IR file's path (relative to the workspace when it is
 * inside). A bounded call: it holds a thread while it compiles, and fails on a controller restart.
 */
public class KfpCompileStep extends Step {
  /** The name Pipeline scripts call this step by. */
  public static final String FUNCTION_NAME = "kfpCompile";

  private final String pipeline;
  private String function = "";
  private String output = "";
  private String kfpVersion = "";

  @DataBoundConstructor
  public KfpCompileStep(String pipeline) {
    this.pipeline = pipeline == null ? "" : pipeline.strip();
  }

  public String getPipeline() {
    return pipeline;
  }

  public String getFunction() {
    return function;
  }

  @DataBoundSetter
  public void setFunction(String function) {
    this.function = function == null ? "" : function.strip();
  }

  public String getOutput() {
    return output;
  }

  @DataBoundSetter
  public void setOutput(String output) {
    this.output = output == null ? "" : output.strip();
  }

  public String getKfpVersion() {
    return kfpVersion;
  }

  @DataBoundSetter
  public void setKfpVersion(String kfpVersion) {
    this.kfpVersion = kfpVersion == null ? "" : kfpVersion.strip();
  }

  @Override
  public StepExecution start(StepContext context) {
    return new Execution(context, this);
  }

  static final class Execution extends SynchronousNonBlockingStepExecution<String> {
    private static final long serialVersionUID = 1L;
    private final transient KfpCompileStep step;

    Execution(StepContext context, KfpCompileStep step) {
      super(context);
      this.step = step;
    }

    @Override
    protected String run() throws Exception {
      FilePath workspace = getContext().get(FilePath.class);
      TaskListener listener = getContext().get(TaskListener.class);
      KfpSettings settings = KubeflowPipelinesConfiguration.get().settings().withKfpVersion(step.kfpVersion);
      listener.getLogger().println("[kfp] compiling " + step.pipeline + " with kfp " + settings.effectiveKfpVersion());
      AgentCompile.Outcome outcome = workspace.act(
          new AgentCompile(step.pipeline, step.function, step.output, settings));
      listener.getLogger().print(outcome.report());
      listener.getLogger().println("[kfp] IR written to " + outcome.output()
          + (outcome.fromCache() ? " (unchanged since an earlier compile: taken from the agent's compile cache)" : ""));
      return outcome.output();
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
      return Messages.KfpCompileStep_DisplayName();
    }

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
      return Set.of(FilePath.class, TaskListener.class);
    }
  }
}
