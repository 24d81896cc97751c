package io.kfpci.report.internal;

import io.kfpci.report.GateResult;
import io.kfpci.report.RuntimeState;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the gate verdicts that concern a metric. A gate names its metric either plainly
 * ({@code test_accuracy}) or qualified by task and output ({@code evaluate.test_accuracy},
 * {@code evaluate.metrics.test_accuracy}, or with slashes); any of these matches.
 */
public final class GateIndex {
  private final List<GateResult> gates;

  private GateIndex(List<GateResult> gates) {
    this.gates = gates;
  }

  public static GateIndex of(List<GateResult> gates) {
    return new GateIndex(List.copyOf(gates));
  }

  public boolean isEmpty() {
    return gates.isEmpty();
  }

  /** The verdict of every gate over this metric, or null when no gate reads it. */
  public Verdict verdict(String taskId, String output, String name) {
    List<GateResult> matching = new ArrayList<>();
    for (GateResult gate : gates) {
      if (matches(gate.metric(), taskId, output, name)) {
        matching.add(gate);
      }
    }
    return matching.isEmpty() ? null : new Verdict(List.copyOf(matching));
  }

  static boolean matches(String metric, String taskId, String output, String name) {
    return metric.equals(name)
        || metric.equals(taskId + "." + name) || metric.equals(taskId + "/" + name)
        || metric.equals(taskId + "." + output + "." + name) || metric.equals(taskId + "/" + output + "/" + name);
  }

  /** The gates over one metric; it passes when all of them held. */
  public record Verdict(List<GateResult> gates) {
    public boolean passed() {
      return gates.stream().allMatch(GateResult::passed);
    }

    /** Badges like "✓ passed: test_accuracy >= 0.8", one per gate. */
    public void badge(StringBuilder out) {
      for (GateResult gate : gates) {
        GateIndex.badge(gate, out);
      }
    }
  }

  /** A pass/fail badge for one gate, with the expression as text (not colour alone). */
  static void badge(GateResult gate, StringBuilder out) {
    // The verdict word (warned, no-baseline, ...) says what the colour alone cannot.
    RuntimeState look = gate.passed() ? RuntimeState.SUCCEEDED : RuntimeState.FAILED;
    String word = gate.verdictWord();
    out.append("<span class=\"badge gate ").append(States.css(look)).append("\" data-gate=\"");
    Html.append(out, word).append("\" title=\"");
    Html.append(out, Html.shorten(gate.message(), 500)).append("\">");
    Svg.inlineIcon(out, look, false);
    Html.append(out, word).append(": ");
    Html.append(out, Html.shorten(gate.expression(), 200)).append("</span>");
  }
}
