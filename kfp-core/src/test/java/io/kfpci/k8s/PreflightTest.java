package io.kfpci.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kfpci.compile.CompileRequest;
import io.kfpci.compile.KfpCompiler;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.python.PythonSettings;
import io.kfpci.python.VenvManager;
import io.kfpci.testing.RepoPaths;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preflight against fabric8's mock API server in CRUD mode: nodes are created as a cluster would
 * report them, read back through the real client, and checked. The seed GPU pipeline is compiled
 * with the real kfp.
 */
@EnableKubernetesMockClient(crud = true)
class PreflightTest {
  static KubernetesClient client;
  private static PipelineDocument gpuPipeline;

  @BeforeAll
  static void compileTheSeedGpuPipeline(@TempDir Path work) throws Exception {
    KfpCompiler compiler = new KfpCompiler(new VenvManager(PythonSettings.defaults()));
    gpuPipeline = compiler.compile(CompileRequest.builder(RepoPaths.repoRoot().resolve("examples/gpu_training_pipeline.py"))
        .output(work.resolve("gpu.yaml")).build()).document();
  }

  private static PodDemand train() throws K8sException {
    return Preflight.demandsOf(gpuPipeline).stream().filter(d -> d.who().equals("task train-on-gpu")).findFirst().orElseThrow();
  }

  private static void cluster(Node... nodes) {
    client.nodes().list().getItems().forEach(n -> client.nodes().withName(n.getMetadata().getName()).delete());
    for (Node n : nodes) {
      client.nodes().resource(n).create();
    }
  }

