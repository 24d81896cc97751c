package io.kfpci.artifacts;

import io.kfpci.artifacts.internal.ReadDeadlineSocketFactory;
import io.minio.MinioClient;
import io.minio.http.HttpUtils;
import io.minio.errors.ErrorResponseException;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import okhttp3.OkHttpClient;

/**
 * MinIO clients for an {@link ObjectStoreOptions}, and the one translation of the SDK's failures
 * into {@link ObjectStoreException}s: the endpoint and bucket are named, credentials never.
 * Shared by the artifact downloader and the model promoter.
 */
public final class ObjectStores {
  static final Set<String> ACCESS_DENIED = Set.of("AccessDenied", "InvalidAccessKeyId",
      "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "AllAccessDisabled");
  static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NotFound", "ResourceNotFound");

  private ObjectStores() {}

  /** A client with the options' endpoint, region, credentials and deadlines. */
  public static MinioClient client(ObjectStoreOptions options) {
    MinioClient.Builder builder = MinioClient.builder().endpoint(options.endpoint().toString())
        .region(options.region());
    if (options.accessKey() != null) {
      builder.credentials(options.accessKey(), options.secretKey());
    }
    MinioClient client = builder.build();
    long millis = options.timeout().toMillis();
    client.setTimeout(millis, millis, millis);
    return client;
  }

  /**
   * A client like {@link #client} for downloads: the same connect and write timeouts, and the same
   * bound on each read, kept by the socket ({@code SO_TIMEOUT}) instead of OkHttp's per-read
   * watchdog, whose cost per 8 KiB read is a noticeable share of a large download's CPU.
   */
  static MinioClient downloadClient(ObjectStoreOptions options) {
    long millis = options.timeout().toMillis();
    OkHttpClient http = HttpUtils.newDefaultHttpClient(millis, millis, millis).newBuilder()
        .readTimeout(Duration.ZERO)
        .socketFactory(new ReadDeadlineSocketFactory((int) Math.min(Integer.MAX_VALUE, millis)))
        .build();
    MinioClient.Builder builder = MinioClient.builder().endpoint(options.endpoint().toString())
        .region(options.region()).httpClient(http);
    if (options.accessKey() != null) {
      builder.credentials(options.accessKey(), options.secretKey());
    }
    return builder.build();
  }

  /** Whether the SDK said the object (or key) does not exist. */
  public static boolean notFound(Exception e) {
    return e instanceof ErrorResponseException err && NOT_FOUND.contains(err.errorResponse().code());
  }

  /**
   * The failure of {@code what} ("download", "listing", "upload") of {@code location}, as the one
   * exception type of the object store: access denied, a missing bucket, an unreachable store
   * (retryable), or anything else the store answered.
   */
  public static ObjectStoreException failure(ObjectStoreOptions options, Exception e, ArtifactLocation location,
      String what) {
    String endpoint = options.endpoint().toString();
    if (e instanceof ErrorResponseException err) {
      String code = err.errorResponse().code();
      if (ACCESS_DENIED.contains(code)) {
        return new ObjectStoreAccessDeniedException(endpoint, location.bucket(), code, e);
      }
      if ("NoSuchBucket".equals(code)) {
        return new ObjectStoreException(endpoint, location.bucket(), "the object store at " + endpoint
            + " has no bucket '" + location.bucket() + "' (" + what + " " + location + "): check the bucket"
            + " and the endpoint", false, e);
      }
      return new ObjectStoreException(endpoint, location.bucket(), "the object store at " + endpoint
          + " failed " + what + " of " + location + " (" + code + ")", false, e);
    }
    if (e instanceof IOException) {
      return new ObjectStoreException(endpoint, location.bucket(), "cannot reach the object store at "
          + endpoint + " (" + what + " of " + location + "): " + e.getMessage(), true, e);
    }
    return new ObjectStoreException(endpoint, location.bucket(), "the object store at " + endpoint
        + " failed " + what + " of " + location + ": " + e.getClass().getSimpleName(), false, e);
  }
}
