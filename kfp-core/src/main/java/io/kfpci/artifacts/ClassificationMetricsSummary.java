package io.kfpci.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A {@code system.ClassificationMetrics} (or {@code system.SlicedClassificationMetrics}) output,
 * kept whole: {@code value} is the artifact's metadata as the SDK wrote it, e.g.
 * {@code {"confusionMatrix": {...}, "confidenceMetrics": [...]}}.
 */
public record ClassificationMetricsSummary(String taskId, String output, String type, JsonNode value) {
  public ClassificationMetricsSummary {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
  }
}
