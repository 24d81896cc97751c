package io.kfpci.artifacts;

/**
 * The ML Metadata store could not be reached (connection refused, no route, DNS, or no answer
 * before the deadline). A distinct type so a caller can carry on without metrics and artifacts
 * (logs and states still flow) and say why in the run summary.
 */
public class MetadataStoreUnavailableException extends MetadataStoreException {
  private static final long serialVersionUID = 1L;

  public MetadataStoreUnavailableException(String address, String message, Throwable cause) {
    super(address, message, true, cause);
  }
}
