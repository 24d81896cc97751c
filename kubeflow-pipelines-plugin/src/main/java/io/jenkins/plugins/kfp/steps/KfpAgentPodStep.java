package io.jenkins.plugins.kfp.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import static io.jenkins.plugins.kfp.internal.OptionText.text;

import hudson.AbortException;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.kfp.Messages;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.jenkins.plugins.kfp.internal.PodPreflight;
import io.jenkins.plugins.kfp.internal.RemoteObservation;
import io.kfpci.KfpException;
import io.kfpci.k8s.AgentPodSpec;
import io.kfpci.k8s.AgentPods;
import io.kfpci.k8s.K8sException;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code kfpAgentPod}: the YAML of a Kubernetes agent pod for {@code podTemplate(yaml: ...)} or
 * {@code agent { kubernetes { yaml ... } }}, with GPUs, the node label of the GPU type, the
 * tolerations of GPU taints and a memory-backed {@code /dev/shm} (the core's {@code AgentPods},
 * as {@code kfpci agent-pod} prints it). It needs no node, so it is called before the pod exists;
 * with {@code preflight: true} it first checks, from the controller, that some node of the cluster
 * could take the pod ({@code kfpci preflight}), reaching the cluster with a configured endpoint's
 * Kubernetes settings, and fails with the core's reason when none could.
 */
public class KfpAgentPodStep extends Step {
  /** The name Pipeline scripts call this step by. */
  public static final String FUNCTION_NAME = "kfpAgentPod";

  private int gpus;
  private String gpuType = "";
  private String vendor = "nvidia";
  private String labels = "gfd";
  private String nodeLabel = "";
  private String image = "";
  private String container = "kfp";
  private String shm = "";
  private String cpu = "";
  private String memory = "";
  private String runtimeClass = "";
  private String serviceAccount = "";
  private List<String> nodeSelectors = List.of();
  private List<String> tolerations = List.of();
  private boolean preflight;
  private String endpoint = "";

  @DataBoundConstructor
  public KfpAgentPodStep() {}

  public int getGpus() {
    return gpus;
  }

  @DataBoundSetter
  public void setGpus(int gpus) {
    this.gpus = gpus;
  }

  public String getGpuType() {
    return gpuType;
  }

  @DataBoundSetter
  public void setGpuType(String gpuType) {
    this.gpuType = text(gpuType);
  }

  public String getVendor() {
    return vendor;
  }

  @DataBoundSetter
  public void setVendor(String vendor) {
    this.vendor = text(vendor, "nvidia");
  }

  public String getLabels() {
    return labels;
  }

  @DataBoundSetter
  public void setLabels(String labels) {
    this.labels = text(labels, "gfd");
  }

  public String getNodeLabel() {
    return nodeLabel;
  }

  @DataBoundSetter
  public void setNodeLabel(String nodeLabel) {
    this.nodeLabel = text(nodeLabel);
  }

  public String getImage() {
    return image;
  }

  @DataBoundSetter
  public void setImage(String image) {
    this.image = text(image);
  }

  public String getContainer() {
    return container;
  }

  @DataBoundSetter
  public void setContainer(String container) {
    this.container = text(container, "kfp");
  }

  public String getShm() {
    return shm;
  }

