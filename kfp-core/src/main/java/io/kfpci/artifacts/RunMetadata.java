package io.kfpci.artifacts;

import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.MetricSummary;
import java.util.List;
import java.util.Objects;

/**
 * What the ML Metadata store knows of one run: its task executions, the scalar metrics of its
 * {@code system.Metrics} outputs, its classification metrics, and every output artifact (remote:
 * {@code path} and {@code sha256} null, {@code size} -1 until downloaded). Lists are sorted by task
 * id, then output name, then metric name, so two reads of one run are equal. {@code pods} lists
 * every container execution (retries included) with its pod, sorted by task id then attempt.
 */
public record RunMetadata(String runId, List<TaskExecution> tasks, List<MetricSummary> metrics,
    List<ClassificationMetricsSummary> classificationMetrics, List<ArtifactSummary> artifacts, List<TaskPod> pods) {
  public RunMetadata(String runId, List<TaskExecution> tasks, List<MetricSummary> metrics,
      List<ClassificationMetricsSummary> classificationMetrics, List<ArtifactSummary> artifacts) {
    this(runId, tasks, metrics, classificationMetrics, artifacts, List.of());
  }

  public RunMetadata {
    pods = List.copyOf(pods);
    Objects.requireNonNull(runId, "runId");
    tasks = List.copyOf(tasks);
    metrics = List.copyOf(metrics);
    classificationMetrics = List.copyOf(classificationMetrics);
    artifacts = List.copyOf(artifacts);
  }
}
