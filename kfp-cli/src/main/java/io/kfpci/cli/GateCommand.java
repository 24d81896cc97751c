package io.kfpci.cli;

import io.kfpci.files.AtomicFiles;
import io.kfpci.gate.Baseline;
import io.kfpci.gate.GateException;
import io.kfpci.gate.GateReport;
import io.kfpci.gate.GateReportWriters;
import io.kfpci.gate.GateRule;
import io.kfpci.gate.GateRules;
import io.kfpci.gate.MetricSource;
import io.kfpci.gate.QualityGate;
import io.kfpci.gate.RuleSeverity;
import io.kfpci.report.RunHistory;
import io.kfpci.report.RunReportPage;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kfpci gate}: quality-gate rules over a run's metrics (docs/gates.md). */
@Command(name = "gate",
    description = {"Check a run's metrics against rules such as 'test_accuracy >= 0.85' or "
        + "'test_f1 > baseline - 0.01'.",
        "Exit code: 0 every rule held, 1 a fail rule did not hold (or could not be checked), "
            + "2 only warn rules did not hold (Jenkins: UNSTABLE)."})
final class GateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "SUMMARY.json", description = "The run summary (docs/run-summary.md) or a metrics JSON file.")
  Path source;

  @Option(names = "--rule", paramLabel = "RULE",
      description = "A rule that fails the gate when it does not hold, e.g. 'test_accuracy >= 0.85'. Repeatable.")
  List<String> failRules = new ArrayList<>();

  @Option(names = "--warn", paramLabel = "RULE",
      description = "A rule that only makes the gate UNSTABLE when it does not hold. Repeatable.")
  List<String> warnRules = new ArrayList<>();

  @Option(names = "--rules", paramLabel = "FILE", description = "A YAML rules file (docs/gates.md); its rules come first.")
  Path rulesFile;

  @Option(names = "--baseline", paramLabel = "FILE|DIR",
      description = "What 'baseline' means: a run summary or metrics file, or a directory of earlier run summaries "
          + "(the latest SUCCEEDED run of the same pipeline is taken).")
  Path baseline;

  @Option(names = "--junit", paramLabel = "OUT.xml", description = "Also write JUnit XML, one test case per rule.")
  Path junit;

  @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
      description = "text (a table, the default) or json.")
  String output;

  @Option(names = "--no-update-summary",
      description = "Do not write the verdicts into the run summary (and its report.html).")
  boolean noUpdateSummary;

  @Override
  public Integer call() throws Exception {
    if (!output.equals("text") && !output.equals("json")) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--output must be text or json, not '" + output + "'");
    }
    List<GateRule> rules = new ArrayList<>();
    if (rulesFile != null) {
      rules.addAll(GateRules.load(rulesFile));
    }
    for (int i = 0; i < failRules.size(); i++) {
      rules.add(GateRules.parse(failRules.get(i), RuleSeverity.FAIL, "--rule " + (i + 1)));
    }
    for (int i = 0; i < warnRules.size(); i++) {
      rules.add(GateRules.parse(warnRules.get(i), RuleSeverity.WARN, "--warn " + (i + 1)));
    }
    if (rules.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "no rules: give --rule 'METRIC OP THRESHOLD' (e.g. --rule 'test_accuracy >= 0.85'), --warn, or --rules FILE");
    }
    MetricSource metrics = MetricSource.read(source);
    RunSummary summary = metrics.summary();
    Optional<Baseline> found = Optional.empty();
    if (baseline != null) {
      found = Baseline.find(baseline, summary == null ? null : summary.pipelineName(),
          summary == null ? null : summary.runId());
    }
    GateReport report = QualityGate.evaluate(rules, source.toString(), metrics.metrics(), found.orElse(null));

    PrintWriter out = spec.commandLine().getOut();
    out.print(output.equals("json") ? GateReportWriters.json(report) : GateReportWriters.table(report));
    if (junit != null) {
      write(junit, GateReportWriters.junit(report, "kfpci gate " + (summary == null ? source.getFileName() : summary.pipelineName())));
    }
    if (summary != null && !noUpdateSummary) {
      RunSummary gated = summary.withGates(report.toGateResults());
      write(source, RunSummaryJson.toJson(gated));
      Path page = source.toAbsolutePath().resolveSibling(RunReportPage.FILE_NAME);
      if (Files.isRegularFile(page)) {
        RunReportPage.write(gated, history(gated), page);
      }
      if (output.equals("text")) {
        out.println("verdicts written to " + source + (Files.isRegularFile(page) ? " and " + page : ""));
      }
    }
    out.flush();
    return report.outcome().exitCode();
  }

  /** The trend charts keep their history: the baseline directory, or the runs beside a local run. */
  private List<RunSummary> history(RunSummary summary) throws GateException {
    Path dir = baseline != null && Files.isDirectory(baseline) ? baseline
        : "local".equals(summary.location().kind()) ? source.toAbsolutePath().getParent().getParent() : null;
    if (dir == null || !Files.isDirectory(dir)) {
      return List.of();
    }
    try {
      return RunHistory.load(dir, summary.pipelineName(), summary.runId()).runs();
    } catch (io.kfpci.KfpException e) {
      throw new GateException(e.getMessage(), e);
    }
  }

  private static void write(Path file, String text) throws GateException {
    try {
      AtomicFiles.write(file, text);
    } catch (IOException e) {
      throw new GateException("cannot write " + file + ": " + e, e);
    }
  }
}
