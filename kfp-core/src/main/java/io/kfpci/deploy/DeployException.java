package io.kfpci.deploy;

import io.kfpci.KfpException;

/**
 * A deploy that was refused (no passing gate, no model artifact, a bad name) or did not complete
 * (the service never became ready and was rolled back; the cluster could not be reached). The
 * message says which, and what was left behind.
 */
public final class DeployException extends KfpException {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  public DeployException(String message) {
    this(message, null, false);
  }

  public DeployException(String message, Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  @Override
  public boolean isRetryable() {
    return retryable;
  }
}
