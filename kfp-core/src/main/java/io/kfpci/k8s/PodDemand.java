package io.kfpci.k8s;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one pod needs from a node: resources (GPUs as an extended resource, CPU and memory
 * requests), node labels, and the taints it tolerates.
 *
 * @param who for messages: {@code task train} or {@code agent pod}
 * @param gpuResource e.g. {@code nvidia.com/gpu}, or null for a pod without GPUs
 * @param gpus how many
 * @param gpuLabel what GPU the pod asks for in words ({@code nvidia-a100}), from its node selector
 *     when it selects one, else the resource name
 * @param cpu requested CPU, or null
 * @param memory requested memory, or null
 */
public record PodDemand(String who, String gpuResource, long gpus, String gpuLabel, Quantity cpu, Quantity memory,
    Map<String, String> nodeSelector, List<PodToleration> tolerations) {

  public PodDemand {
    Objects.requireNonNull(who, "who");
    nodeSelector = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodeSelector));
    tolerations = List.copyOf(tolerations);
  }

  /** A toleration as Kubernetes matches it against taints. */
  public record PodToleration(String key, String operator, String value, String effect) {
    /** The scheduler's rule: empty key with Exists tolerates all; Exists ignores the value; empty effect matches any. */
    public boolean tolerates(NodeCapacity.NodeTaint taint) {
      boolean keyMatches = key == null || key.isEmpty() ? "Exists".equals(operator) : key.equals(taint.key());
      boolean valueMatches = "Exists".equals(operator) || Objects.equals(emptyIfNull(value), emptyIfNull(taint.value()));
      boolean effectMatches = effect == null || effect.isEmpty() || effect.equals(taint.effect());
      return keyMatches && valueMatches && effectMatches;
    }

    private static String emptyIfNull(String s) {
      return s == null ? "" : s;
    }
  }

  /** "2 x nvidia-a100", or "a pod with 4 CPU, 16Gi memory" when it asks for no GPU. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    if (gpus > 0) {
      out.append(gpus).append(" x ").append(gpuLabel);
    }
    if (cpu != null) {
      out.append(out.isEmpty() ? "" : ", ").append(cpu).append(" CPU");
    }
    if (memory != null) {
      out.append(out.isEmpty() ? "" : ", ").append(memory).append(" memory");
    }
    return out.isEmpty() ? "room for a pod" : out.toString();
  }
}
