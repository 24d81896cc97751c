package io.kfpci.gate;

import io.kfpci.KfpException;
import io.kfpci.report.MetricSummary;
import io.kfpci.report.RunHistory;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RuntimeState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What {@code baseline} means in a rule: the metrics of the last successful run of the pipeline.
 *
 * @param description for messages and reports: the file, and the run id when known
 * @param runId the baseline run's id, or null for a plain metrics file
 * @param metrics its metrics
 */
public record Baseline(String description, String runId, List<MetricSummary> metrics) {
  public Baseline {
    metrics = List.copyOf(metrics);
  }

  /**
   * The baseline from {@code path}: a run summary or metrics file, used as given; or a directory
   * of earlier run summaries (a pipeline root such as {@code kfp-runs/<pipeline>}, or the builds
   * of a Jenkins job), where the latest SUCCEEDED run of {@code pipelineName} other than
   * {@code currentRunId} is taken. Empty when the directory holds no such run: the first build
   * has no baseline.
   */
  public static Optional<Baseline> find(Path path, String pipelineName, String currentRunId) throws GateException {
    if (Files.isDirectory(path)) {
      if (pipelineName == null) {
        throw new GateException("--baseline " + path + " is a directory of run summaries, but the gate reads a "
            + "metrics file that names no pipeline; give the baseline as a file");
      }
      RunHistory.Loaded loaded;
      try {
        loaded = RunHistory.load(path, pipelineName, currentRunId == null ? "" : currentRunId);
      } catch (KfpException e) {
        throw new GateException(e.getMessage(), e);
      }
      return loaded.runs().stream()
          .filter(r -> r.state() == RuntimeState.SUCCEEDED)
          .max(Comparator.comparing(Baseline::endedAt).thenComparing(RunSummary::runId))
          .map(r -> new Baseline("run " + r.runId() + " in " + path, r.runId(), r.metrics()));
    }
    MetricSource source = MetricSource.read(path);
    RunSummary summary = source.summary();
    return Optional.of(new Baseline(summary == null ? path.toString() : "run " + summary.runId() + " (" + path + ")",
        summary == null ? null : summary.runId(), source.metrics()));
  }

  private static Instant endedAt(RunSummary r) {
    return r.finishedAt() != null ? r.finishedAt() : r.createdAt();
  }
}
