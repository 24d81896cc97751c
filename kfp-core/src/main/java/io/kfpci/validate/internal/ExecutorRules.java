package io.kfpci.validate.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kfpci.ir.FieldPath;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.Placeholder;
import io.kfpci.ir.Placeholders;
import io.kfpci.ir.proto.ComponentSpec;
import io.kfpci.ir.proto.PipelineDeploymentConfig.ExecutorSpec;
import io.kfpci.ir.proto.PipelineDeploymentConfig.PipelineContainerSpec;
import io.kfpci.ir.proto.PipelineDeploymentConfig.PipelineContainerSpec.ResourceSpec;
import io.kfpci.problem.Rule;
import io.kfpci.problem.Suggestions;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

/** Rules over executors: container images, placeholders, resources and importers. */
public final class ExecutorRules {
  /**
   * Accelerators one task may ask for, exclusive. No node has that many; the bound keeps a count
   * from the file out of arithmetic that could overflow (Kubernetes itself takes an int64).
   */
  static final long MAX_ACCELERATORS = 1_000_000;
  /**
   * The Kubernetes quantity grammar (apimachinery resource.Quantity), with the number and the
   * exponent bounded: "1e99999999" would otherwise be expanded to a number with 10^8 digits.
   */
  private static final java.util.regex.Pattern QUANTITY = java.util.regex.Pattern.compile(
      "[+-]?(?:\\d{1,40}(?:\\.\\d{0,40})?|\\.\\d{1,40})(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\\d{1,3})?");

  private ExecutorRules() {}

  public static void check(PipelineDocument doc, ProblemSink sink) {
    for (Map.Entry<String, ComponentSpec> entry : doc.spec().getComponentsMap().entrySet()) {
      ComponentSpec component = entry.getValue();
      if (!component.hasExecutorLabel()) {
        continue;
      }
      String label = component.getExecutorLabel();
      ExecutorSpec executor = doc.deployment().getExecutorsMap().get(label);
      if (executor == null) {
        continue; // reported by DocumentRules
      }
      FieldPath at = FieldPath.of("deploymentSpec", "executors", label);
      switch (executor.getSpecCase()) {
        case CONTAINER -> checkContainer(entry.getKey(), component, executor.getContainer(), at.key("container"), sink);
        case IMPORTER -> checkImporter(entry.getKey(), component, executor, at.key("importer"), sink);
        default -> { }
      }
    }
  }

  private static void checkContainer(String componentName, ComponentSpec component,
      PipelineContainerSpec container, FieldPath at, ProblemSink sink) {
    if (container.getImage().isBlank()) {
      sink.error(Rule.CONTAINER_IMAGE, at.key("image"), "the container of component '" + componentName
          + "' has no image", "set base_image on the component, or an image on the container component");
    }
    for (int i = 0; i < container.getCommandCount(); i++) {
      checkArgument(componentName, component, container.getCommand(i), at.key("command").index(i), sink);
    }
    for (int i = 0; i < container.getArgsCount(); i++) {
      checkArgument(componentName, component, container.getArgs(i), at.key("args").index(i), sink);
    }
    if (container.hasResources()) {
      checkResources(componentName, container.getResources(), at.key("resources"), sink);
    }
  }

  private static void checkArgument(String componentName, ComponentSpec component, String arg,
      FieldPath at, ProblemSink sink) {
    var structural = Placeholders.structural(arg);
    if (structural.isPresent()) {
      checkStructural(componentName, component, structural.get(), at, sink);
      return;
    }
    checkPlaceholders(componentName, component, arg, at, sink);
  }

