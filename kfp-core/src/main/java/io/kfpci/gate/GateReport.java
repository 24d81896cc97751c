package io.kfpci.gate;

import io.kfpci.report.GateResult;
import java.util.List;

/**
 * The verdicts of all rules of a gate over one run.
 *
 * @param source what was gated (a summary or metrics file)
 * @param baseline what {@code baseline} meant, or null when no baseline was given or found
 * @param results one per rule, in rule order
 */
public record GateReport(String source, Baseline baseline, List<RuleResult> results) {
  public GateReport {
    results = List.copyOf(results);
  }

  /** FAILED if a fail rule did not hold or any rule could not be evaluated; else UNSTABLE if a warn rule did not hold. */
  public GateOutcome outcome() {
    if (results.stream().anyMatch(r -> r.verdict().failsBuild())) {
      return GateOutcome.FAILED;
    }
    if (results.stream().anyMatch(r -> r.verdict() == Verdict.WARNED)) {
      return GateOutcome.UNSTABLE;
    }
    return GateOutcome.PASSED;
  }

  public long count(Verdict verdict) {
    return results.stream().filter(r -> r.verdict() == verdict).count();
  }

  /** The verdicts as the run summary stores them. */
  public List<GateResult> toGateResults() {
    return results.stream().map(RuleResult::toGateResult).toList();
  }
}
