package io.kfpci.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.Map;

/** The KServe InferenceService resource, as a fabric8 generic resource (KServe ships no Java model). */
public final class InferenceServices {
  public static final String GROUP = "serving.kserve.io";
  public static final String VERSION = "v1beta1";
  public static final String KIND = "InferenceService";

  /** How fabric8 addresses the resource: namespaced, plural {@code inferenceservices}. */
  public static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
      .withGroup(GROUP).withVersion(VERSION).withKind(KIND).withPlural("inferenceservices").withNamespaced(true).build();

  private static final YAMLMapper YAML = YAMLMapper.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build();

  private InferenceServices() {}

  /** The resource for {@code spec}: a predictor serving the model from its storage URI. */
  public static GenericKubernetesResource manifest(InferenceServiceSpec spec) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(GROUP + "/" + VERSION).withKind(KIND)
        .withNewMetadata().withName(spec.name()).withNamespace(spec.namespace()).withAnnotations(spec.annotations()).endMetadata()
        .addToAdditionalProperties("spec", Map.of("predictor", predictor(spec)))
        .build();
  }

  private static Map<String, Object> predictor(InferenceServiceSpec spec) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("modelFormat", Map.of("name", spec.modelFormat()));
    if (spec.runtime() != null) {
      model.put("runtime", spec.runtime());
    }
    model.put("storageUri", spec.storageUri());
    Map<String, String> requests = new LinkedHashMap<>();
    Map<String, String> limits = new LinkedHashMap<>();
    if (spec.cpu() != null) {
      requests.put("cpu", text(spec.cpu()));
      limits.put("cpu", text(spec.cpu()));
    }
    if (spec.memory() != null) {
      requests.put("memory", text(spec.memory()));
      limits.put("memory", text(spec.memory()));
    }
    if (spec.gpus() > 0) {
      limits.put(spec.gpuResource(), Integer.toString(spec.gpus()));
    }
    if (!limits.isEmpty()) {
      Map<String, Object> resources = new LinkedHashMap<>();
      if (!requests.isEmpty()) {
        resources.put("requests", requests);
      }
      resources.put("limits", limits);
      model.put("resources", resources);
    }
    Map<String, Object> predictor = new LinkedHashMap<>();
    predictor.put("model", model);
    if (spec.serviceAccount() != null) {
      predictor.put("serviceAccountName", spec.serviceAccount());
    }
    if (spec.canaryTrafficPercent() != null) {
      predictor.put("canaryTrafficPercent", spec.canaryTrafficPercent());
    }
    return predictor;
  }

  private static String text(Quantity q) {
    return q.toString();
  }

  /** The manifest as YAML, what {@code --dry-run} prints. */
  public static String yaml(GenericKubernetesResource resource) {
    try {
      return YAML.writeValueAsString(resource);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a generic resource of maps and strings always serialises", e);
    }
  }
}
