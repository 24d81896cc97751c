package io.kfpci.gate;

import java.util.Locale;

/** The outcome of one rule. */
public enum Verdict {
  /** The rule held. */
  PASSED,
  /** A {@code fail} rule did not hold: the build fails. */
  FAILED,
  /** A {@code warn} rule did not hold: the build is unstable. */
  WARNED,
  /** The rule compares with the baseline and there is none (no earlier successful run has the metric). */
  NO_BASELINE,
  /**
   * The rule could not be evaluated against this run: its metric is missing or ambiguous, or the
   * threshold is not a number. Counts as a failure whatever the rule's severity, since a gate that
   * reads nothing must not let a build through.
   */
  ERROR;

  /** The word shown in the console, JSON and JUnit: {@code passed}, {@code failed}, ... */
  public String word() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public boolean failsBuild() {
    return this == FAILED || this == ERROR;
  }
}
