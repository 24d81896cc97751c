package io.kfpci.artifacts;

import io.kfpci.KfpException;
import java.util.Objects;

/**
 * A call to the ML Metadata store failed. Carries the store's address (never a credential: the
 * store has none) so the message says which store to check.
 */
public class MetadataStoreException extends KfpException {
  private static final long serialVersionUID = 1L;

  private final String address;
  private final boolean retryable;

  public MetadataStoreException(String address, String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.address = Objects.requireNonNull(address, "address");
    this.retryable = retryable;
  }

  /** host:port of the store that failed. */
  public String address() {
    return address;
  }

  @Override
  public boolean isRetryable() {
    return retryable;
  }
}
