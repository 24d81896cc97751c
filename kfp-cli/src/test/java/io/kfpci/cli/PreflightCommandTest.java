package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kfpci preflight} and {@code kfpci agent-pod} against fabric8's mock API server, reached through a kubeconfig. */
@EnableKubernetesMockClient(crud = true)
class PreflightCommandTest {
  static KubernetesClient client;
  @TempDir Path dir;
  private Path kubeconfig;

  @BeforeEach
  void t4OnlyCluster() throws Exception {
    client.nodes().list().getItems().forEach(n -> client.nodes().withName(n.getMetadata().getName()).delete());
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName("gpu-pool-1")
        .addToLabels("nvidia.com/gpu.product", "Tesla-T4").addToLabels("accelerator", "nvidia-tesla-t4").endMetadata()
        .withNewSpec().addNewTaint().withKey("nvidia.com/gpu").withValue("present").withEffect("NoSchedule").endTaint().endSpec()
        .withNewStatus().addToAllocatable("cpu", new Quantity("16")).addToAllocatable("memory", new Quantity("64Gi"))
        .addToAllocatable("nvidia.com/gpu", new Quantity("1")).endStatus().build()).create();
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName("cpu-1").endMetadata().withNewSpec().endSpec()
        .withNewStatus().addToAllocatable("cpu", new Quantity("8")).addToAllocatable("memory", new Quantity("32Gi"))
        .endStatus().build()).create();
    kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: ci
          user: {token: not-a-real-token}
        contexts:
        - name: mock
          context: {cluster: mock, user: ci}
        current-context: mock
        """.formatted(client.getConfiguration().getMasterUrl()));
  }

  @Test
  void theSeedGpuPipelineFailsFastOnAT4OnlyCluster() {
    CliRun r = CliRun.of("preflight", CliRun.repoRoot().resolve("examples/gpu_training_pipeline.py").toString(),
        "--kubeconfig", kubeconfig.toString());

    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("""
        ok    task load-from-volume: 250m CPU, 256Mi memory fits on 1 node (cpu-1)
        FAIL  task train-on-gpu: no schedulable node offers 2 x nvidia-a100, 3 CPU, 12Gi memory (largest: 1 x Tesla-T4 on node gpu-pool-1)
        preflight failed: a pod that fits on no node would stay Pending; change its requests or the cluster
        """);
  }

  @Test
  void anAgentPodThatFitsPasses() {
    CliRun r = CliRun.of("preflight", "--gpus", "1", "--gpu-type", "Tesla-T4", "--kubeconfig", kubeconfig.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        ok    agent pod: 1 x Tesla-T4 fits on 1 node (gpu-pool-1)
        preflight passed: every pod fits on some node of the 2-node cluster
        """);
  }

  @Test
  void agentPodPrintsTheYamlAndRefusesBadValues() {
    CliRun r = CliRun.of("agent-pod", "--gpus", "1", "--gpu-type", "nvidia-tesla-t4", "--labels", "gke");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("nvidia.com/gpu: 1", "cloud.google.com/gke-accelerator: nvidia-tesla-t4");

    CliRun bad = CliRun.of("agent-pod", "--gpus", "1", "--shm", "lots");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).isEqualTo("error: --shm 'lots' is not a Kubernetes quantity (e.g. 500m, 4, 8Gi, 512Mi)\n");
  }

  @Test
  void nothingToCheckAndBadKubeconfigsSaySo() throws Exception {
    CliRun nothing = CliRun.of("preflight", "--kubeconfig", kubeconfig.toString());
    assertThat(nothing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(nothing.err()).startsWith("error: nothing to check: give a PIPELINE, or an agent pod's --gpus/--cpu/--memory/--node-selector");

    CliRun missing = CliRun.of("preflight", "--gpus", "1", "--kubeconfig", dir.resolve("none").toString());
    assertThat(missing.err()).isEqualTo("error: --kubeconfig " + dir.resolve("none") + " does not exist or is not a regular file\n");

    Path unreachable = Files.writeString(dir.resolve("down"), Files.readString(kubeconfig)
        .replace(client.getConfiguration().getMasterUrl(), "https://127.0.0.1:1/"));
    CliRun down = CliRun.of("preflight", "--gpus", "1", "--kubeconfig", unreachable.toString());
    assertThat(down.exitCode()).isEqualTo(1);
    assertThat(down.err()).startsWith("error: cannot list nodes at https://127.0.0.1:1/: cannot reach the API server, ")
        .doesNotContain("not-a-real-token");
  }
}
