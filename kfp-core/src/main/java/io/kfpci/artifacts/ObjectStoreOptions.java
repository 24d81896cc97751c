package io.kfpci.artifacts;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the S3-compatible store that holds a KFP deployment's artifacts (MinIO, SeaweedFS,
 * S3) and how much to download. {@link #toString()} never shows the secret key.
 *
 * @param endpoint e.g. {@code http://localhost:9000}
 * @param region the signing region (KFP's MinIO and SeaweedFS accept any; S3 wants the bucket's)
 * @param accessKey access key id, or null for anonymous access
 * @param secretKey secret key, or null for anonymous access
 * @param defaultBucket for URIs without a bucket; KFP's is {@code mlpipeline}
 * @param maxArtifactBytes the cap on one artifact (a directory's files summed)
 * @param parallelism files downloaded at once
 * @param timeout connect and per-read timeout of each request
 */
public record ObjectStoreOptions(URI endpoint, String region, String accessKey, String secretKey,
    String defaultBucket, long maxArtifactBytes, int parallelism, Duration timeout) {
  public static final String KFP_BUCKET = "mlpipeline";
  public static final long DEFAULT_MAX_ARTIFACT_BYTES = 10L * 1024 * 1024 * 1024;

  public ObjectStoreOptions {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(defaultBucket, "defaultBucket");
    Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public String toString() {
    return "ObjectStoreOptions[endpoint=" + endpoint + ", region=" + region + ", accessKey="
        + (accessKey == null ? "none" : "set") + ", secretKey=" + (secretKey == null ? "none" : "****")
        + ", defaultBucket=" + defaultBucket + ", maxArtifactBytes=" + maxArtifactBytes + ", parallelism="
        + parallelism + ", timeout=" + timeout + "]";
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private String endpoint;
    private String region = "us-east-1";
    private String accessKey;
    private String secretKey;
    private String defaultBucket = KFP_BUCKET;
    private long maxArtifactBytes = DEFAULT_MAX_ARTIFACT_BYTES;
    private int parallelism = 4;
    private Duration timeout = Duration.ofSeconds(60);

    private Builder() {
    }

    public Builder endpoint(String value) {
      endpoint = value;
      return this;
    }

    public Builder region(String value) {
      region = value;
      return this;
    }

    public Builder credentials(String access, String secret) {
      accessKey = access;
      secretKey = secret;
      return this;
    }

    public Builder defaultBucket(String value) {
      defaultBucket = value;
      return this;
    }

    public Builder maxArtifactBytes(long value) {
      maxArtifactBytes = value;
      return this;
    }

    public Builder parallelism(int value) {
      parallelism = value;
      return this;
    }

    public Builder timeout(Duration value) {
      timeout = value;
      return this;
    }

    public ObjectStoreOptions build() {
      if (endpoint == null || endpoint.isBlank()) {
        throw new IllegalArgumentException("object store endpoint is missing (e.g. --s3-endpoint http://localhost:9000)");
      }
      if (endpoint.contains("@")) {
        // Never echoed: what precedes an '@' may be a secret.
        throw new IllegalArgumentException("object store endpoint must not carry credentials in the URL;"
            + " give them as access and secret key");
      }
      URI uri;
      try {
        uri = URI.create(endpoint);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("object store endpoint '" + endpoint + "' is not a URL", e);
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException("object store endpoint '" + endpoint
            + "' is not an http:// or https:// URL with a host");
      }
      if (uri.getUserInfo() != null) {
        throw new IllegalArgumentException("object store endpoint must not carry credentials in the URL;"
            + " give them as access and secret key");
      }
      if ((accessKey == null) != (secretKey == null)) {
        throw new IllegalArgumentException("object store credentials need both an access key and a secret key");
      }
      if (defaultBucket == null || defaultBucket.isBlank()) {
        throw new IllegalArgumentException("default bucket is empty");
      }
      if (maxArtifactBytes < 1) {
        throw new IllegalArgumentException("artifact size cap must be positive, got " + maxArtifactBytes);
      }
      if (parallelism < 1 || parallelism > 64) {
        throw new IllegalArgumentException("download parallelism " + parallelism + " is not in 1..64");
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("object store timeout must be positive, got " + timeout);
      }
      return new ObjectStoreOptions(uri, region == null ? "us-east-1" : region, accessKey, secretKey,
          defaultBucket, maxArtifactBytes, parallelism, timeout);
    }
  }
}
