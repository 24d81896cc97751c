package io.jenkins.plugins.kfp.internal;

import io.kfpci.KfpException;
import io.kfpci.files.AtomicFiles;
import io.kfpci.gate.Baseline;
import io.kfpci.gate.GateReport;
import io.kfpci.gate.GateRule;
import io.kfpci.gate.MetricSource;
import io.kfpci.gate.QualityGate;
import io.kfpci.gate.RuleResult;
import io.kfpci.gate.Verdict;
import io.kfpci.report.RunReportPage;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The quality gate over a run stored in a build ({@code <build dir>/kfp/<run id>/summary.json}),
 * Jenkins-free so the default build tests it: the core evaluates the rules (as {@code kfpci gate}
 * does), the verdicts go into the stored summary and its report page, and the step gets its result
 * map. All on the controller: the stored summary is the controller's copy, already checked when the
 * run was recorded.
 */
public final class StoredGate {
  private StoredGate() {}

  /** A gate evaluated and written back. */
  public record Evaluated(GateReport report, RunSummary gated) {}

  /**
   * @param runDirectory the run's storage directory in the build ({@link RunStorage#directory})
   * @param baselineDirectory the {@code kfp} directory of the job's last successful build, or null
   * @param history earlier summaries of the pipeline, for the report page's trends
   */
  public static Evaluated evaluate(Path runDirectory, List<GateRule> rules, Path baselineDirectory,
      List<RunSummary> history) throws KfpException, IOException {
    Path file = runDirectory.resolve(RunStorage.SUMMARY_FILE);
    MetricSource source = MetricSource.read(file);
    RunSummary summary = source.summary();
    if (summary == null) {
      throw new KfpException(file + " is not a run summary; the run's stored files were changed");
    }
    Optional<Baseline> baseline = baselineDirectory == null || !Files.isDirectory(baselineDirectory) ? Optional.empty()
        : Baseline.find(baselineDirectory, summary.pipelineName(), summary.runId());
    GateReport report = QualityGate.evaluate(rules, "run " + summary.runId(), source.metrics(), baseline.orElse(null));
    RunSummary gated = summary.withGates(report.toGateResults());
    AtomicFiles.write(file, RunSummaryJson.toJson(gated));
    Path page = runDirectory.resolve(RunStorage.REPORT_FILE);
    if (Files.isRegularFile(page)) {
      RunReportPage.write(gated, history, page);
    }
    return new Evaluated(report, gated);
  }

  /**
   * What {@code kfpGate} returns: {@code [outcome: 'PASSED', baseline: 'run ...' or null, rules:
   * [[rule:, severity:, verdict:, metric:, value:, threshold:, baseline:, message:], ...]]}.
   */
  public static Map<String, Object> result(GateReport report) {
    List<Map<String, Object>> rules = new ArrayList<>();
    for (RuleResult r : report.results()) {
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("rule", r.rule().text());
      rule.put("severity", r.rule().severity().word());
      rule.put("verdict", r.verdict().word());
      rule.put("metric", r.metricId());
      rule.put("value", r.measured());
      rule.put("threshold", r.threshold());
      rule.put("baseline", r.baseline());
      rule.put("message", r.message());
      rules.add(rule);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("outcome", report.outcome().name());
    out.put("baseline", report.baseline() == null ? null : report.baseline().description());
    out.put("rules", rules);
    return out;
  }

  /** One line per rule that did not hold, for the step's failure message: {@code rule (origin): message}. */
  public static List<String> problems(GateReport report) {
    return report.results().stream().filter(r -> r.verdict() != Verdict.PASSED && r.verdict() != Verdict.NO_BASELINE)
        .map(r -> r.rule().text() + " (" + r.rule().origin() + "): " + r.verdict().word() + ", " + r.message())
        .toList();
  }
}
