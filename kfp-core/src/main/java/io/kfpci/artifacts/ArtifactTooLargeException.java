package io.kfpci.artifacts;

/** An artifact is larger than the configured size cap; nothing of it was kept. */
public class ArtifactTooLargeException extends ObjectStoreException {
  private static final long serialVersionUID = 1L;

  private final long size;
  private final long cap;

  public ArtifactTooLargeException(String endpoint, String bucket, String what, long size, long cap) {
    super(endpoint, bucket, what + " is " + (size < 0 ? "more than " + cap : Long.toString(size))
        + " bytes, over the download cap of " + cap + " bytes: raise the cap (--max-bytes) or filter"
        + " the artifacts (--type)", false, null);
    this.size = size;
    this.cap = cap;
  }

  /** The size, or -1 when only known to exceed the cap (the stream ran past it). */
  public long size() {
    return size;
  }

  public long cap() {
    return cap;
  }
}
