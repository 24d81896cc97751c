package io.kfpci.report;

import java.util.Objects;

/**
 * One scalar metric logged by a task ({@code metrics.log_metric(name, value)} on a system.Metrics
 * output). {@code output} is the Metrics artifact's output key, e.g. {@code metrics}.
 */
public record MetricSummary(String taskId, String output, String name, double value) {
  public MetricSummary {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(name, "name");
  }
}
