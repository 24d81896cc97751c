package io.jenkins.plugins.kfp.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.kfp.Messages;
import io.jenkins.plugins.kfp.internal.AgentDeploy;
import io.jenkins.plugins.kfp.internal.BuildDeploy;
import io.jenkins.plugins.kfp.internal.RunStorage;
import io.jenkins.plugins.kfp.view.KfpRunAction;
import io.kfpci.KfpException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
 * {@code kfpDeploy}: deploys a run of this build (the last by default) as a KServe
 * InferenceService, as {@code kfpci deploy}: only when the run SUCCEEDED and passed its
 * {@code kfpGate}, unless {@code force: true}, which is then said in the console and recorded in
 * the run's stored summary. The controller decides from the summary it stored and builds the
 * manifest; the agent applies it on the cluster it can reach and waits for Ready, rolling back when
 * it is not. Returns {@code [target:, runId:, model:, storageUri:, forced:, dryRun:, created:, url:]}.
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

  @DataBoundConstructor
  public KfpDeployStep(String name) {
    this.name = Objects.requireNonNullElse(name, "").strip();
  }

  private static String clean(String value) {
    return Objects.requireNonNullElse(value, "").strip();
  }

  public String getName() {
    return name;
  }

  public String getRunId() {
    return runId;
  }

  @DataBoundSetter
  public void setRunId(String runId) {
    this.runId = clean(runId);
  }

  public String getNamespace() {
    return namespace;
  }

  @DataBoundSetter
  public void setNamespace(String namespace) {
    this.namespace = clean(namespace).isEmpty() ? "default" : clean(namespace);
  }

  public String getModel() {
    return model;
  }

  @DataBoundSetter
  public void setModel(String model) {
    this.model = clean(model);
  }

  public String getStorageUri() {
    return storageUri;
  }

  @DataBoundSetter
  public void setStorageUri(String storageUri) {
    this.storageUri = clean(storageUri);
  }

  public String getModelFormat() {
    return modelFormat;
  }

  @DataBoundSetter
  public void setModelFormat(String modelFormat) {
    this.modelFormat = clean(modelFormat).isEmpty() ? "sklearn" : clean(modelFormat);
  }

  public String getRuntime() {
    return runtime;
  }

  @DataBoundSetter
  public void setRuntime(String runtime) {
    this.runtime = clean(runtime);
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
    this.cpu = clean(cpu);
  }

  public String getMemory() {
    return memory;
  }

  @DataBoundSetter
  public void setMemory(String memory) {
    this.memory = clean(memory);
  }

  public String getServiceAccount() {
    return serviceAccount;
  }

  @DataBoundSetter
  public void setServiceAccount(String serviceAccount) {
    this.serviceAccount = clean(serviceAccount);
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
    this.kubeconfig = clean(kubeconfig);
  }

  public String getContext() {
    return context;
  }

  @DataBoundSetter
  public void setContext(String context) {
    this.context = clean(context);
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
      Path runDirectory;
      BuildDeploy.Planned planned;
      try {
        String id = BuildDeploy.runId(build.getActions(KfpRunAction.class).stream().map(KfpRunAction::getRunId)
            .toList(), s.runId);
        runDirectory = RunStorage.directory(build.getRootDir().toPath(), id);
        planned = BuildDeploy.plan(runDirectory, new BuildDeploy.Options(s.name, s.namespace, s.model, s.storageUri,
            s.modelFormat, s.runtime, s.gpus, s.cpu, s.memory, s.serviceAccount, s.canaryPercent, s.force));
        if (planned.forced()) {
          log.println("[kfp] WARNING: deploying " + planned.target() + " without a passing gate (force: true): "
              + planned.refusal());
          if (!s.dryRun) {
            BuildDeploy.recordForced(runDirectory, planned);
          }
        }
      } catch (KfpException e) {
        throw new AbortException(FUNCTION_NAME + ": " + e.getMessage());
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("target", planned.target());
      result.put("runId", planned.runId());
      result.put("model", planned.model());
      result.put("storageUri", planned.storageUri());
      result.put("forced", planned.forced());
      result.put("dryRun", s.dryRun);
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
