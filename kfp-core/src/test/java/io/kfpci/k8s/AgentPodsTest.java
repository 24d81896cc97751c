package io.kfpci.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden pod YAML per flavour (src/test/resources/k8s/AgentPodsTest/NAME.yaml). To accept a
 * deliberate change, run with -Dgolden.update=true and review the diff.
 */
class AgentPodsTest {
  private static final Path GOLDEN = Path.of("src/test/resources/k8s/AgentPodsTest");

  static Stream<Arguments> flavours() throws K8sException {
    return Stream.of(
        Arguments.of("nvidia-gfd-a100", AgentPodSpec.builder().gpus(2).gpuType("NVIDIA-A100-SXM4-40GB")
            .cpu("8").memory("64Gi").shm("16Gi").runtimeClass("nvidia").build()),
        Arguments.of("nvidia-gke-t4", AgentPodSpec.builder().gpus(1).gpuType("nvidia-tesla-t4").labels("gke")
            .cpu("4").memory("16Gi").build()),
        Arguments.of("nvidia-eks-p4d", AgentPodSpec.builder().gpus(8).gpuType("p4d.24xlarge").labels("eks")
            .image("nvcr.io/nvidia/pytorch:24.05-py3").serviceAccount("trainer").build()),
        Arguments.of("nvidia-aks-nc24", AgentPodSpec.builder().gpus(1).gpuType("Standard_NC24ads_A100_v4").labels("aks")
            .build()),
        Arguments.of("amd-mi300", AgentPodSpec.builder().gpus(4).vendor("amd").labels("none")
            .nodeSelector("amd.com/gpu.product-name=AMD_Instinct_MI300X").build()),
        // The seed article's GPU pipeline selects accelerator=nvidia-a100 and tolerates its taint.
        Arguments.of("seed-accelerator-label", AgentPodSpec.builder().gpus(2).gpuType("nvidia-a100").nodeLabel("accelerator")
            .toleration("nvidia.com/gpu=present:NoSchedule").build()),
        Arguments.of("cpu-only", AgentPodSpec.builder().labels("none").cpu("2").memory("4Gi").image("python:3.11-slim").build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("flavours")
  void podYamlMatchesItsGoldenFileAndParsesBackIntoTheSamePod(String name, AgentPodSpec spec) throws Exception {
    String yaml = AgentPods.yaml(spec);

    Path golden = GOLDEN.resolve(name + ".yaml");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, yaml, StandardCharsets.UTF_8);
    }
    assertThat(yaml).isEqualTo(read(golden));
    Pod parsed = AgentPods.parse(yaml);
    assertThat(parsed).isEqualTo(AgentPods.pod(spec));
    assertThat(parsed.getSpec().getContainers()).extracting(Container::getName).containsExactly(spec.containerName());
  }

  @Test
  void aGpuPodHasTheGpuLimitTheProductSelectorTheTaintTolerationAndMemoryBackedShm() throws K8sException {
    Pod pod = AgentPods.pod(AgentPodSpec.builder().gpus(2).gpuType("NVIDIA-A100-SXM4-40GB").build());

    Container c = pod.getSpec().getContainers().get(0);
    assertThat(c.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("2"));
    assertThat(c.getImage()).isEqualTo("nvidia/cuda:12.4.1-runtime-ubuntu22.04");
    assertThat(pod.getSpec().getNodeSelector()).isEqualTo(Map.of("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-40GB"));
    assertThat(pod.getSpec().getTolerations()).singleElement().satisfies(t -> {
      assertThat(t.getKey()).isEqualTo("nvidia.com/gpu");
      assertThat(t.getOperator()).isEqualTo("Exists");
      assertThat(t.getEffect()).isEqualTo("NoSchedule");
    });
    assertThat(pod.getSpec().getVolumes()).singleElement().satisfies(v -> {
      assertThat(v.getEmptyDir().getMedium()).isEqualTo("Memory");
      assertThat(v.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity(AgentPodSpec.DEFAULT_GPU_SHM));
    });
    assertThat(c.getVolumeMounts()).singleElement().satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/dev/shm"));
    // The kubernetes plugin adds jnlp; declaring it would replace the agent container.
    assertThat(pod.getSpec().getContainers()).noneMatch(x -> x.getName().equals("jnlp"));
  }

  @Test
  void badValuesNameTheirOption() {
    assertThatThrownBy(() -> AgentPodSpec.builder().gpus(-1).build()).hasMessage("--gpus must be 0 or more, not -1");
    assertThatThrownBy(() -> AgentPodSpec.builder().gpus(1).vendor("intel").build())
        .hasMessage("--vendor 'intel' is not one of nvidia, amd");
    assertThatThrownBy(() -> AgentPodSpec.builder().gpus(1).labels("azure").build())
        .hasMessage("--labels 'azure' is not one of gfd, gke, eks, aks, none");
    assertThatThrownBy(() -> AgentPodSpec.builder().gpus(1).memory("lots").build())
        .hasMessage("--memory 'lots' is not a Kubernetes quantity (e.g. 500m, 4, 8Gi, 512Mi)");
    assertThatThrownBy(() -> AgentPodSpec.builder().gpus(1).gpuType("A100 80GB").build())
        .hasMessageStartingWith("--gpu-type 'A100 80GB' is not a valid label value");
    assertThatThrownBy(() -> AgentPodSpec.builder().gpuType("nvidia-tesla-t4").build())
        .hasMessage("--gpu-type nvidia-tesla-t4 needs --gpus 1 or more");
    assertThatThrownBy(() -> AgentPodSpec.builder().gpus(1).gpuType("t4").labels("none").build())
        .hasMessage("--gpu-type t4 needs a node label to select it: use --labels gfd|gke|eks|aks or --node-label KEY");
    assertThatThrownBy(() -> AgentPodSpec.builder().containerName("Build_Box").build())
        .hasMessageStartingWith("--container 'Build_Box' is not a valid container name");
    assertThatThrownBy(() -> AgentPodSpec.builder().containerName("jnlp").build())
        .hasMessage("--container jnlp would replace the Jenkins agent container; choose another name");
    assertThatThrownBy(() -> AgentPodSpec.builder().toleration("gpu:Never").build())
        .hasMessage("--toleration 'gpu:Never': effect 'Never' is not one of NoSchedule, PreferNoSchedule, NoExecute");
    assertThatThrownBy(() -> AgentPodSpec.builder().nodeSelector("pool").build())
        .hasMessage("--node-selector 'pool' is not KEY=VALUE with a valid label key and value");
    assertThatThrownBy(() -> AgentPodSpec.builder().runtimeClass("Nvidia!").build())
        .hasMessage("--runtime-class 'Nvidia!' is not a valid RuntimeClass name");
  }

  private static String read(Path golden) throws IOException {
    if (!Files.exists(golden)) {
      throw new IOException("no golden file " + golden + "; run once with -Dgolden.update=true and review it");
    }
    return Files.readString(golden, StandardCharsets.UTF_8);
  }
}
