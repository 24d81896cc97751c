package io.jenkins.plugins.kfp.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import static io.jenkins.plugins.kfp.internal.OptionText.text;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.kfp.Messages;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.jenkins.plugins.kfp.internal.AgentDeploy;
import io.jenkins.plugins.kfp.internal.AgentPromote;
import io.jenkins.plugins.kfp.internal.BuildDeploy;
import io.jenkins.plugins.kfp.internal.BuildPromote;
import io.jenkins.plugins.kfp.internal.RemoteObservation;
import io.jenkins.plugins.kfp.internal.RunStorage;
import io.jenkins.plugins.kfp.view.KfpRunAction;
import io.kfpci.KfpException;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.FilePathUtils;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code kfpDeploy}: deploys a run of this build (the last by default) as a KServe
 * InferenceService, or promotes its model to a release prefix of an object store, or both, as
 * {@code kfpci deploy [--promote]}: only when the run SUCCEEDED and passed its {@code kfpGate},
 * unless {@code force: true}, which is then said in the console and recorded in the run's stored
 * summary. The controller decides from the summary it stored and builds the manifest; the agent
 * applies it on the cluster it can reach and waits for Ready, rolling back when it is not. A
 * promotion writes to the object store of a configured endpoint, whose credential the controller
 * resolves: from the agent that ran a local run (its model is in the run directory there), from the
 * controller for a KFP run (a copy inside the store). With both, KServe serves the promoted copy.
 * Returns {@code [target:, runId:, model:, storageUri:, forced:, dryRun:, created:, url:,
 * promotedUri:, release:]}.
 */
public class KfpDeployStep extends Step {
  /** The name Pipeline scripts call this step by. */
  public static final String FUNCTION_NAME = "kfpDeploy";

  private final String name;
  private String runId = "";
  private String namespace = "default";
  private String model = "";
  private String storageUri = "";
  private String modelFormat = "sklearn";
  private String runtime = "";
  private int gpus;
  private String cpu = "";
  private String memory = "";
  private String serviceAccount = "";
  private int canaryPercent;
  private int timeout = 600;
  private boolean dryRun;
  private boolean force;
  private String kubeconfig = "";
  private String context = "";
  private String promote = "";
  private String endpoint = "";

  @DataBoundConstructor
  public KfpDeployStep(String name) {
    this.name = text(name);
  }


  public String getName() {
    return name;
  }

  public String getRunId() {
    return runId;
  }

  @DataBoundSetter
  public void setRunId(String runId) {
    this.runId = text(runId);
  }

  public String getNamespace() {
    return namespace;
  }

  @DataBoundSetter
  public void setNamespace(String namespace) {
    this.namespace = text(namespace, "default");
  }

  public String getModel() {
    return model;
  }

  @DataBoundSetter
  public void setModel(String model) {
    this.model = text(model);
  }

  public String getStorageUri() {
    return storageUri;
  }

  @DataBoundSetter
  public void setStorageUri(String storageUri) {
    this.storageUri = text(storageUri);
  }

  public String getModelFormat() {
    return modelFormat;
  }

  @DataBoundSetter
  public void setModelFormat(String modelFormat) {
    this.modelFormat = text(modelFormat, "sklearn");
  }

  public String getRuntime() {
    return runtime;
  }

  @DataBoundSetter
  public void setRuntime(String runtime) {
    this.runtime = text(runtime);
  }

  public int getGpus() {
    return gpus;
  }

  @DataBoundSetter
  public void setGpus(int gpus) {
    this.gpus = gpus;
  }

  public String getCpu() {
    return cpu;
  }

  @DataBoundSetter
  public void setCpu(String cpu) {
    this.cpu = text(cpu);
  }

  public String getMemory() {
    return memory;
  }

  @DataBoundSetter
  public void setMemory(String memory) {
    this.memory = text(memory);
  }

  public String getServiceAccount() {
    return serviceAccount;
  }

  @DataBoundSetter
  public void setServiceAccount(String serviceAccount) {
    this.serviceAccount = text(serviceAccount);
  }

  public int getCanaryPercent() {
    return canaryPercent;
  }

  @DataBoundSetter
  public void setCanaryPercent(int canaryPercent) {
    this.canaryPercent = canaryPercent;
  }

