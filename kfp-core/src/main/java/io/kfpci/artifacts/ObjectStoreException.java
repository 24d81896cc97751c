package io.kfpci.artifacts;

import io.kfpci.KfpException;

/**
 * The object store failed a request, or an artifact could not be stored safely. Carries the
 * endpoint and bucket (never a credential) so the message says which store to check.
 */
public class ObjectStoreException extends KfpException {
  private static final long serialVersionUID = 1L;

  private final String endpoint;
  private final String bucket;
  private final boolean retryable;

  public ObjectStoreException(String endpoint, String bucket, String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.endpoint = endpoint;
    this.bucket = bucket;
    this.retryable = retryable;
  }

  public String endpoint() {
    return endpoint;
  }

  public String bucket() {
    return bucket;
  }

  @Override
  public boolean isRetryable() {
    return retryable;
  }
}
