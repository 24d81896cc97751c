package io.kfpci.artifacts;

/** The object store refused the credentials (unknown access key, wrong secret, no permission). */
public class ObjectStoreAccessDeniedException extends ObjectStoreException {
  private static final long serialVersionUID = 1L;

  private final String code;

  public ObjectStoreAccessDeniedException(String endpoint, String bucket, String code, Throwable cause) {
    super(endpoint, bucket, "the object store at " + endpoint + " refused access to bucket '" + bucket + "' ("
        + code + "): check the access key and secret key given for this store", false, cause);
    this.code = code;
  }

  /** The S3 error code, e.g. InvalidAccessKeyId or SignatureDoesNotMatch. */
  public String code() {
    return code;
  }
}
