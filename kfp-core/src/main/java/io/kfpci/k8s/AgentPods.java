package io.kfpci.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pod YAML for the Jenkins kubernetes plugin's {@code podTemplate(yaml: ...)} and declarative
 * {@code agent { kubernetes { yaml ... } }}: one build container with the GPUs, node selection and
 * tolerations, and shared memory a training job needs. The plugin adds its own {@code jnlp}
 * container and merges it with this pod, so the pod declares none.
 */
public final class AgentPods {
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .build();

  private AgentPods() {}

  /** The pod, with fabric8's model. */
  public static Pod pod(AgentPodSpec spec) {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    Map<String, Quantity> limits = new LinkedHashMap<>();
    if (spec.cpu() != null) {
      requests.put("cpu", spec.cpu());
      limits.put("cpu", spec.cpu());
    }
    if (spec.memory() != null) {
      requests.put("memory", spec.memory());
      limits.put("memory", spec.memory());
    }
    if (spec.gpus() > 0) {
      // Extended resources are set as limits; Kubernetes makes the request equal.
      limits.put(spec.vendor().resource(), new Quantity(Integer.toString(spec.gpus())));
    }
    ContainerBuilder container = new ContainerBuilder()
        .withName(spec.containerName())
        .withImage(spec.image())
        // Kept alive for the build's `container('kfp') { sh ... }` steps.
        .withCommand("sleep")
        .withArgs("infinity");
    if (!requests.isEmpty() || !limits.isEmpty()) {
      container.withNewResources().withRequests(requests).withLimits(limits).endResources();
    }
    PodSpecBuilder podSpec = new PodSpecBuilder();
    if (spec.shm() != null) {
      container.addNewVolumeMount().withName("dshm").withMountPath("/dev/shm").endVolumeMount();
      podSpec.addNewVolume().withName("dshm").withNewEmptyDir().withMedium("Memory").withSizeLimit(spec.shm())
          .endEmptyDir().endVolume();
    }
    podSpec.withContainers(container.build());
    Map<String, String> selector = new LinkedHashMap<>();
    if (spec.gpuType() != null) {
      selector.put(spec.nodeLabelKey(), spec.gpuType());
    }
    selector.putAll(spec.nodeSelector());
    if (!selector.isEmpty()) {
      podSpec.withNodeSelector(selector);
    }
    List<Toleration> tolerations = new ArrayList<>();
    if (spec.gpus() > 0) {
      // GPU node pools are commonly tainted with the GPU resource name (GKE does so itself); AKS
      // documents sku=gpu for its GPU pools.
      tolerations.add(new TolerationBuilder().withKey(spec.vendor().resource()).withOperator("Exists")
          .withEffect("NoSchedule").build());
      if (spec.convention() == NodeLabelConvention.AKS) {
        tolerations.add(new TolerationBuilder().withKey("sku").withOperator("Equal").withValue("gpu")
            .withEffect("NoSchedule").build());
      }
    }
    for (AgentPodSpec.TolerationSpec t : spec.tolerations()) {
      boolean covered = tolerations.stream().anyMatch(x -> x.getKey().equals(t.key())
          && x.getOperator().equals("Exists") && x.getEffect().equals(t.effect()));
      if (covered) {
        continue;
      }
      tolerations.add(new TolerationBuilder().withKey(t.key()).withOperator(t.value() == null ? "Exists" : "Equal")
          .withValue(t.value()).withEffect(t.effect()).build());
    }
    if (!tolerations.isEmpty()) {
      podSpec.withTolerations(tolerations);
    }
    if (spec.runtimeClassName() != null) {
      podSpec.withRuntimeClassName(spec.runtimeClassName());
    }
    if (spec.serviceAccount() != null) {
      podSpec.withServiceAccountName(spec.serviceAccount());
    }
    return new PodBuilder().withApiVersion("v1").withKind("Pod")
        .withNewMetadata().addToLabels("app.kubernetes.io/managed-by", "kfpci").endMetadata()
        .withSpec(podSpec.build()).build();
  }

  /** The pod as YAML, ready for {@code podTemplate(yaml: ...)}. */
  public static String yaml(AgentPodSpec spec) {
    try {
      return YAML.writeValueAsString(pod(spec));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("fabric8's model always serialises", e);
    }
  }

  /** Reads pod YAML back with fabric8's model, as the kubernetes plugin does. */
  public static Pod parse(String yaml) throws K8sException {
    try {
      return YAML.readValue(yaml, Pod.class);
    } catch (JsonProcessingException e) {
      throw new K8sException("not a pod: " + e.getOriginalMessage(), e, false);
    }
  }
}
