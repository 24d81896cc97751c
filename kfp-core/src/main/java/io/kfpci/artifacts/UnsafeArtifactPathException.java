package io.kfpci.artifacts;

/**
 * An object key, task id or output name would place a file outside the download directory (a
 * {@code ..} segment, an absolute path, or a symbolic link already in the directory). Nothing was
 * written for it.
 */
public class UnsafeArtifactPathException extends ObjectStoreException {
  private static final long serialVersionUID = 1L;

  private final String path;

  public UnsafeArtifactPathException(String endpoint, String bucket, String path, String message) {
    super(endpoint, bucket, message, false, null);
    this.path = path;
  }

  /** The offending key or relative path, as received. */
  public String path() {
    return path;
  }
}
