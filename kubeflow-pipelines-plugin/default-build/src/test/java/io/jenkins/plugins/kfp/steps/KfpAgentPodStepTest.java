package io.jenkins.plugins.kfp.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kfpci.k8s.AgentPodSpec;
import io.kfpci.k8s.AgentPods;
import io.kfpci.k8s.K8sException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code kfpAgentPod} binds its fields to the core's pod spec: the YAML is what {@code kfpci
 * agent-pod} prints for the same options, blank fields take the core's defaults, and bad options
 * are refused with the core's message.
 */
class KfpAgentPodStepTest {
  @Test
  void theYamlIsTheCoresForTheSameOptions() throws Exception {
    KfpAgentPodStep step = new KfpAgentPodStep();
    step.setGpus(2);
    step.setGpuType("nvidia-tesla-t4");
    step.setLabels("gke");
    step.setCpu("8");
    step.setMemory("32Gi");
    step.setServiceAccount("trainer");
    step.setNodeSelectors(List.of("pool=training"));
    step.setTolerations(List.of("dedicated=ml"));

    String expected = AgentPods.yaml(AgentPodSpec.builder().gpus(2).gpuType("nvidia-tesla-t4").labels("gke").cpu("8")
        .memory("32Gi").serviceAccount("trainer").nodeSelector("pool=training").toleration("dedicated=ml").build());
    String yaml = step.podYaml();
    assertThat(yaml).isEqualTo(expected);
    var pod = AgentPods.parse(yaml);
    var container = pod.getSpec().getContainers().get(0);
    assertThat(container.getName()).isEqualTo("kfp");
    assertThat(container.getResources().getLimits().get("nvidia.com/gpu").toString()).isEqualTo("2");
    assertThat(pod.getSpec().getNodeSelector()).containsEntry("cloud.google.com/gke-accelerator", "nvidia-tesla-t4")
        .containsEntry("pool", "training");
    assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("trainer");
    assertThat(pod.getSpec().getTolerations()).anySatisfy(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
  }

  @Test
  void blankFieldsTakeTheCoresDefaults() throws Exception {
    KfpAgentPodStep step = new KfpAgentPodStep();
    step.setVendor(" ");
    step.setLabels(null);
    step.setContainer("");
    step.setImage("  ");
    assertThat(step.getVendor()).isEqualTo("nvidia");
    assertThat(step.getLabels()).isEqualTo("gfd");
    assertThat(step.getContainer()).isEqualTo("kfp");
    assertThat(step.podYaml()).isEqualTo(AgentPods.yaml(AgentPodSpec.builder().build()));
  }

  @Test
  void badOptionsAreRefusedWithTheCoresMessage() {
    KfpAgentPodStep step = new KfpAgentPodStep();
    step.setTolerations(List.of("not a taint"));
    assertThatThrownBy(step::podYaml).isInstanceOf(K8sException.class)
        .hasMessage("--toleration 'not a taint' is not KEY[=VALUE][:EFFECT] with a valid taint key and value");
  }
}
