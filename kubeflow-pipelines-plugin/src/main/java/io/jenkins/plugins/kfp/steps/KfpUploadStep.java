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
import io.jenkins.plugins.kfp.internal.EndpointAccess;
import io.jenkins.plugins.kfp.internal.RemoteUpload;
import io.kfpci.KfpException;
import io.kfpci.client.KfpConnection;
import java.io.PrintStream;
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
 * {@code kfpUpload}: makes sure a KFP endpoint of the global configuration holds a compiled
 * pipeline, as a new pipeline, a new version, or (same content) nothing new. The agent reads and
 * validates the file; the controller, which alone resolves the endpoint's credential, uploads.
 * Returns {@code [pipelineId:, pipelineName:, versionId:, versionName:, created:, pipelineCreated:,
 * sha256:]}.
 */
public class KfpUploadStep extends Step {
  /** The name Pipeline scripts call this step by. */
  public static final String FUNCTION_NAME = "kfpUpload";

  private final String pipeline;
  private final String endpoint;
  private String pipelineName = "";
  private String versionName = "";
  private String description = "";

  @DataBoundConstructor
  public KfpUploadStep(String pipeline, String endpoint) {
    this.pipeline = Objects.requireNonNullElse(pipeline, "").strip();
    this.endpoint = Objects.requireNonNullElse(endpoint, "").strip();
  }

  public String getPipeline() {
    return pipeline;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public String getPipelineName() {
    return pipelineName;
  }

  @DataBoundSetter
  public void setPipelineName(String pipelineName) {
    this.pipelineName = Objects.requireNonNullElse(pipelineName, "").strip();
  }

  public String getVersionName() {
    return versionName;
  }

  @DataBoundSetter
  public void setVersionName(String versionName) {
    this.versionName = Objects.requireNonNullElse(versionName, "").strip();
  }

  public String getDescription() {
    return description;
  }

  @DataBoundSetter
  public void setDescription(String description) {
    this.description = Objects.requireNonNullElse(description, "").strip();
  }

  @Override
  public StepExecution start(StepContext context) {
    return new Execution(context, this);
  }

  static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final long serialVersionUID = 1L;
    private final transient KfpUploadStep step;

    Execution(StepContext context, KfpUploadStep step) {
      super(context);
      this.step = step;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
      Run<?, ?> build = getContext().get(Run.class);
      PrintStream log = getContext().get(TaskListener.class).getLogger();
      KfpEndpoint target = Endpoints.target(FUNCTION_NAME, step.endpoint);
      AgentReadPipeline.Read read = getContext().get(FilePath.class).act(new AgentReadPipeline(step.pipeline));
      if (!read.problems().isEmpty()) {
        throw new AbortException(FUNCTION_NAME + ": " + read.shown() + " is not uploaded:\n"
            + String.join("\n", read.problems()));
      }
      log.println("[kfp] uploading " + read.shown() + " to endpoint " + target.getName() + " ("
          + EndpointAccess.where(target) + ")");
      try {
        KfpConnection connection = Endpoints.connection(FUNCTION_NAME, build, target,
            w -> log.println("[kfp] warning: " + w));
        Map<String, Object> result = RemoteUpload.upload(connection, read.fileName(), read.content(),
            step.pipelineName, step.versionName,
            RemoteUpload.gitShortSha(getContext().get(EnvVars.class).get("GIT_COMMIT")), step.description);
        log.println(RemoteUpload.describe(result, target.getName()));
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
      return Messages.KfpUploadStep_DisplayName();
    }

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
      return Set.of(FilePath.class, Run.class, TaskListener.class, EnvVars.class);
    }
  }
}
