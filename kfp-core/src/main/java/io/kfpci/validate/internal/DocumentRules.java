package io.kfpci.validate.internal;

import io.kfpci.ir.FieldPath;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.proto.ComponentSpec;
import io.kfpci.ir.proto.PipelineSpec;
import io.kfpci.problem.Rule;
import io.kfpci.problem.Suggestions;
import java.util.Map;
import java.util.regex.Pattern;

/** Whole-document rules: schema version, pipeline name, root, component and executor references. */
public final class DocumentRules {
  /** The only IR schema version the KFP API server accepts (template/v2_template.go). */
  static final String SCHEMA_VERSION = "2.1.0";
  /** Kubernetes DNS-1123 subdomain, as the API server checks pipelineInfo.name. */
  static final Pattern PIPELINE_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private DocumentRules() {}

  public static void check(PipelineDocument doc, ProblemSink sink) {
    PipelineSpec spec = doc.spec();
    FieldPath version = FieldPath.of("schemaVersion");
    if (!SCHEMA_VERSION.equals(spec.getSchemaVersion())) {
      sink.error(Rule.SCHEMA_VERSION, version,
          spec.getSchemaVersion().isEmpty() ? "schemaVersion is missing"
              : "schemaVersion is '" + spec.getSchemaVersion() + "'; KFP accepts only '" + SCHEMA_VERSION + "'",
          "recompile the pipeline with kfp 2.x, which writes schemaVersion: " + SCHEMA_VERSION);
    }
    String name = spec.getPipelineInfo().getName();
    FieldPath namePath = FieldPath.of("pipelineInfo", "name");
    if (name.isEmpty()) {
      sink.error(Rule.PIPELINE_NAME, namePath, "pipelineInfo.name is empty",
          "give the pipeline a name: @dsl.pipeline(name='my-pipeline')");
    } else if (!PIPELINE_NAME.matcher(name).matches()) {
      sink.error(Rule.PIPELINE_NAME, namePath, "pipeline name '" + name
              + "' is not a valid KFP name (lower-case letters, digits, '-' and '.', starting and ending"
              + " with a letter or digit)",
          "for example '" + name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-")
              .replaceAll("^-+|-+$", "") + "'");
    }
    if (!spec.hasRoot()) {
      sink.error(Rule.ROOT_PRESENT, FieldPath.of("root"), "the pipeline has no root",
          "the root component holds the pipeline's DAG; recompile the pipeline");
    } else if (!spec.getRoot().hasDag()) {
      sink.error(Rule.ROOT_PRESENT, FieldPath.of("root"), "root has no dag", "");
    }
    for (Map.Entry<String, ComponentSpec> entry : spec.getComponentsMap().entrySet()) {
      FieldPath at = FieldPath.of("components", entry.getKey());
      ComponentSpec component = entry.getValue();
      switch (component.getImplementationCase()) {
        case EXECUTOR_LABEL -> {
          String label = component.getExecutorLabel();
          if (!doc.deployment().getExecutorsMap().containsKey(label)) {
            sink.error(Rule.EXECUTOR_LABEL, at.key("executorLabel"), "executor '" + label
                    + "' of component '" + entry.getKey() + "' is not in deploymentSpec.executors",
                Suggestions.didYouMean(label, doc.deployment().getExecutorsMap().keySet()));
          }
        }
        case DAG -> { }
        case IMPLEMENTATION_NOT_SET -> sink.error(Rule.EXECUTOR_LABEL, at,
            "component '" + entry.getKey() + "' has neither a dag nor an executorLabel", "");
      }
    }
    doc.kubernetesExecutors().keySet().forEach(label -> {
      if (!doc.deployment().getExecutorsMap().containsKey(label)) {
        sink.error(Rule.PLATFORM_EXECUTOR, FieldPath.of("platformSpec", "platforms", "kubernetes",
                "deploymentSpec", "executors", label),
            "the platform spec configures executor '" + label + "', which deploymentSpec does not define",
            Suggestions.didYouMean(label, doc.deployment().getExecutorsMap().keySet()));
      }
    });
  }
}
