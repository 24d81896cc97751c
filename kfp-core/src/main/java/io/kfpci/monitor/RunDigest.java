package io.kfpci.monitor;

import io.kfpci.report.RunSummary;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A run in one paragraph, for a build page: state, duration, what the tasks did and the key
 * metrics, e.g. "ml-training-pipeline run jenkins-7-1a2b3c4d SUCCEEDED in 1 min 12 s. Tasks: 4
 * succeeded (1 from cache), 1 skipped. Metrics: test_accuracy 0.9333, test_f1 0.9302." Immutable.
 *
 * @param duration from start (or creation) to finish, or null while unknown
 * @param taskCounts executed steps (container and importer tasks) per final state
 * @param failedTasks ids of the steps that failed
 * @param keyMetrics at most {@link #MAX_METRICS} metrics, named as in {@link RunOutputs#metrics}
 * @param error the first line of the run's error, "" when none
 */
public record RunDigest(String pipelineName, String runId, RuntimeState state, Duration duration,
    Map<RuntimeState, Integer> taskCounts, int cachedTasks, List<String> failedTasks,
    Map<String, Double> keyMetrics, String error) {

  public static final int MAX_METRICS = 6;

  public RunDigest {
    Objects.requireNonNull(pipelineName, "pipelineName");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(state, "state");
    taskCounts = java.util.Collections.unmodifiableMap(new EnumMap<>(taskCounts.isEmpty()
        ? Map.of(RuntimeState.SUCCEEDED, 0) : taskCounts));
    failedTasks = List.copyOf(failedTasks);
    keyMetrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keyMetrics));
    error = error == null ? "" : error;
  }

  public static RunDigest of(RunSummary summary) {
    Instant from = summary.startedAt() != null ? summary.startedAt() : summary.createdAt();
    Duration duration = summary.finishedAt() == null ? null : Duration.between(from, summary.finishedAt());
    Map<RuntimeState, Integer> counts = new EnumMap<>(RuntimeState.class);
    int cached = 0;
    List<String> failed = new ArrayList<>();
    for (TaskSummary task : summary.tasks()) {
      if (!task.kind().equals("container") && !task.kind().equals("importer")) {
        continue;
      }
      counts.merge(task.state(), 1, Integer::sum);
      cached += task.cached() ? 1 : 0;
      if (task.state() == RuntimeState.FAILED) {
        failed.add(task.id());
      }
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    RunOutputs.metrics(summary).entrySet().stream().limit(MAX_METRICS)
        .forEach(e -> metrics.put(e.getKey(), e.getValue()));
    String error = summary.error() == null ? "" : summary.error().strip().lines().findFirst().orElse("");
    return new RunDigest(summary.pipelineName(), summary.runId(), summary.state(), duration, counts, cached,
        failed, metrics, error);
  }

  /** The paragraph. */
  public String text() {
    StringBuilder out = new StringBuilder();
    out.append(pipelineName).append(" run ").append(runId).append(' ').append(state.name());
    if (duration != null) {
      out.append(state.isTerminal() && !state.isSuccess() ? " after " : " in ").append(formatDuration(duration));
    }
    if (!error.isEmpty()) {
      out.append(": ").append(error);
    }
    out.append('.');
    List<String> parts = new ArrayList<>();
    for (Map.Entry<RuntimeState, Integer> entry : taskCounts.entrySet()) {
      String part = entry.getValue() + " " + entry.getKey().name().toLowerCase(java.util.Locale.ROOT);
      if (entry.getKey() == RuntimeState.SUCCEEDED && cachedTasks > 0) {
        part += " (" + cachedTasks + " from cache)";
      }
      if (entry.getKey() == RuntimeState.FAILED && !failedTasks.isEmpty()) {
        part += " (" + String.join(", ", failedTasks) + ")";
      }
      parts.add(part);
    }
    out.append(" Tasks: ").append(String.join(", ", parts)).append('.');
    if (!keyMetrics.isEmpty()) {
      List<String> metrics = new ArrayList<>();
      keyMetrics.forEach((name, value) -> metrics.add(name + " " + formatNumber(value)));
      out.append(" Metrics: ").append(String.join(", ", metrics)).append('.');
    }
    return out.toString();
  }

  /** {@code 45 s}, {@code 1 min 12 s}, {@code 2 h 3 min}. */
  public static String formatDuration(Duration duration) {
    long seconds = Math.max(0, Math.round(duration.toMillis() / 1000.0));
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
    }
    long minutes = seconds / 60;
    return minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
  }

  /** Four significant digits without trailing zeros: 0.9333, 12, 1235, 0.0001235. */
  public static String formatNumber(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return String.valueOf(value);
    }
    if (value == 0) {
      return "0";
    }
    return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }
}
