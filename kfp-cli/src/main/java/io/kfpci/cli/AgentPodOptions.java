package io.kfpci.cli;

import io.kfpci.k8s.AgentPodSpec;
import io.kfpci.k8s.K8sException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** What an agent pod asks for: shared by {@code kfpci agent-pod} and {@code kfpci preflight}. */
final class AgentPodOptions {
  @Option(names = "--gpus", paramLabel = "N", defaultValue = "0", description = "GPUs for the build container (default 0).")
  int gpus;

  @Option(names = "--gpu-type", paramLabel = "TYPE",
      description = "The GPU the node must have, as the node label says it: NVIDIA-A100-SXM4-40GB (gfd), "
          + "nvidia-tesla-t4 (gke), p4d.24xlarge (eks), Standard_NC24ads_A100_v4 (aks).")
  String gpuType;

  @Option(names = "--vendor", paramLabel = "VENDOR", defaultValue = "nvidia", description = "nvidia (default) or amd.")
  String vendor;

  @Option(names = "--labels", paramLabel = "CONVENTION", defaultValue = "gfd",
      description = "Which node label carries --gpu-type: gfd (nvidia.com/gpu.product, the default), gke "
          + "(cloud.google.com/gke-accelerator), eks or aks (node.kubernetes.io/instance-type), none.")
  String labels;

  @Option(names = "--node-label", paramLabel = "KEY", description = "A node label key for --gpu-type instead of the convention's.")
  String nodeLabel;

  @Option(names = "--image", paramLabel = "IMAGE",
      description = "The build container's image (default: a CUDA runtime image for nvidia, ROCm for amd, "
          + AgentPodSpec.CPU_IMAGE + " without GPUs).")
  String image;

  @Option(names = "--container", paramLabel = "NAME", defaultValue = "kfp",
      description = "The build container's name, for container('NAME') { ... } (default kfp).")
  String container;

  @Option(names = "--shm", paramLabel = "SIZE",
      description = "Memory-backed /dev/shm size (default " + AgentPodSpec.DEFAULT_GPU_SHM + " with GPUs; 0 for none).")
  String shm;

  @Option(names = "--cpu", paramLabel = "CPU", description = "CPU request and limit, e.g. 8 or 500m.")
  String cpu;

  @Option(names = "--memory", paramLabel = "SIZE", description = "Memory request and limit, e.g. 32Gi.")
  String memory;

  @Option(names = "--runtime-class", paramLabel = "NAME", description = "runtimeClassName, e.g. nvidia.")
  String runtimeClass;

  @Option(names = "--service-account", paramLabel = "NAME", description = "The pod's service account.")
  String serviceAccount;

  @Option(names = "--node-selector", paramLabel = "KEY=VALUE", description = "A further node label to require. Repeatable.")
  List<String> nodeSelectors = new ArrayList<>();

  @Option(names = "--toleration", paramLabel = "KEY[=VALUE][:EFFECT]",
      description = "A further taint to tolerate (effect NoSchedule by default). Repeatable.")
  List<String> tolerations = new ArrayList<>();

  /** Whether any option asks for something a node must offer. */
  boolean asksForResources() {
    return gpus > 0 || cpu != null || memory != null || !nodeSelectors.isEmpty();
  }

  AgentPodSpec spec() throws K8sException {
    AgentPodSpec.Builder builder = AgentPodSpec.builder().gpus(gpus).gpuType(gpuType).vendor(vendor).labels(labels)
        .nodeLabel(nodeLabel).image(image).containerName(container).shm(shm).cpu(cpu).memory(memory)
        .runtimeClass(runtimeClass).serviceAccount(serviceAccount);
    nodeSelectors.forEach(builder::nodeSelector);
    tolerations.forEach(builder::toleration);
    return builder.build();
  }
}