  /** Seconds to wait for Ready before rolling back. */
  public int getTimeout() {
    return timeout;
  }

  @DataBoundSetter
  public void setTimeout(int timeout) {
    this.timeout = timeout;
  }

  public boolean isDryRun() {
    return dryRun;
  }

  @DataBoundSetter
  public void setDryRun(boolean dryRun) {
    this.dryRun = dryRun;
  }

  public boolean isForce() {
    return force;
  }

  @DataBoundSetter
  public void setForce(boolean force) {
    this.force = force;
  }

  public String getKubeconfig() {
    return kubeconfig;
  }

  @DataBoundSetter
  public void setKubeconfig(String kubeconfig) {
    this.kubeconfig = text(kubeconfig);
  }

  public String getContext() {
    return context;
  }

  @DataBoundSetter
  public void setContext(String context) {
    this.context = text(context);
  }

  /** The release prefix ({@code s3://bucket/prefix/}) to promote the model to; "" for none. */
  public String getPromote() {
    return promote;
  }

  @DataBoundSetter
  public void setPromote(String promote) {
    this.promote = text(promote);
  }

  /** The KFP endpoint whose object store receives a promotion. */
  public String getEndpoint() {
    return endpoint;
  }

  @DataBoundSetter
  public void setEndpoint(String endpoint) {
    this.endpoint = text(endpoint);
  }

  @Override
  public StepExecution start(StepContext context) throws Exception {
    return new Execution(context, this);
  }

  static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final long serialVersionUID = 1L;
    private final transient KfpDeployStep step;

