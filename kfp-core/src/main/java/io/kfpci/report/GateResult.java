package io.kfpci.report;

import java.util.Objects;

/**
 * The verdict of one gate over one metric, e.g. {@code test_accuracy >= 0.8}.
 *
 * @param metric the metric name the gate reads
 * @param expression the gate as written
 * @param value the metric's value, or null when the metric was missing
 * @param passed whether the gate held
 */
public record GateResult(String metric, String expression, Double value, boolean passed, String message) {
  public GateResult {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(expression, "expression");
    message = message == null ? "" : message;
  }
}
