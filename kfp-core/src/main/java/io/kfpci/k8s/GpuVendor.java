package io.kfpci.k8s;

import java.util.Locale;

/**
 * A GPU vendor: the extended resource its device plugin advertises, the taint key GPU node pools
 * commonly carry, and a base image with its user-space runtime.
 */
public enum GpuVendor {
  NVIDIA("nvidia.com/gpu", "nvidia/cuda:12.4.1-runtime-ubuntu22.04"),
  AMD("amd.com/gpu", "rocm/dev-ubuntu-22.04:6.1");

  private final String resource;
  private final String defaultImage;

  GpuVendor(String resource, String defaultImage) {
    this.resource = resource;
    this.defaultImage = defaultImage;
  }

  /** The extended resource name, e.g. {@code nvidia.com/gpu}; also the usual taint key. */
  public String resource() {
    return resource;
  }

  public String defaultImage() {
    return defaultImage;
  }

  public static GpuVendor parse(String word) throws K8sException {
    for (GpuVendor v : values()) {
      if (v.name().equalsIgnoreCase(word)) {
        return v;
      }
    }
    throw new K8sException("--vendor '" + word + "' is not one of nvidia, amd");
  }

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