  @DataBoundSetter
  public void setShm(String shm) {
    this.shm = text(shm);
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

  public String getRuntimeClass() {
    return runtimeClass;
  }

  @DataBoundSetter
  public void setRuntimeClass(String runtimeClass) {
    this.runtimeClass = text(runtimeClass);
  }

  public String getServiceAccount() {
    return serviceAccount;
  }

  @DataBoundSetter
  public void setServiceAccount(String serviceAccount) {
    this.serviceAccount = text(serviceAccount);
  }

  public List<String> getNodeSelectors() {
    return nodeSelectors;
  }

  @DataBoundSetter
  public void setNodeSelectors(List<String> nodeSelectors) {
    this.nodeSelectors = nodeSelectors == null ? List.of() : List.copyOf(nodeSelectors);
  }

  public List<String> getTolerations() {
    return tolerations;
  }

  @DataBoundSetter
  public void setTolerations(List<String> tolerations) {
    this.tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
  }

  public boolean isPreflight() {
    return preflight;
  }

  @DataBoundSetter
  public void setPreflight(boolean preflight) {
    this.preflight = preflight;
  }

  /** The KFP endpoint whose Kubernetes settings reach the cluster, for the preflight. */
  public String getEndpoint() {
    return endpoint;
  }

  @DataBoundSetter
  public void setEndpoint(String endpoint) {
    this.endpoint = text(endpoint);
  }


  private static String orNull(String value) {
    return value.isEmpty() ? null : value;
  }

  /** The pod YAML, or the core's reason the options make no pod. */
  String podYaml() throws K8sException {
    return AgentPods.yaml(spec());
  }

  /** The core's pod spec of the options, or its reason they make no pod. */
  AgentPodSpec spec() throws K8sException {
    AgentPodSpec.Builder builder = AgentPodSpec.builder().gpus(gpus).gpuType(orNull(gpuType)).vendor(vendor)
        .labels(labels).nodeLabel(orNull(nodeLabel)).image(orNull(image)).containerName(container).shm(orNull(shm))
        .cpu(orNull(cpu)).memory(orNull(memory)).runtimeClass(orNull(runtimeClass))
        .serviceAccount(orNull(serviceAccount));
    nodeSelectors.forEach(builder::nodeSelector);
    tolerations.forEach(builder::toleration);
    return builder.build();
  }

  @Override
  public StepExecution start(StepContext context) {
    return new Execution(context, this);
  }

  static final class Execution extends SynchronousNonBlockingStepExecution<String> {
    private static final long serialVersionUID = 1L;
    private final transient KfpAgentPodStep step;

    Execution(StepContext context, KfpAgentPodStep step) {
      super(context);
      this.step = step;
    }

    @Override
    protected String run() throws Exception {
      KfpAgentPodStep s = step;
      AgentPodSpec spec;
      try {
        spec = s.spec();
      } catch (K8sException e) {
        throw new AbortException(FUNCTION_NAME + ": " + e.getMessage());
      }
      if (s.preflight) {
        preflight(spec);
      }
      return AgentPods.yaml(spec);
    }

    /** Checks from the controller that some node could take the pod; fails with the core's reason when none could. */
    private void preflight(AgentPodSpec spec) throws Exception {
      KfpAgentPodStep s = step;
      if (s.endpoint.isEmpty()) {
        throw new AbortException(FUNCTION_NAME + ": preflight needs endpoint, the KFP endpoint whose Kubernetes "
            + "settings reach the cluster the pod is to run on");
      }
      KfpEndpoint target = Endpoints.target(FUNCTION_NAME, s.endpoint);
      RemoteObservation observation = Endpoints.observation(FUNCTION_NAME, getContext().get(Run.class), target);
      if (!observation.cluster()) {
        throw new AbortException(FUNCTION_NAME + ": endpoint " + target.getName() + " has no Kubernetes settings for "
            + "the preflight; give it a kubeconfig credential, or reach the cluster from the controller's pod, in "
            + "Manage Jenkins, Kubeflow Pipelines");
      }
      PrintStream log = getContext().get(TaskListener.class).getLogger();
      PodPreflight.Checked checked;
      try {
        checked = PodPreflight.check(spec, observation.kubeconfig());
      } catch (KfpException e) {
        throw new AbortException(FUNCTION_NAME + ": preflight: " + e.getMessage());
      }
      checked.lines().forEach(l -> log.println("[kfp] " + l));
      if (!checked.passed()) {
        throw new AbortException(FUNCTION_NAME + ": preflight failed: " + checked.failure());
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
      return Messages.KfpAgentPodStep_DisplayName();
    }

    /** No node: the pod YAML is made before any node exists; the build and its console for the preflight. */
    @Override
    public Set<? extends Class<?>> getRequiredContext() {
      return Set.of(Run.class, TaskListener.class);
    }
  }
}
