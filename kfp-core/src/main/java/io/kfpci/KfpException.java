package io.kfpci;

/**
 * The one exception root of kfp-core. Subtypes carry the data a caller needs to react (problems,
 * HTTP status, run id) and say whether trying the same call again may help.
 */
public class KfpException extends Exception {
  private static final long serialVersionUID = 1L;

  public KfpException(String message) {
    super(message);
  }

  public KfpException(String message, Throwable cause) {
    super(message, cause);
  }

  /** True when the same call, made again later, may succeed (a timeout, a 503). */
  public boolean isRetryable() {
    return false;
  }
}
