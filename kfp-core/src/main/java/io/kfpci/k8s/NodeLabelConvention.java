package io.kfpci.k8s;

import java.util.Locale;

/**
 * Which node label says what GPU a node has. Clusters differ: NVIDIA's GPU feature discovery
 * labels the product ({@code nvidia.com/gpu.product=Tesla-T4}), GKE the accelerator type
 * ({@code cloud.google.com/gke-accelerator=nvidia-tesla-t4}), and on EKS and AKS the GPU follows
 * from the instance type ({@code node.kubernetes.io/instance-type=p4d.24xlarge}).
 */
public enum NodeLabelConvention {
  GFD("nvidia.com/gpu.product"),
  GKE("cloud.google.com/gke-accelerator"),
  EKS("node.kubernetes.io/instance-type"),
  AKS("node.kubernetes.io/instance-type"),
  /** No node selector: any node with free GPUs of the vendor will do. */
  NONE("");

  private final String labelKey;

  NodeLabelConvention(String labelKey) {
    this.labelKey = labelKey;
  }

  /** The label key, or "" for {@link #NONE}. */
  public String labelKey() {
    return labelKey;
  }

  public static NodeLabelConvention parse(String word) throws K8sException {
    for (NodeLabelConvention c : values()) {
      if (c.name().equalsIgnoreCase(word)) {
        return c;
      }
    }
    throw new K8sException("--labels '" + word + "' is not one of gfd, gke, eks, aks, none");
  }

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
