package io.jenkins.plugins.kfp.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
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
 * {@code kfpRun}: runs a pipeline (IR, or a .py that is compiled first) locally on the agent, or
 * with {@code endpoint:} a compiled IR on that KFP endpoint, and waits for it without holding a
 * thread; the run survives a controller restart and is canceled (terminated on KFP) when the build
 * is aborted. Returns {@code [state, runId, pipelineName, runDir, metrics,
 * artifacts, report]}, and {@code uiUrl} for a run on an endpoint (see docs/steps.md).
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
  private String endpoint = "";
  private String experiment = DEFAULT_EXPERIMENT;
  private String runName = "";
  private String serviceAccount = "";
  private boolean downloadArtifacts;
  private boolean mirrorLogs = true;
  private boolean preflight;

  /** The experiment a run on an endpoint goes to unless another is named (KFP's own default). */
  public static final String DEFAULT_EXPERIMENT = "Default";

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

  /** The KFP endpoint of the global configuration to run on; "" runs locally on the agent. */
  public String getEndpoint() {
    return endpoint;
  }

  @DataBoundSetter
  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint == null ? "" : endpoint.strip();
  }

  /** The experiment of a run on an endpoint (made when missing). */
  public String getExperiment() {
    return experiment;
  }

  @DataBoundSetter
  public void setExperiment(String experiment) {
    this.experiment = experiment == null || experiment.isBlank() ? DEFAULT_EXPERIMENT : experiment.strip();
  }

  /** The display name of a run on an endpoint; "" for the pipeline's name and the build. */
  public String getRunName() {
    return runName;
  }

  @DataBoundSetter
  public void setRunName(String runName) {
    this.runName = runName == null ? "" : runName.strip();
  }

  /** The Kubernetes service account of a run on an endpoint's pods; "" for the server's default. */
  public String getServiceAccount() {
    return serviceAccount;
  }

  @DataBoundSetter
  public void setServiceAccount(String serviceAccount) {
    this.serviceAccount = serviceAccount == null ? "" : serviceAccount.strip();
  }

  /**
   * Whether a run on an endpoint downloads its artifacts from the endpoint's object store into the
   * build's run directory, so the returned map names local files instead of the store's URIs.
   */
  public boolean isDownloadArtifacts() {
    return downloadArtifacts;
  }

  @DataBoundSetter
  public void setDownloadArtifacts(boolean downloadArtifacts) {
    this.downloadArtifacts = downloadArtifacts;
  }

  /**
   * Whether a run on an endpoint with an ML Metadata address shows its tasks' log lines in the
   * console while it goes on (from the pods when the endpoint reaches the cluster, else from the
   * archives once each task ends).
   */
  public boolean isMirrorLogs() {
    return mirrorLogs;
  }

  @DataBoundSetter
  public void setMirrorLogs(boolean mirrorLogs) {
    this.mirrorLogs = mirrorLogs;
  }

  /**
   * Whether a run on an endpoint first checks, from the controller through the endpoint's
   * Kubernetes settings, that some node of the cluster could take each of its tasks (GPUs, labels,
   * taints, CPU, memory); a task no node can take fails the step before anything is uploaded.
   */
  public boolean isPreflight() {
    return preflight;
  }

  @DataBoundSetter
  public void setPreflight(boolean preflight) {
    this.preflight = preflight;
  }

  @Override
  public StepExecution start(StepContext context) throws Exception {
    if (!endpoint.isEmpty()) {
      return new KfpRemoteRunExecution(context, this);
    }
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
      return Set.of(FilePath.class, Run.class, TaskListener.class, EnvVars.class);
    }
  }
}
