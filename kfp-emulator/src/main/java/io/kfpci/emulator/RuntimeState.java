package io.kfpci.emulator;

/**
 * The v2beta1 {@code RuntimeState} enum, as the server sends it. {@link #RUNTIME_STATE_UNSPECIFIED}
 * is the zero value: protojson omits it, so a run or task in that state has no {@code state} field.
 */
public enum RuntimeState {
  RUNTIME_STATE_UNSPECIFIED,
  PENDING,
  RUNNING,
  SUCCEEDED,
  SKIPPED,
  FAILED,
  CANCELING,
  CANCELED,
  PAUSED;

  /** SUCCEEDED, SKIPPED, FAILED and CANCELED: the run will not change again unless retried. */
  public boolean isTerminal() {
    return switch (this) {
      case SUCCEEDED, SKIPPED, FAILED, CANCELED -> true;
      case RUNTIME_STATE_UNSPECIFIED, PENDING, RUNNING, CANCELING, PAUSED -> false;
    };
  }

  /** False for the zero value, which protojson leaves out of a response. */
  public boolean isEmitted() {
    return this != RUNTIME_STATE_UNSPECIFIED;
  }
}