    Execution(StepContext context, KfpDeployStep step) {
      super(context);
      this.step = step;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
      KfpDeployStep s = step;
      Run<?, ?> build = getContext().get(Run.class);
      PrintStream log = getContext().get(TaskListener.class).getLogger();
      if (s.name.isEmpty() && s.promote.isEmpty()) {
        throw new AbortException(FUNCTION_NAME + ": give name (a KServe InferenceService) or promote "
            + "(s3://BUCKET/PREFIX/), or both");
      }
      if (!s.promote.isEmpty() && s.dryRun) {
        throw new AbortException(FUNCTION_NAME + ": dryRun does not promote; leave out promote");
      }
      if (!s.promote.isEmpty() && s.endpoint.isEmpty()) {
        throw new AbortException(FUNCTION_NAME + ": promote needs endpoint, the KFP endpoint whose object store "
            + "receives the release");
      }
      String target = s.name.isEmpty() ? s.promote : s.namespace + "/" + s.name;
      String id;
      Path runDirectory;
      String refusal;
      try {
        id = BuildDeploy.runId(build.getActions(KfpRunAction.class).stream().map(KfpRunAction::getRunId)
            .toList(), s.runId);
        runDirectory = RunStorage.directory(build.getRootDir().toPath(), id);
        refusal = BuildDeploy.refusal(runDirectory, target, s.force);
        if (!refusal.isEmpty()) {
          log.println("[kfp] WARNING: deploying " + target + " without a passing gate (force: true): " + refusal);
          if (!s.dryRun) {
            BuildDeploy.recordForced(runDirectory, target, refusal);
          }
        }
      } catch (KfpException e) {
        throw new AbortException(FUNCTION_NAME + ": " + e.getMessage());
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("target", target);
      result.put("runId", id);
      result.put("forced", !refusal.isEmpty());
      result.put("dryRun", s.dryRun);
      result.put("promotedUri", "");
      result.put("release", "");
      String servedFrom = s.storageUri;
      String model = s.model;
      if (!s.promote.isEmpty()) {
        BuildPromote.Promoted promoted = promote(build, id, runDirectory);
        promoted.lines().forEach(l -> log.println("[kfp] " + l));
        if (promoted.error() != null) {
          throw new AbortException(FUNCTION_NAME + ": " + promoted.error());
        }
        log.println("[kfp] promoted " + promoted.model() + " of run " + id + " to " + promoted.uri() + " ("
            + promoted.release() + ")");
        result.put("promotedUri", promoted.uri());
        result.put("release", promoted.release());
        model = promoted.model();
        if (s.name.isEmpty()) {
          result.put("model", model);
          result.put("storageUri", promoted.uri());
          result.put("created", false);
          result.put("url", "");
          return result;
        }
        // KServe serves the promoted copy unless storageUri names another.
        servedFrom = servedFrom.isEmpty() ? promoted.uri() : servedFrom;
      }
      BuildDeploy.Planned planned;
      try {
        // The gate was decided (and a forced deploy recorded) above.
        planned = BuildDeploy.plan(runDirectory, new BuildDeploy.Options(s.name, s.namespace, model, servedFrom,
            s.modelFormat, s.runtime, s.gpus, s.cpu, s.memory, s.serviceAccount, s.canaryPercent, true));
      } catch (KfpException e) {
        throw new AbortException(FUNCTION_NAME + ": " + e.getMessage());
      }
      result.put("model", planned.model());
      result.put("storageUri", planned.storageUri());
      if (s.dryRun) {
        log.println("[kfp] dry run: the InferenceService " + planned.target() + " would be:");
        log.print(planned.manifestYaml());
        result.put("created", false);
        result.put("url", "");
        return result;
      }
      log.println("[kfp] deploying " + planned.model() + " of run " + planned.runId() + " as " + planned.target());
      FilePath workspace = getContext().get(FilePath.class);
      AgentDeploy.Deployed deployed = workspace.act(new AgentDeploy(planned.manifestYaml(), s.kubeconfig, s.context,
          s.timeout));
      deployed.lines().forEach(l -> log.println("[kfp] " + l));
      if (deployed.error() != null) {
        throw new AbortException(FUNCTION_NAME + ": " + deployed.error());
      }
      log.println("[kfp] deployed " + planned.model() + " of run " + planned.runId() + " as " + planned.target()
          + (deployed.created() ? " (new)" : " (updated)"));
      result.put("created", deployed.created());
      result.put("url", deployed.url());
      return result;
    }

    /**
     * Promotes the run's model to the endpoint's object store: a local run's from its run directory
     * on the agent that ran it, a KFP run's by a copy inside the store from here.
     */
    private BuildPromote.Promoted promote(Run<?, ?> build, String id, Path runDirectory) throws Exception {
      KfpDeployStep s = step;
      KfpEndpoint target = Endpoints.target(FUNCTION_NAME, s.endpoint);
      RemoteObservation observation = Endpoints.observation(FUNCTION_NAME, build, target);
      if (observation.objectStore() == null) {
        throw new AbortException(FUNCTION_NAME + ": endpoint " + target.getName() + " has no object store to "
            + "promote to; set its object store URL (and credential) in Manage Jenkins, Kubeflow Pipelines");
      }
      BuildPromote.Store store = BuildPromote.Store.of(observation.objectStore());
      // The summary the build stored (with a forced promotion recorded), never the agent's copy.
      String summaryJson = Files.readString(runDirectory.resolve(RunStorage.SUMMARY_FILE), StandardCharsets.UTF_8);
      RunSummary summary;
      try {
        summary = RunSummaryJson.fromJson(summaryJson, "the summary of run " + id + " stored in the build");
      } catch (KfpException e) {
        throw new AbortException(FUNCTION_NAME + ": " + e.getMessage());
      }
      String commit = getContext().get(EnvVars.class).get("GIT_COMMIT");
      if (!BuildPromote.local(summary)) {
        return BuildPromote.promote(summary, s.model, null, s.promote, commit, store, Clock.systemUTC());
      }
      KfpRunAction run = build.getActions(KfpRunAction.class).stream().filter(a -> a.getRunId().equals(id))
          .findFirst().orElseThrow(() -> new AbortException(FUNCTION_NAME + ": run " + id + " is not in this build"));
      if (run.getRunDirectory().isEmpty()) {
        throw new AbortException(FUNCTION_NAME + ": local run " + id + " has no run directory recorded, so its model "
            + "cannot be found to promote");
      }
      FilePath directory = FilePathUtils.find(run.getNode(), run.getRunDirectory());
      if (directory == null) {
        throw new AbortException(FUNCTION_NAME + ": the model of local run " + id + " is in its run directory "
            + run.getRunDirectory() + " on node '" + run.getNode() + "', which is not connected now; promote while "
            + "that agent is online");
      }
      return directory.act(new AgentPromote(summaryJson, s.model, s.promote, commit, store));
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
      return Messages.KfpDeployStep_DisplayName();
    }

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
      return Set.of(FilePath.class, Run.class, TaskListener.class);
    }
  }
}
