package io.kfpci.artifacts;

/** {@code last_known_state} of an MLMD execution, as the KFP driver and launcher set it. */
public enum ExecutionState {
  UNKNOWN(false, false),
  NEW(false, false),
  RUNNING(false, false),
  COMPLETE(true, true),
  FAILED(true, false),
  /** Outputs taken from an earlier execution (the driver's cache hit). */
  CACHED(true, true),
  /** Not triggered (a false condition) or cancelled. */
  CANCELED(true, false);

  private final boolean terminal;
  private final boolean success;

  ExecutionState(boolean terminal, boolean success) {
    this.terminal = terminal;
    this.success = success;
  }

  public boolean isTerminal() {
    return terminal;
  }

  public boolean isSuccess() {
    return success;
  }
}
