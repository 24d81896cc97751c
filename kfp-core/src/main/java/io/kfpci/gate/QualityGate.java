package io.kfpci.gate;

import io.kfpci.report.MetricSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Evaluates rules over a run's metrics. Pure: no I/O, same input, same report. */
public final class QualityGate {
  private QualityGate() {}

  /**
   * @param source what is gated, for the report
   * @param metrics the run's metrics
   * @param baseline the last successful run's metrics, or null when there is none
   */
  public static GateReport evaluate(List<GateRule> rules, String source, List<MetricSummary> metrics, Baseline baseline) {
    MetricIndex index = MetricIndex.of(metrics);
    MetricIndex baselineIndex = baseline == null ? null : MetricIndex.of(baseline.metrics());
    List<RuleResult> results = new ArrayList<>();
    for (GateRule rule : rules) {
      results.add(evaluate(rule, index, baseline, baselineIndex));
    }
    return new GateReport(source, baseline, results);
  }

  private static RuleResult evaluate(GateRule rule, MetricIndex index, Baseline baseline, MetricIndex baselineIndex) {
    MetricIndex.Lookup lookup = index.find(rule.metric());
    if (lookup instanceof MetricIndex.Missing missing) {
      return new RuleResult(rule, Verdict.ERROR, rule.metric(), null, null, null, missing.message());
    }
    if (lookup instanceof MetricIndex.Ambiguous ambiguous) {
      return new RuleResult(rule, Verdict.ERROR, rule.metric(), null, null, null, ambiguous.message());
    }
    MetricIndex.Found found = (MetricIndex.Found) lookup;
    double measured = found.metric().value();
    Double baselineValue = null;
    if (rule.threshold().usesBaseline()) {
      if (baselineIndex == null) {
        return new RuleResult(rule, Verdict.NO_BASELINE, found.id(), measured, null, null,
            "no baseline to compare with (no earlier successful run was given or found); the rule was not checked");
      }
      // The same metric in the baseline run: by its full id first, so loop iterations and tasks
      // line up; by the rule's own reference when the ids differ (a flat metrics file).
      MetricIndex.Lookup inBaseline = baselineIndex.find(found.id());
      if (!(inBaseline instanceof MetricIndex.Found)) {
        inBaseline = baselineIndex.find(rule.metric());
      }
      if (!(inBaseline instanceof MetricIndex.Found baselineFound)) {
        return new RuleResult(rule, Verdict.NO_BASELINE, found.id(), measured, null, null,
            "the baseline (" + baseline.description() + ") has no metric " + found.id() + "; the rule was not checked");
      }
      baselineValue = baselineFound.metric().value();
    }
    double threshold = rule.threshold().evaluate(baselineValue);
    if (Double.isNaN(threshold) || Double.isInfinite(threshold)) {
      return new RuleResult(rule, Verdict.ERROR, found.id(), measured, null, baselineValue,
          "the threshold '" + rule.threshold().text() + "' comes to " + threshold + ", not a number to compare with");
    }
    boolean holds = rule.comparison().holds(measured, threshold);
    String comparison = format(measured) + (holds ? " " : " is not ") + rule.comparison().symbol() + " " + format(threshold)
        + (baselineValue == null ? "" : " (baseline " + format(baselineValue) + ")");
    Verdict verdict = holds ? Verdict.PASSED : rule.severity() == RuleSeverity.WARN ? Verdict.WARNED : Verdict.FAILED;
    return new RuleResult(rule, verdict, found.id(), measured, threshold, baselineValue, found.id() + " = " + comparison);
  }

  /** Up to 6 significant digits, no trailing zeros, no exponent for ordinary metric values. */
  public static String format(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    String s = String.format(Locale.ROOT, "%.6g", value);
    if (s.contains("e") || s.contains("E")) {
      return s;
    }
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s;
  }
}
