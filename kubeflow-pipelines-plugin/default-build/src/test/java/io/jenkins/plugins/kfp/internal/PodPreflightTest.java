package io.jenkins.plugins.kfp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kfpci.k8s.AgentPodSpec;
import io.kfpci.k8s.K8sException;
import io.kfpci.client.KfpConnection;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.ScriptedRunExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code kfpAgentPod preflight: true}'s check from the controller, in process against fabric8's
 * mock API server (CRUD mode), reached through a kubeconfig's content as an endpoint's credential
 * gives it: a pod that fits, one no node can take (the core's reason, which fails the step), and a
 * credential that is not a kubeconfig (refused without quoting it). And {@code kfpRun preflight:
 * true}: a pipeline whose training task asks for two GPUs, refused by a cluster without them before
 * anything reaches KFP, and sent once a GPU node joins.
 */
@EnableKubernetesMockClient(crud = true)
class PodPreflightTest {
  static KubernetesClient client;

  private static void cluster(Node... nodes) {
    client.nodes().list().getItems().forEach(n -> client.nodes().withName(n.getMetadata().getName()).delete());
    for (Node n : nodes) {
      client.nodes().resource(n).create();
    }
  }

  private static Node t4Node(String name) {
    return new NodeBuilder().withNewMetadata().withName(name)
        .addToLabels("cloud.google.com/gke-accelerator", "nvidia-tesla-t4").addToLabels("nvidia.com/gpu.product", "Tesla-T4")
        .endMetadata()
        .withNewSpec().addNewTaint().withKey("nvidia.com/gpu").withValue("present").withEffect("NoSchedule").endTaint()
        .endSpec()
        .withNewStatus().addToAllocatable("cpu", new Quantity("16")).addToAllocatable("memory", new Quantity("64Gi"))
        .addToAllocatable("nvidia.com/gpu", new Quantity("1")).endStatus().build();
  }

  private static Node cpuNode(String name) {
    return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec()
        .withNewStatus().addToAllocatable("cpu", new Quantity("8")).addToAllocatable("memory", new Quantity("32Gi"))
        .endStatus().build();
  }

  /** What an endpoint's Secret file credential holds: a kubeconfig naming the cluster and a token. */
  private static String kubeconfig() {
    return MockKubeconfigs.of(client, "default");
  }

  @Test
  void aGpuPodThatSomeNodeCanTakePasses() throws Exception {
    cluster(t4Node("gke-t4-1"), cpuNode("cpu-1"));
    AgentPodSpec spec = AgentPodSpec.builder().gpus(1).gpuType("nvidia-tesla-t4").labels("gke").memory("32Gi").build();

    PodPreflight.Checked checked = PodPreflight.check(spec, kubeconfig());

    assertThat(checked.passed()).isTrue();
    assertThat(checked.failure()).isEmpty();
    assertThat(checked.lines()).containsExactly("ok    agent pod: 1 x nvidia-tesla-t4, 32Gi memory fits on 1 node (gke-t4-1)",
        "preflight passed: the pod fits on some node of the 2-node cluster");
  }

  @Test
  void aPodNoNodeCanTakeFailsWithTheCoresReason() throws Exception {
    cluster(t4Node("gke-t4-1"), cpuNode("cpu-1"));
    AgentPodSpec spec = AgentPodSpec.builder().gpus(2).gpuType("nvidia-tesla-t4").labels("gke").build();

    PodPreflight.Checked checked = PodPreflight.check(spec, kubeconfig());

    assertThat(checked.passed()).isFalse();
    assertThat(checked.failure()).isEqualTo("agent pod: no schedulable node offers 2 x nvidia-tesla-t4 (largest: 1 x "
        + "Tesla-T4 on node gke-t4-1)");
    assertThat(checked.lines()).containsExactly("FAIL  " + checked.failure(),
        "preflight failed: a pod that fits on no node would stay Pending; change its requests or the cluster");
  }

  @Test
  void aClusterWithoutNodesIsSaidSo() throws Exception {
    cluster();
    PodPreflight.Checked checked = PodPreflight.check(AgentPodSpec.builder().labels("none").cpu("2").build(),
        kubeconfig());
    assertThat(checked.passed()).isFalse();
    assertThat(checked.failure()).isEqualTo("agent pod: no schedulable node offers 2 CPU (the cluster has no nodes)");
  }

  @Test
  void aCredentialThatIsNotAKubeconfigIsRefusedWithoutQuotingIt() {
    assertThatThrownBy(() -> PodPreflight.check(AgentPodSpec.builder().build(), "token: s3cr3t-not-yaml: [\n"))
        .isInstanceOf(K8sException.class)
        .hasMessage("the kubeconfig given is not a valid kubeconfig (ScannerException; its content is not shown: it may"
            + " hold tokens)")
        .hasMessageNotContaining("s3cr3t");
  }

  private static final String GPU_PIPELINE = "gpu-two-step.yaml";

  private static byte[] gpuPipeline() throws IOException {
    try (InputStream in = PodPreflightTest.class.getResourceAsStream("PodPreflightTest/" + GPU_PIPELINE)) {
      return in.readAllBytes();
    }
  }

  private static Node a100Node(String name, int gpus) {
    return new NodeBuilder().withNewMetadata().withName(name).addToLabels("nvidia.com/gpu.product", "NVIDIA-A100")
        .endMetadata().withNewSpec().endSpec()
        .withNewStatus().addToAllocatable("cpu", new Quantity("32")).addToAllocatable("memory", new Quantity("128Gi"))
        .addToAllocatable("nvidia.com/gpu", new Quantity(Integer.toString(gpus))).endStatus().build();
  }

  private static KfpEmulator emulator() {
    return Emulators.start(KfpEmulator.builder().runExecutor(ScriptedRunExecutor.manual()));
  }

  /** What the durable execution does on its pool thread: the preflight, then (only if it passed) the submit. */
  private static RemoteRuns.Submitted preflightThenSubmit(KfpConnection connection, byte[] ir, List<String> console)
      throws Exception {
    PodPreflight.require(GPU_PIPELINE, ir, kubeconfig(), console::add);
    return RemoteRuns.submit(connection, new RemoteRuns.Request(GPU_PIPELINE, ir, Map.of(), "nightly", "", "", "",
        "abc1234", "Jenkins team/train#3"), RemoteRuns.newMark());
  }

  @Test
  void aPipelineNeedingGpusTheClusterLacksIsRefusedBeforeAnythingReachesKfp() throws Exception {
    cluster(cpuNode("cpu-1"), t4Node("gke-t4-1"));
    try (KfpEmulator kfp = emulator()) {
      KfpConnection connection = RemoteUpload.connection("prod", kfp.baseUrl().toString(), "", "", null, w -> {});
      List<String> console = new ArrayList<>();

      String reason = "task train: no schedulable node offers 2 x nvidia.com/gpu, 2 CPU, 8Gi memory (largest: 1 x "
          + "Tesla-T4 on node gke-t4-1)";
      assertThatThrownBy(() -> preflightThenSubmit(connection, gpuPipeline(), console))
          .isInstanceOfSatisfying(PodPreflight.RefusedException.class, e -> assertThat(e.failure()).isEqualTo(reason))
          .hasMessage("preflight failed: " + reason);
      assertThat(console).containsExactly(
          // The T4 node's taint keeps the CPU task off it.
          "[kfp] ok    task preprocess: 500m CPU fits on 1 node (cpu-1)",
          "[kfp] FAIL  " + reason,
          "[kfp] preflight failed: a pod that fits on no node would stay Pending; change its requests or the cluster");
      assertThat(kfp.state().requests()).isEmpty();
      assertThat(kfp.state().pipelines()).isEmpty();
      assertThat(kfp.state().runs()).isEmpty();
    }
  }

  @Test
  void aPipelineThatFitsIsCheckedThenSent() throws Exception {
    cluster(cpuNode("cpu-1"), a100Node("a100-1", 4));
    try (KfpEmulator kfp = emulator()) {
      KfpConnection connection = RemoteUpload.connection("prod", kfp.baseUrl().toString(), "", "", null, w -> {});
      List<String> console = new ArrayList<>();

      RemoteRuns.Submitted submitted = preflightThenSubmit(connection, gpuPipeline(), console);

      assertThat(console).containsExactly(
          "[kfp] ok    task preprocess: 500m CPU fits on 2 nodes (cpu-1, a100-1)",
          "[kfp] ok    task train: 2 x nvidia.com/gpu, 2 CPU, 8Gi memory fits on 1 node (a100-1)",
          "[kfp] preflight passed: every task fits on some node of the 2-node cluster");
      assertThat(kfp.state().runs()).singleElement().satisfies(r -> assertThat(r.id()).isEqualTo(submitted.runId()));
    }
  }

  @Test
  void aPipelineWhoseTasksAskForNothingNeedsNoCluster() throws Exception {
    byte[] plain = """
        components:
          comp-hello: {executorLabel: exec-hello}
        deploymentSpec:
          executors:
            exec-hello:
              container: {image: alpine, command: ["true"]}
        pipelineInfo: {name: hello}
        root:
          dag:
            tasks:
              hello:
                componentRef: {name: comp-hello}
        schemaVersion: 2.1.0
        """.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    // No kubeconfig would reach any cluster: none is asked.
    PodPreflight.Checked checked = PodPreflight.check("hello.yaml", plain, "not: a kubeconfig");
    assertThat(checked.passed()).isTrue();
    assertThat(checked.lines()).containsExactly("preflight: no task of hello.yaml asks for GPUs, CPU, memory or node "
        + "labels; nothing to check");
  }
}
