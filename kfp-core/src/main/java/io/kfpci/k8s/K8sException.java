package io.kfpci.k8s;

import io.kfpci.KfpException;

/**
 * A pod template that cannot be built as asked (a bad quantity, name or vendor), or a cluster
 * that cannot be read for a preflight. Messages name the option and the value.
 */
public final class K8sException extends KfpException {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  public K8sException(String message) {
    this(message, null, false);
  }

  public K8sException(String message, Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  @Override
  public boolean isRetryable() {
    return retryable;
  }
}
