package io.kfpci.gate;

/**
 * The verdict of a whole gate, as Jenkins would show it: every rule held, a {@code warn} rule did
 * not ({@code UNSTABLE}), or a {@code fail} rule did not or could not be evaluated.
 */
public enum GateOutcome {
  PASSED(0),
  FAILED(1),
  UNSTABLE(2);

  private final int exitCode;

  GateOutcome(int exitCode) {
    this.exitCode = exitCode;
  }

  /** The exit code of {@code kfpci gate}: 0 passed, 1 failed, 2 unstable (docs/gates.md). */
  public int exitCode() {
    return exitCode;
  }
}
