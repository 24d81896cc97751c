package io.kfpci.monitor;

import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.MetricSummary;
import io.kfpci.report.RunSummary;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a finished run gives back to a build script: plain maps of strings and numbers, so a
 * Jenkins Pipeline can keep them across a restart. Stateless.
 */
public final class RunOutputs {
  private RunOutputs() {}

  /**
   * The result map: {@code state}, {@code runId}, {@code pipelineName}, {@code runDir},
   * {@code metrics} (see {@link #metrics}), {@code artifacts} ({@code task-id/output} to the
   * absolute local path, or the URI of a remote artifact) and {@code report} (the report page's
   * path, "" when there is none).
   */
  public static Map<String, Object> of(RunSummary summary, Path runDirectory, Path report) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("state", summary.state().name());
    out.put("runId", summary.runId());
    out.put("pipelineName", summary.pipelineName());
    out.put("runDir", runDirectory.toString());
    out.put("metrics", new LinkedHashMap<>(metrics(summary)));
    Map<String, String> artifacts = new LinkedHashMap<>();
    for (ArtifactSummary artifact : summary.artifacts()) {
      String location = artifact.path() == null ? artifact.uri()
          : runDirectory.resolve(artifact.path()).normalize().toString();
      artifacts.put(artifact.producerTaskId() + "/" + artifact.name(), location);
    }
    out.put("artifacts", artifacts);
    out.put("report", report == null ? "" : report.toString());
    return out;
  }

  /**
   * Every scalar metric by name, in task order. A name logged by one task only is used as is; a
   * name several tasks log is qualified as {@code task-id/name} so none hides another.
   */
  public static Map<String, Double> metrics(RunSummary summary) {
    List<MetricSummary> all = summary.metrics();
    Map<String, Long> counts = new LinkedHashMap<>();
    all.forEach(m -> counts.merge(m.name(), 1L, Long::sum));
    Map<String, Double> out = new LinkedHashMap<>();
    for (MetricSummary metric : all) {
      String key = counts.get(metric.name()) == 1 ? metric.name() : metric.taskId() + "/" + metric.name();
      out.put(key, metric.value());
    }
    return out;
  }
}
