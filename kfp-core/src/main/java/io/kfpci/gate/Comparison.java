package io.kfpci.gate;

/** The comparison of a rule, between the measured metric (left) and the threshold (right). */
public enum Comparison {
  // Two-character operators first: the parser takes the first symbol that matches.
  GREATER_OR_EQUAL(">="),
  LESS_OR_EQUAL("<="),
  EQUAL("=="),
  NOT_EQUAL("!="),
  GREATER(">"),
  LESS("<");

  private final String symbol;

  Comparison(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  /** Whether {@code measured <op> threshold} holds. NaN never holds, as in IEEE comparisons. */
  public boolean holds(double measured, double threshold) {
    return switch (this) {
      case GREATER_OR_EQUAL -> measured >= threshold;
      case LESS_OR_EQUAL -> measured <= threshold;
      case EQUAL -> measured == threshold;
      case NOT_EQUAL -> measured != threshold;
      case GREATER -> measured > threshold;
      case LESS -> measured < threshold;
    };
  }
}
