package io.kfpci.k8s;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a GPU agent pod for the Jenkins kubernetes plugin asks for. Build it with {@link #builder()};
 * {@link Builder#build()} checks every value and names the option of the first bad one.
 *
 * @param gpus how many GPUs the build container gets (0: a CPU-only pod)
 * @param gpuType the GPU the node must have, in the label convention's words (GFD's
 *     {@code NVIDIA-A100-SXM4-40GB}, GKE's {@code nvidia-tesla-a100}, an EKS or AKS instance
 *     type), or null for any node with the vendor's GPUs
 * @param nodeLabelKey the node label that carries {@code gpuType}; "" for none
 * @param nodeSelector further node labels the pod requires
 * @param tolerations further taints the pod tolerates, besides the vendor's GPU taint
 */
public record AgentPodSpec(int gpus, String gpuType, GpuVendor vendor, NodeLabelConvention convention,
    String nodeLabelKey, String image, String containerName, Quantity shm, Quantity cpu, Quantity memory,
    String runtimeClassName, String serviceAccount, Map<String, String> nodeSelector, List<TolerationSpec> tolerations) {

  /** Shared memory a GPU container gets unless told otherwise: PyTorch's DataLoader workers need far more than 64 MiB. */
  public static final String DEFAULT_GPU_SHM = "2Gi";

  /** The image of a pod without GPUs: the Python the kfp SDK and the local runner need. */
  public static final String CPU_IMAGE = "python:3.11-slim";

  // RFC 1123 label (container names) and DNS subdomain (runtime class, service account).
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  // Label keys: optional DNS prefix, then a name of alphanumerics, '-', '_', '.'; values likewise.
  private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

  public AgentPodSpec {
    nodeSelector = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodeSelector));
    tolerations = List.copyOf(tolerations);
  }

  /** A taint to tolerate: {@code key[=value]:effect}; no value means "exists". */
  public record TolerationSpec(String key, String value, String effect) {
    /** Parses {@code key[=value][:effect]}; the effect defaults to NoSchedule. */
    public static TolerationSpec parse(String text) throws K8sException {
      String rest = text;
      String effect = "NoSchedule";
      int colon = rest.lastIndexOf(':');
      if (colon >= 0) {
        effect = rest.substring(colon + 1);
        rest = rest.substring(0, colon);
      }
      if (!List.of("NoSchedule", "PreferNoSchedule", "NoExecute").contains(effect)) {
        throw new K8sException("--toleration '" + text + "': effect '" + effect
            + "' is not one of NoSchedule, PreferNoSchedule, NoExecute");
      }
      int eq = rest.indexOf('=');
      String key = eq < 0 ? rest : rest.substring(0, eq);
      String value = eq < 0 ? null : rest.substring(eq + 1);
      if (!LABEL_KEY.matcher(key).matches() || (value != null && !LABEL_VALUE.matcher(value).matches())) {
        throw new K8sException("--toleration '" + text + "' is not KEY[=VALUE][:EFFECT] with a valid taint key and value");
      }
      return new TolerationSpec(key, value, effect);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects options; {@link #build()} validates them. */
  public static final class Builder {
    private int gpus;
    private String gpuType;
    private String vendor = "nvidia";
    private String labels = "gfd";
    private String nodeLabel;
    private String image;
    private String containerName = "kfp";
    private String shm;
    private String cpu;
    private String memory;
    private String runtimeClass;
    private String serviceAccount;
    private final Map<String, String> nodeSelector = new LinkedHashMap<>();
    private final List<String> tolerations = new ArrayList<>();

    private Builder() {}

    public Builder gpus(int gpus) {
      this.gpus = gpus;
      return this;
    }

    public Builder gpuType(String gpuType) {
      this.gpuType = gpuType;
      return this;
    }

    public Builder vendor(String vendor) {
      this.vendor = vendor;
      return this;
    }

    /** The label convention: gfd (default), gke, eks, aks or none. */
    public Builder labels(String convention) {
      this.labels = convention;
      return this;
    }

    /** A node label key to carry the GPU type instead of the convention's. */
    public Builder nodeLabel(String key) {
      this.nodeLabel = key;
      return this;
    }

    public Builder image(String image) {
      this.image = image;
      return this;
    }

    public Builder containerName(String name) {
      this.containerName = name;
      return this;
    }

    /** Size of the memory-backed /dev/shm; "0" for none. Default {@value #DEFAULT_GPU_SHM} with GPUs. */
    public Builder shm(String size) {
      this.shm = size;
      return this;
    }

    public Builder cpu(String cpu) {
      this.cpu = cpu;
      return this;
    }

    public Builder memory(String memory) {
      this.memory = memory;
      return this;
    }

    public Builder runtimeClass(String name) {
      this.runtimeClass = name;
      return this;
    }

    public Builder serviceAccount(String name) {
      this.serviceAccount = name;
      return this;
    }

    /** {@code key=value}. */
    public Builder nodeSelector(String keyEqualsValue) {
      int eq = keyEqualsValue.indexOf('=');
      nodeSelector.put(eq < 0 ? keyEqualsValue : keyEqualsValue.substring(0, eq), eq < 0 ? null : keyEqualsValue.substring(eq + 1));
      return this;
    }

    /** {@code key[=value][:effect]}. */
    public Builder toleration(String toleration) {
      tolerations.add(toleration);
      return this;
    }

    public AgentPodSpec build() throws K8sException {
      if (gpus < 0) {
        throw new K8sException("--gpus must be 0 or more, not " + gpus);
      }
      GpuVendor v = GpuVendor.parse(vendor);
      NodeLabelConvention convention = NodeLabelConvention.parse(labels);
      String labelKey = nodeLabel != null ? nodeLabel : convention.labelKey();
      if (!labelKey.isEmpty() && !LABEL_KEY.matcher(labelKey).matches()) {
        throw new K8sException("--node-label '" + labelKey + "' is not a valid Kubernetes label key");
      }
      if (gpuType != null) {
        if (gpus == 0) {
          throw new K8sException("--gpu-type " + gpuType + " needs --gpus 1 or more");
        }
        if (!LABEL_VALUE.matcher(gpuType).matches()) {
          throw new K8sException("--gpu-type '" + gpuType + "' is not a valid label value (letters, digits, '-', '_', '.'; "
              + "at most 63; e.g. NVIDIA-A100-SXM4-40GB or nvidia-tesla-t4)");
        }
        if (labelKey.isEmpty()) {
          throw new K8sException("--gpu-type " + gpuType + " needs a node label to select it: use --labels gfd|gke|eks|aks "
              + "or --node-label KEY");
        }
      }
      if (!LABEL.matcher(containerName).matches()) {
        throw new K8sException("--container '" + containerName + "' is not a valid container name (lower-case letters, "
            + "digits and '-', at most 63)");
      }
      if (containerName.equals("jnlp")) {
        throw new K8sException("--container jnlp would replace the Jenkins agent container; choose another name");
      }
      if (runtimeClass != null && !SUBDOMAIN.matcher(runtimeClass).matches()) {
        throw new K8sException("--runtime-class '" + runtimeClass + "' is not a valid RuntimeClass name");
      }
      if (serviceAccount != null && !SUBDOMAIN.matcher(serviceAccount).matches()) {
        throw new K8sException("--service-account '" + serviceAccount + "' is not a valid ServiceAccount name");
      }
      for (Map.Entry<String, String> e : nodeSelector.entrySet()) {
        if (e.getValue() == null || !LABEL_KEY.matcher(e.getKey()).matches() || !LABEL_VALUE.matcher(e.getValue()).matches()) {
          throw new K8sException("--node-selector '" + e.getKey() + (e.getValue() == null ? "" : "=" + e.getValue())
              + "' is not KEY=VALUE with a valid label key and value");
        }
      }
      List<TolerationSpec> parsedTolerations = new ArrayList<>();
      for (String t : tolerations) {
        parsedTolerations.add(TolerationSpec.parse(t));
      }
      String shmSize = shm != null ? shm : gpus > 0 ? DEFAULT_GPU_SHM : "0";
      return new AgentPodSpec(gpus, gpuType, v, convention, labelKey,
          image != null ? image : gpus > 0 ? v.defaultImage() : CPU_IMAGE, containerName,
          zeroIsNone(quantity("--shm", shmSize)), quantity("--cpu", cpu), quantity("--memory", memory),
          runtimeClass, serviceAccount, nodeSelector, parsedTolerations);
    }

    private static Quantity quantity(String option, String value) throws K8sException {
      if (value == null) {
        return null;
      }
      try {
        Quantity q = new Quantity(value);
        if (Quantity.getAmountInBytes(q).signum() < 0) {
          throw new K8sException(option + " " + value + " is negative");
        }
        return q;
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw new K8sException(option + " '" + value + "' is not a Kubernetes quantity (e.g. 500m, 4, 8Gi, 512Mi)");
      }
    }

    private static Quantity zeroIsNone(Quantity q) {
      return q == null || Quantity.getAmountInBytes(q).signum() == 0 ? null : q;
    }
  }
}
