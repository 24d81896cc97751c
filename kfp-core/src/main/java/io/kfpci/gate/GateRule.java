package io.kfpci.gate;

import java.util.Objects;

/**
 * One quality-gate rule, such as {@code test_accuracy >= 0.85} or
 * {@code evaluate/metrics/test_f1 > baseline - 0.01}: a metric, a comparison and a threshold.
 *
 * @param text the rule as written
 * @param metric the metric reference: a short name ({@code test_accuracy}), or
 *     {@code task/output/name}, or {@code task/name}
 * @param comparison how the measured value is compared with the threshold
 * @param threshold a number or arithmetic over numbers and {@code baseline}
 * @param severity what a rule that does not hold does to the build
 * @param origin where the rule came from, for messages: {@code --rule 2}, {@code gates.yaml:7}
 */
public record GateRule(String text, String metric, Comparison comparison, Threshold threshold,
    RuleSeverity severity, String origin) {
  public GateRule {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(comparison, "comparison");
    Objects.requireNonNull(threshold, "threshold");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(origin, "origin");
  }
}
