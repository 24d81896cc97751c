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
import org.junit.jupiter.api.Test;

/**
 * {@code kfpAgentPod preflight: true}'s check from the controller, in process against fabric8's
 * mock API server (CRUD mode), reached through a kubeconfig's content as an endpoint's credential
 * gives it: a pod that fits, one no node can take (the core's reason, which fails the step), and a
 * credential that is not a kubeconfig (refused without quoting it).
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
}
