package io.jenkins.plugins.kfp.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.kfp.Messages;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code kfpRun}: runs a pipeline (IR, or a .py that is compiled first) locally on the agent and
 * waits for it without holding a thread; the run survives a controller restart and is canceled
 * when the build is aborted. Returns {@code [state, runId, pipelineName, runDir, metrics,
 * artifacts, report]} (see docs/steps.md).
 */
public class KfpRunStep extends Step {
  /** The name Pipeline scripts call this step by. */
  public static final String FUNCTION_NAME = "kfpRun";

  private final String pipeline;
  private Map<String, Object> params = new LinkedHashMap<>();
  private List<KfpParameter> parameters = List.of();
  private String pipelineRoot = "";
  private boolean enableCaching = true;
  private int parallelism;
  private int timeout;

  @DataBoundConstructor
  public KfpRunStep(String pipeline) {
    this.pipeline = pipeline == null ? "" : pipeline.strip();
  }

  public String getPipeline() {
    return pipeline;
  }

  public Map<String, Object> getParams() {
    return params;
  }

  @DataBoundSetter
  public void setParams(Map<String, Object> params) {
    this.params = params == null ? new LinkedHashMap<>() : new LinkedHashMap<>(params);
  }

  /** Run parameters as name and value entries (the Snippet Generator's form of {@code params}). */
  public List<KfpParameter> getParameters() {
    return List.copyOf(parameters);
  }

  @DataBoundSetter
  public void setParameters(List<KfpParameter> parameters) {
    this.parameters = parameters == null ? List.of() : List.copyOf(parameters);
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

  /** Minutes after which the run is canceled; 0 for no limit. */
  public int getTimeout() {
    return timeout;
  }

  @DataBoundSetter
  public void setTimeout(int timeout) {
    this.timeout = timeout;
  }

  @Override
  public StepExecution start(StepContext context) throws Exception {
    return new KfpRunExecution(context, this);
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
      return Messages.KfpRunStep_DisplayName();
    }

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
      return Set.of(FilePath.class, Run.class, TaskListener.class);
    }
  }
}
