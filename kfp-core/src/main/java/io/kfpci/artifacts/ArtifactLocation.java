package io.kfpci.artifacts;

import java.util.Objects;

/**
 * Where an artifact lives in an S3-compatible store, parsed from the URI the launcher recorded:
 * {@code minio://bucket/key} (KFP's default, served by MinIO or SeaweedFS) or {@code s3://bucket/key}.
 */
public record ArtifactLocation(String scheme, String bucket, String key) {
  public ArtifactLocation {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
  }

  /**
   * Parses an artifact URI. {@code minio:///key} (no bucket) uses {@code defaultBucket}. A key with
   * an empty, {@code .} or {@code ..} segment is refused: an HTTP client would collapse it and read
   * another object than the one recorded.
   *
   * @throws IllegalArgumentException for another scheme or a malformed key, with the reason
   */
  public static ArtifactLocation parse(String uri, String defaultBucket) {
    Objects.requireNonNull(uri, "uri");
    int sep = uri.indexOf("://");
    String scheme = sep < 0 ? "" : uri.substring(0, sep);
    if (!scheme.equals("minio") && !scheme.equals("s3")) {
      throw new IllegalArgumentException("artifact URI '" + uri + "' is not in an S3-compatible store"
          + " (minio:// or s3://); download it with the tools of its store");
    }
    String rest = uri.substring(sep + 3);
    int slash = rest.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("artifact URI '" + uri + "' names a bucket but no object key");
    }
    String bucket = rest.substring(0, slash);
    if (bucket.isEmpty()) {
      bucket = defaultBucket;
    }
    String key = rest.substring(slash + 1);
    if (key.endsWith("/")) {
      key = key.substring(0, key.length() - 1);
    }
    if (key.isEmpty()) {
      throw new IllegalArgumentException("artifact URI '" + uri + "' names a bucket but no object key");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("artifact URI '" + uri + "' has an empty, '.' or '..' path segment");
      }
    }
    return new ArtifactLocation(scheme, bucket, key);
  }

  @Override
  public String toString() {
    return scheme + "://" + bucket + "/" + key;
  }
}