  /** Concat and IfPresent nest other placeholders; IfPresent must name a declared input. */
  private static void checkStructural(String componentName, ComponentSpec component, JsonNode node,
      FieldPath at, ProblemSink sink) {
    if (node.isTextual()) {
      checkPlaceholders(componentName, component, node.asText(), at, sink);
      return;
    }
    if (node.isArray()) {
      node.forEach(child -> checkStructural(componentName, component, child, at, sink));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    if (node.has("Concat")) {
      checkStructural(componentName, component, node.get("Concat"), at, sink);
    }
    if (node.has("IfPresent")) {
      JsonNode ifPresent = node.get("IfPresent");
      String input = ifPresent.path("InputName").asText("");
      var inputs = component.getInputDefinitions();
      if (input.isEmpty()) {
        sink.error(Rule.PLACEHOLDER, at, "an IfPresent placeholder of component '" + componentName
            + "' has no InputName", "");
      } else if (!inputs.getParametersMap().containsKey(input) && !inputs.getArtifactsMap().containsKey(input)) {
        sink.error(Rule.PLACEHOLDER, at, "IfPresent of component '" + componentName + "' tests input '"
            + input + "', which the component does not declare", Suggestions.didYouMean(input,
            union(inputs.getParametersMap().keySet(), inputs.getArtifactsMap().keySet())));
      }
      checkStructural(componentName, component, ifPresent.path("Then"), at, sink);
      checkStructural(componentName, component, ifPresent.path("Else"), at, sink);
    }
  }

  private static void checkPlaceholders(String componentName, ComponentSpec component, String value,
      FieldPath at, ProblemSink sink) {
    Placeholders.Scan scan = Placeholders.scan(value);
    for (Placeholders.Malformed bad : scan.malformed()) {
      sink.error(Rule.PLACEHOLDER, at, "malformed placeholder '" + bad.text() + "' in component '"
          + componentName + "': " + bad.reason(), "placeholders look like {{$.inputs.parameters['name']}}");
    }
    var inputs = component.getInputDefinitions();
    var outputs = component.getOutputDefinitions();
    for (Placeholder p : scan.placeholders()) {
      if (p instanceof Placeholder.InputParameter in) {
        requireName(componentName, "input parameter", in.name(), inputs.getParametersMap().keySet(), p, at, sink);
      } else if (p instanceof Placeholder.InputArtifact in) {
        requireName(componentName, "input artifact", in.name(), inputs.getArtifactsMap().keySet(), p, at, sink);
      } else if (p instanceof Placeholder.OutputParameterFile out) {
        requireName(componentName, "output parameter", out.name(), outputs.getParametersMap().keySet(), p, at, sink);
      } else if (p instanceof Placeholder.OutputArtifact out) {
        requireName(componentName, "output artifact", out.name(), outputs.getArtifactsMap().keySet(), p, at, sink);
      }
    }
  }

  private static void requireName(String componentName, String kind, String name, Set<String> declared,
      Placeholder p, FieldPath at, ProblemSink sink) {
    if (!declared.contains(name)) {
      sink.error(Rule.PLACEHOLDER, at, "placeholder " + p.text() + " of component '" + componentName
          + "' names " + kind + " '" + name + "', which the component does not declare",
          Suggestions.didYouMean(name, declared));
    }
  }

  private static void checkResources(String componentName, ResourceSpec resources, FieldPath at, ProblemSink sink) {
    quantity(componentName, "cpu limit", resources.getResourceCpuLimit(), at.key("resourceCpuLimit"), sink);
    quantity(componentName, "memory limit", resources.getResourceMemoryLimit(), at.key("resourceMemoryLimit"), sink);
    quantity(componentName, "cpu request", resources.getResourceCpuRequest(), at.key("resourceCpuRequest"), sink);
    quantity(componentName, "memory request", resources.getResourceMemoryRequest(),
        at.key("resourceMemoryRequest"), sink);
    positive(componentName, "cpu limit", resources.getCpuLimit(), at.key("cpuLimit"), sink);
    positive(componentName, "memory limit", resources.getMemoryLimit(), at.key("memoryLimit"), sink);
    positive(componentName, "cpu request", resources.getCpuRequest(), at.key("cpuRequest"), sink);
    positive(componentName, "memory request", resources.getMemoryRequest(), at.key("memoryRequest"), sink);
    if (resources.hasAccelerator()) {
      var accelerator = resources.getAccelerator();
      String count = accelerator.getResourceCount();
      FieldPath countAt = at.key("accelerator").key("resourceCount");
      if (!count.isEmpty() && !count.contains("{{")) {
        if (!count.matches("\\d+") || count.matches("0+")) {
          sink.error(Rule.RESOURCES, countAt, "accelerator count '" + count + "' of component '"
              + componentName + "' is not a positive whole number", "for example set_accelerator_limit(1)");
        } else if (count.replaceFirst("^0+", "").length() > 18 || Long.parseLong(count) >= MAX_ACCELERATORS) {
          sink.error(Rule.RESOURCES, countAt, "accelerator count '" + abbreviate(count) + "' of component '"
              + componentName + "' is too large: it must be below " + MAX_ACCELERATORS,
              "for example set_accelerator_limit(1)");
        }
      }
      if (accelerator.getCount() < 0) {
        sink.error(Rule.RESOURCES, at.key("accelerator").key("count"), "accelerator count of component '"
            + componentName + "' is negative", "");
      } else if (accelerator.getCount() >= MAX_ACCELERATORS) {
        sink.error(Rule.RESOURCES, at.key("accelerator").key("count"), "accelerator count "
            + accelerator.getCount() + " of component '" + componentName + "' is too large: it must be below "
            + MAX_ACCELERATORS, "");
      }
      boolean hasCount = !count.isEmpty() || accelerator.getCount() > 0;
      boolean hasType = !accelerator.getResourceType().isEmpty() || !accelerator.getType().isEmpty();
      if (hasCount && !hasType) {
        sink.error(Rule.RESOURCES, at.key("accelerator"), "component '" + componentName
            + "' asks for accelerators without naming their type", "call set_accelerator_type('nvidia.com/gpu')");
      }
    }
  }

  private static void quantity(String componentName, String what, String value, FieldPath at, ProblemSink sink) {
    if (value.isEmpty() || value.contains("{{")) {
      return; // unset, or resolved from a pipeline input at run time
    }
    String reason = null;
    if (!QUANTITY.matcher(value).matches()) {
      sink.error(Rule.RESOURCES, at, what + " '" + abbreviate(value) + "' of component '" + componentName
          + "' is not a Kubernetes quantity", "use a quantity such as 500m or 2 for cpu, 512Mi or 4G for memory");
      return;
    }
    try {
      BigDecimal amount = Quantity.getAmountInBytes(new Quantity(value));
      if (amount.signum() <= 0) {
        reason = "is not positive";
      }
    } catch (IllegalArgumentException | ArithmeticException e) {
      reason = "is not a Kubernetes quantity";
    }
    if (reason != null) {
      sink.error(Rule.RESOURCES, at, what + " '" + value + "' of component '" + componentName + "' " + reason,
          "use a quantity such as 500m or 2 for cpu, 512Mi or 4G for memory");
    }
  }

  private static void positive(String componentName, String what, double value, FieldPath at, ProblemSink sink) {
    if (value < 0) {
      sink.error(Rule.RESOURCES, at, what + " " + value + " of component '" + componentName + "' is negative", "");
    } else if (!Double.isFinite(value)) {
      sink.error(Rule.RESOURCES, at, what + " " + value + " of component '" + componentName
          + "' is not a finite number", "");
    }
  }

  private static void checkImporter(String componentName, ComponentSpec component, ExecutorSpec executor,
      FieldPath at, ProblemSink sink) {
    var uri = executor.getImporter().getArtifactUri();
    switch (uri.getValueCase()) {
      case CONSTANT -> {
        if (!uri.getConstant().hasStringValue() || uri.getConstant().getStringValue().isBlank()) {
          sink.error(Rule.IMPORTER, at.key("artifactUri").key("constant"), "importer '" + componentName
              + "' has an empty artifact URI", "pass artifact_uri to dsl.importer");
        }
      }
      case RUNTIME_PARAMETER -> {
        String input = uri.getRuntimeParameter();
        if (!component.getInputDefinitions().getParametersMap().containsKey(input)) {
          sink.error(Rule.IMPORTER, at.key("artifactUri").key("runtimeParameter"), "importer '" + componentName
                  + "' takes its URI from input '" + input + "', which the component does not declare",
              Suggestions.didYouMean(input, component.getInputDefinitions().getParametersMap().keySet()));
        }
      }
      case CONSTANT_VALUE -> {
        if (uri.getConstantValue().getStringValue().isBlank()) {
          sink.error(Rule.IMPORTER, at.key("artifactUri"), "importer '" + componentName
              + "' has an empty artifact URI", "");
        }
      }
      case VALUE_NOT_SET -> sink.error(Rule.IMPORTER, at.key("artifactUri"), "importer '" + componentName
          + "' has no artifact URI", "pass artifact_uri to dsl.importer, as a constant or a pipeline input");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new java.util.TreeSet<>(a);
    all.addAll(b);
    return all;
  }
}