  private static Node gpuNode(String name, int gpus, String product, Map<String, String> labels, boolean tainted) {
    NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).addToLabels("nvidia.com/gpu.product", product)
        .addToLabels(labels).endMetadata()
        .withNewSpec().endSpec()
        .withNewStatus().addToAllocatable("cpu", new Quantity("32")).addToAllocatable("memory", new Quantity("128Gi"))
        .addToAllocatable("nvidia.com/gpu", new Quantity(Integer.toString(gpus))).endStatus();
    if (tainted) {
      b.editSpec().addNewTaint().withKey("nvidia.com/gpu").withValue("present").withEffect("NoSchedule").endTaint().endSpec();
    }
    return b.build();
  }

  private static Node cpuNode(String name) {
    return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec()
        .withNewStatus().addToAllocatable("cpu", new Quantity("8")).addToAllocatable("memory", new Quantity("32Gi"))
        .endStatus().build();
  }

  @Test
  void theSeedGpuPipelineAsksForTwoA100sOnTheAcceleratorLabelWithItsToleration() throws Exception {
    List<PodDemand> demands = Preflight.demandsOf(gpuPipeline);

    assertThat(demands).extracting(PodDemand::who).containsExactly("task load-from-volume", "task train-on-gpu");
    assertThat(demands.get(0).gpus()).isZero();
    assertThat(demands.get(0).cpu()).isEqualTo(new Quantity("250m"));
    assertThat(demands).element(1).satisfies(d -> {
      assertThat(d.who()).isEqualTo("task train-on-gpu");
      assertThat(d.gpuResource()).isEqualTo("nvidia.com/gpu");
      assertThat(d.gpus()).isEqualTo(2);
      assertThat(d.gpuLabel()).isEqualTo("nvidia-a100");
      assertThat(d.cpu()).isEqualTo(new Quantity("3"));
      assertThat(d.memory()).isEqualTo(new Quantity("12Gi"));
      assertThat(d.nodeSelector()).isEqualTo(Map.of("accelerator", "nvidia-a100"));
      assertThat(d.tolerations()).containsExactly(new PodDemand.PodToleration("nvidia.com/gpu", "Exists", "", "NoSchedule"));
    });
  }

  @Test
  void passesOnAMatchingCluster() throws Exception {
    cluster(cpuNode("cpu-1"),
        gpuNode("a100-pool-1", 4, "NVIDIA-A100-SXM4-40GB", Map.of("accelerator", "nvidia-a100"), true),
        gpuNode("t4-pool-1", 1, "Tesla-T4", Map.of("accelerator", "nvidia-tesla-t4"), true));

    List<Preflight.Verdict> verdicts = Preflight.check(Preflight.demandsOf(gpuPipeline), Preflight.nodes(client));

    assertThat(verdicts.get(0).line()).isEqualTo("task load-from-volume: 250m CPU, 256Mi memory fits on 1 node (cpu-1)");
    assertThat(verdicts).element(1).satisfies(v -> {
      assertThat(v.fits()).isTrue();
      assertThat(v.fittingNodes()).containsExactly("a100-pool-1");
      assertThat(v.line()).isEqualTo("task train-on-gpu: 2 x nvidia-a100, 3 CPU, 12Gi memory fits on 1 node (a100-pool-1)");
    });
  }

  @Test
  void failsFastWithTheSentenceOnAT4OnlyCluster() throws Exception {
    cluster(cpuNode("cpu-1"),
        gpuNode("gpu-pool-1", 1, "Tesla-T4", Map.of("accelerator", "nvidia-tesla-t4"), true),
        gpuNode("gpu-pool-2", 1, "Tesla-T4", Map.of("accelerator", "nvidia-tesla-t4"), true));

    Preflight.Verdict v = Preflight.check(train(), Preflight.nodes(client));

    assertThat(v.fits()).isFalse();
    assertThat(v.reason()).isEqualTo("no schedulable node offers 2 x nvidia-a100, 3 CPU, 12Gi memory "
        + "(largest: 1 x Tesla-T4 on node gpu-pool-1)");
  }

  @Test
  void aNodeWithEnoughGpusSaysWhatKeepsThePodOff() throws Exception {
    Node untolerated = gpuNode("a100-dedicated", 8, "NVIDIA-A100-SXM4-80GB", Map.of("accelerator", "nvidia-a100"), false);
    untolerated.getSpec().getTaints().add(new io.fabric8.kubernetes.api.model.TaintBuilder()
        .withKey("dedicated").withValue("research").withEffect("NoSchedule").build());
    cluster(untolerated, gpuNode("a100-other-label", 8, "NVIDIA-A100-SXM4-80GB", Map.of("accelerator", "a100"), true));

    Preflight.Verdict v = Preflight.check(train(), Preflight.nodes(client));

    assertThat(v.reason()).isEqualTo("no schedulable node offers 2 x nvidia-a100, 3 CPU, 12Gi memory "
        + "(largest: 8 x NVIDIA-A100-SXM4-80GB on node a100-dedicated; node a100-dedicated has enough GPUs but "
        + "has taint dedicated=research:NoSchedule that the pod does not tolerate)");
  }

  @Test
  void cordonedNodesAndClustersWithoutGpusAreNamed() throws Exception {
    Node cordoned = gpuNode("a100-1", 4, "NVIDIA-A100", Map.of("accelerator", "nvidia-a100"), true);
    cordoned.getSpec().setUnschedulable(true);
    cluster(cordoned);
    assertThat(Preflight.check(train(), Preflight.nodes(client)).reason())
        .isEqualTo("no schedulable node offers 2 x nvidia-a100, 3 CPU, 12Gi memory (every node is cordoned)");

    cluster(cpuNode("cpu-1"), cpuNode("cpu-2"));
    assertThat(Preflight.check(train(), Preflight.nodes(client)).reason())
        .isEqualTo("no schedulable node offers 2 x nvidia-a100, 3 CPU, 12Gi memory (no schedulable node has nvidia.com/gpu)");
  }

  @Test
  void anAgentPodIsCheckedTheSameWay() throws Exception {
    cluster(gpuNode("gke-t4-1", 1, "Tesla-T4", Map.of("cloud.google.com/gke-accelerator", "nvidia-tesla-t4"), true));

    AgentPodSpec t4 = AgentPodSpec.builder().gpus(1).gpuType("nvidia-tesla-t4").labels("gke").build();
    assertThat(Preflight.check(Preflight.demandOf(t4), Preflight.nodes(client)).line())
        .isEqualTo("agent pod: 1 x nvidia-tesla-t4 fits on 1 node (gke-t4-1)");

    AgentPodSpec big = AgentPodSpec.builder().gpus(1).gpuType("nvidia-tesla-t4").labels("gke").memory("512Gi").build();
    assertThat(Preflight.check(Preflight.demandOf(big), Preflight.nodes(client)).reason())
        .isEqualTo("no schedulable node offers 1 x nvidia-tesla-t4, 512Gi memory (largest: 1 x Tesla-T4 on node gke-t4-1; "
            + "node gke-t4-1 has enough GPUs but has 128Gi memory allocatable)");

    AgentPodSpec cpu = AgentPodSpec.builder().labels("none").cpu("64").build();
    assertThat(Preflight.check(Preflight.demandOf(cpu), Preflight.nodes(client)).reason())
        .isEqualTo("no schedulable node offers 64 CPU (closest: node gke-t4-1, which has taint nvidia.com/gpu=present:NoSchedule "
            + "that the pod does not tolerate, has 32 CPU allocatable)");
  }

  @Test
  void tolerationsMatchTaintsAsTheSchedulerDoes() {
    var taint = new NodeCapacity.NodeTaint("nvidia.com/gpu", "present", "NoSchedule");
    assertThat(new PodDemand.PodToleration("nvidia.com/gpu", "Exists", null, "NoSchedule").tolerates(taint)).isTrue();
    assertThat(new PodDemand.PodToleration("nvidia.com/gpu", "Equal", "present", "").tolerates(taint)).isTrue();
    assertThat(new PodDemand.PodToleration("nvidia.com/gpu", "Equal", "absent", "NoSchedule").tolerates(taint)).isFalse();
    assertThat(new PodDemand.PodToleration("", "Exists", null, null).tolerates(taint)).isTrue();
    assertThat(new PodDemand.PodToleration("other", "Exists", null, null).tolerates(taint)).isFalse();
    assertThat(new PodDemand.PodToleration("nvidia.com/gpu", "Exists", null, "NoExecute").tolerates(taint)).isFalse();
    assertThat(new NodeCapacity.NodeTaint("a", "", "PreferNoSchedule").blocksScheduling()).isFalse();
  }
}
