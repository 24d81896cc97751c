package io.kfpci.deploy;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a KServe InferenceService (serving.kserve.io/v1beta1) serves. Build with {@link #builder()};
 * {@code build()} refuses what Kubernetes or KServe would, naming the option.
 *
 * @param annotations added to the resource's metadata: where the model came from (run id, pipeline, artifact)
 * @param canaryTrafficPercent the share of traffic the new revision gets, or null for all of it
 */
public record InferenceServiceSpec(String name, String namespace, String modelFormat, String runtime, String storageUri,
    int gpus, String gpuResource, Quantity cpu, Quantity memory, String serviceAccount, Integer canaryTrafficPercent,
    Map<String, String> annotations) {

  /**
   * KServe names must be DNS-1035 labels (they become Knative service and host names, which
   * start with a letter).
   */
  private static final Pattern DNS_1035 = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern DNS_1123 = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  public InferenceServiceSpec {
    annotations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects options; {@link #build()} checks them. */
  public static final class Builder {
    private String name;
    private String namespace = "default";
    private String modelFormat = "sklearn";
    private String runtime;
    private String storageUri;
    private int gpus;
    private String gpuResource = "nvidia.com/gpu";
    private String cpu;
    private String memory;
    private String serviceAccount;
    private Integer canary;
    private final Map<String, String> annotations = new LinkedHashMap<>();

    private Builder() {}

    public Builder name(String v) {
      name = v;
      return this;
    }

    public Builder namespace(String v) {
      namespace = v;
      return this;
    }

    public Builder modelFormat(String v) {
      modelFormat = v;
      return this;
    }

    public Builder runtime(String v) {
      runtime = v;
      return this;
    }

    public Builder storageUri(String v) {
      storageUri = v;
      return this;
    }

    public Builder gpus(int v) {
      gpus = v;
      return this;
    }

    public Builder gpuResource(String v) {
      gpuResource = v;
      return this;
    }

    public Builder cpu(String v) {
      cpu = v;
      return this;
    }

    public Builder memory(String v) {
      memory = v;
      return this;
    }

    public Builder serviceAccount(String v) {
      serviceAccount = v;
      return this;
    }

    public Builder canaryTrafficPercent(Integer v) {
      canary = v;
      return this;
    }

    public Builder annotation(String key, String value) {
      annotations.put(key, value);
      return this;
    }

    public InferenceServiceSpec build() throws DeployException {
      if (name == null || !DNS_1035.matcher(name).matches()) {
        throw new DeployException("--name '" + name + "' is not a name Kubernetes accepts for an InferenceService: "
            + "lower-case letters, digits and '-', starting with a letter and ending with a letter or digit, at most 63");
      }
      if (!DNS_1123.matcher(namespace).matches()) {
        throw new DeployException("--namespace '" + namespace + "' is not a valid namespace name");
      }
      if (modelFormat == null || !DNS_1123.matcher(modelFormat).matches()) {
        throw new DeployException("--model-format '" + modelFormat + "' is not a model format name (e.g. sklearn, "
            + "xgboost, pytorch, onnx, tensorflow, huggingface)");
      }
      if (runtime != null && !SUBDOMAIN.matcher(runtime).matches()) {
        throw new DeployException("--runtime '" + runtime + "' is not a ServingRuntime name");
      }
      if (storageUri == null || storageUri.isBlank()) {
        throw new DeployException("no storage URI for the model");
      }
      if (gpus < 0) {
        throw new DeployException("--gpus must be 0 or more, not " + gpus);
      }
      if (serviceAccount != null && !SUBDOMAIN.matcher(serviceAccount).matches()) {
        throw new DeployException("--service-account '" + serviceAccount + "' is not a valid ServiceAccount name");
      }
      if (canary != null && (canary < 0 || canary > 100)) {
        throw new DeployException("--canary-percent must be from 0 to 100, not " + canary);
      }
      return new InferenceServiceSpec(name, namespace, modelFormat, runtime, storageUri, gpus, gpuResource,
          quantity("--cpu", cpu), quantity("--memory", memory), serviceAccount, canary, annotations);
    }

    private static Quantity quantity(String option, String value) throws DeployException {
      if (value == null) {
        return null;
      }
      try {
        Quantity q = new Quantity(value);
        Quantity.getAmountInBytes(q);
        return q;
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw new DeployException(option + " '" + value + "' is not a Kubernetes quantity (e.g. 500m, 4, 8Gi)");
      }
    }
  }
}
