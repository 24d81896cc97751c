package io.kfpci.k8s;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one node offers the scheduler: whether it takes new pods, its labels and taints, and its
 * allocatable resources (capacity less what the kubelet reserves).
 */
public record NodeCapacity(String name, boolean schedulable, Map<String, String> labels, List<NodeTaint> taints,
    Map<String, Quantity> allocatable) {

  /** Labels that name a node's GPU, most specific first. */
  static final List<String> GPU_PRODUCT_LABELS = List.of(
      "nvidia.com/gpu.product", "cloud.google.com/gke-accelerator", "amd.com/gpu.product-name", "accelerator",
      "node.kubernetes.io/instance-type");

  public NodeCapacity {
    Objects.requireNonNull(name, "name");
    labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    taints = List.copyOf(taints);
    allocatable = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(allocatable));
  }

  /** A node taint; only NoSchedule and NoExecute keep new pods off. */
  public record NodeTaint(String key, String value, String effect) {
    public boolean blocksScheduling() {
      return "NoSchedule".equals(effect) || "NoExecute".equals(effect);
    }

    @Override
    public String toString() {
      return key + (value == null || value.isEmpty() ? "" : "=" + value) + ":" + effect;
    }
  }

  public static NodeCapacity of(Node node) {
    List<NodeTaint> taints = new ArrayList<>();
    boolean unschedulable = false;
    if (node.getSpec() != null) {
      unschedulable = Boolean.TRUE.equals(node.getSpec().getUnschedulable());
      for (Taint t : node.getSpec().getTaints() == null ? List.<Taint>of() : node.getSpec().getTaints()) {
        taints.add(new NodeTaint(t.getKey(), t.getValue(), t.getEffect()));
      }
    }
    Map<String, Quantity> allocatable = node.getStatus() == null || node.getStatus().getAllocatable() == null
        ? Map.of() : node.getStatus().getAllocatable();
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    return new NodeCapacity(node.getMetadata().getName(), !unschedulable, labels, taints, allocatable);
  }

  /** How many of an extended resource (e.g. nvidia.com/gpu) the node can give; 0 when none. */
  public long count(String resource) {
    Quantity q = allocatable.get(resource);
    return q == null ? 0 : Quantity.getAmountInBytes(q).longValue();
  }

  /** The node's GPU as its labels name it (e.g. Tesla-T4), or the resource name when no label says. */
  public String gpuProduct(String resource) {
    for (String key : GPU_PRODUCT_LABELS) {
      String value = labels.get(key);
      if (value != null && !value.isEmpty()) {
        return value;
      }
    }
    return resource;
  }
}
