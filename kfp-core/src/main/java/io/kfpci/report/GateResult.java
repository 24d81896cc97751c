package io.kfpci.report;

import java.util.Objects;

/**
 * The verdict of one gate over one metric, e.g. {@code test_accuracy >= 0.8}.
 *
 * @param metric the metric the gate read: {@code task/output/name} once resolved, or the name as
 *     written when it could not be resolved
 * @param expression the gate as written
 * @param value the metric's value, or null when the metric was missing
 * @param passed whether the gate held (a rule without a baseline to compare with counts as held)
 * @param message why it did or did not hold, in words
 * @param severity {@code fail} or {@code warn}; null in summaries written before gates had severities
 * @param verdict {@code passed}, {@code failed}, {@code warned}, {@code no-baseline} or
 *     {@code error} (docs/gates.md); null in older summaries, where {@code passed} says it all
 * @param threshold the threshold the value was compared with, when it could be computed
 * @param baseline the baseline value the threshold used, when the rule reads one
 */
public record GateResult(String metric, String expression, Double value, boolean passed, String message,
    String severity, String verdict, Double threshold, Double baseline) {
  public GateResult {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(expression, "expression");
    message = message == null ? "" : message;
  }

  /** A verdict as older producers wrote it: held or not, without severity or threshold. */
  public GateResult(String metric, String expression, Double value, boolean passed, String message) {
    this(metric, expression, value, passed, message, null, null, null, null);
  }

  /** The verdict word to show: {@link #verdict()}, or passed/failed for older summaries. */
  public String verdictWord() {
    return verdict != null ? verdict : passed ? "passed" : "failed";
  }
}
