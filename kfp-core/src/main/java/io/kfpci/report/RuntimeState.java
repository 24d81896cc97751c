package io.kfpci.report;

import java.util.Locale;

/**
 * The state of a run or a task, with KFP's v2beta1 RuntimeState names so local and remote runs
 * read the same. A cached task is SUCCEEDED with {@code cached: true}.
 */
public enum RuntimeState {
  PENDING,
  RUNNING,
  SUCCEEDED,
  SKIPPED,
  FAILED,
  CANCELING,
  CANCELED,
  PAUSED;

  /** SUCCEEDED, SKIPPED, FAILED and CANCELED never change again. */
  public boolean isTerminal() {
    return switch (this) {
      case SUCCEEDED, SKIPPED, FAILED, CANCELED -> true;
      case PENDING, RUNNING, CANCELING, PAUSED -> false;
    };
  }

  public boolean isSuccess() {
    return this == SUCCEEDED;
  }

  /**
   * Maps a KFP API state string, including the Argo/v1 spellings the API server still returns in
   * places (model/run.go ToV2: Error -> FAILED, Terminating -> CANCELING), case-insensitively.
   */
  public static RuntimeState fromApi(String value) {
    return switch (value.strip().toUpperCase(Locale.ROOT)) {
      case "PENDING", "RUNTIME_STATE_UNSPECIFIED", "" -> PENDING;
      case "RUNNING" -> RUNNING;
      case "SUCCEEDED", "SUCCESS", "COMPLETED" -> SUCCEEDED;
      case "SKIPPED", "OMITTED" -> SKIPPED;
      case "FAILED", "FAILURE", "ERROR" -> FAILED;
      case "CANCELING", "TERMINATING" -> CANCELING;
      case "CANCELED", "CANCELLED", "TERMINATED" -> CANCELED;
      case "PAUSED" -> PAUSED;
      default -> throw new IllegalArgumentException("unknown KFP runtime state '" + value + "'");
    };
  }
}
