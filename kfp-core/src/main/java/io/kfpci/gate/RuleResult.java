package io.kfpci.gate;

import io.kfpci.report.GateResult;
import java.util.Objects;

/**
 * The verdict of one rule over one run.
 *
 * @param rule the rule
 * @param verdict what it came to
 * @param metricId the metric it read ({@code task/output/name}), or the reference as written when
 *     it did not resolve
 * @param measured the metric's value, or null when it was missing
 * @param threshold the computed threshold, or null when it could not be computed
 * @param baseline the baseline value used, or null
 * @param message the verdict in words, e.g. {@code 0.8123 is not >= 0.85}
 */
public record RuleResult(GateRule rule, Verdict verdict, String metricId, Double measured, Double threshold,
    Double baseline, String message) {
  public RuleResult {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(metricId, "metricId");
    Objects.requireNonNull(message, "message");
  }

  /** As the run summary stores it (docs/run-summary.md, {@code gates}). */
  public GateResult toGateResult() {
    boolean held = verdict == Verdict.PASSED || verdict == Verdict.NO_BASELINE;
    return new GateResult(metricId, rule.text(), measured, held, message, rule.severity().word(), verdict.word(),
        threshold, baseline);
  }
}
