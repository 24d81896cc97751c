package io.kfpci.remote.logs;

import io.kfpci.artifacts.ArtifactLocation;
import io.kfpci.artifacts.ObjectStoreOptions;
import io.kfpci.artifacts.ObjectStores;
import io.kfpci.artifacts.TaskPod;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code main.log} Argo archives for every pod ({@code archiveLogs: true}), read from the
 * object store with the MinIO SDK. KFP's keyFormat is
 * {@code private-artifacts/<ns>/<workflow>/<Y>/<m>/<d>/<pod>/main.log} (FACTS 4.3); the date is the
 * workflow's creation day, which can differ from the run's by a day around midnight, so the
 * workflow's prefix is listed and the pod's {@code main.log} picked from it.
 */
public final class ObjectStoreLogArchive implements ArchivedLogSource {
  /** Kubernetes names (DNS-1123): nothing else may go into an object key from a server record. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  /** The executor template names of FACTS 4.1 (plain, with a retry policy, with pod metadata). */
  private static final Pattern EXECUTOR = Pattern.compile(
      "-(retry-|metadata-\\d+-\\d+-)?system-container-impl-[^-]+$");
  /** Listing a workflow's prefix stops here: a log found later than this many keys is not looked for. */
  static final int MAX_KEYS = 10_000;

  private final ObjectStoreOptions options;
  private final String prefix;
  private final MinioClient client;

  /**
   * @param prefix the key prefix before {@code <ns>/<workflow>/}, {@code private-artifacts/} for
   *     KFP's manifests
   */
  public ObjectStoreLogArchive(ObjectStoreOptions options, String prefix) {
    this.options = options;
    this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    this.client = ObjectStores.client(options);
  }

  @Override
  public String name() {
    return "main.log in bucket " + options.defaultBucket() + " at " + options.endpoint();
  }

  /** The Argo workflow that ran the pod: the pod name without its executor template and hash (FACTS 4.1). */
  static Optional<String> workflow(String podName) {
    java.util.regex.Matcher m = EXECUTOR.matcher(podName);
    return m.find() && m.start() > 0 ? Optional.of(podName.substring(0, m.start())) : Optional.empty();
  }

  @Override
  public Optional<byte[]> read(String runId, TaskPod pod) throws LogSourceException {
    if (!NAME.matcher(pod.podName()).matches() || !NAME.matcher(pod.namespace()).matches()) {
      return Optional.empty(); // not a Kubernetes name: never let it shape a key
    }
    Optional<String> workflow = workflow(pod.podName());
    if (workflow.isEmpty()) {
      return Optional.empty();
    }
    String base = prefix + pod.namespace() + "/" + workflow.get() + "/";
    String suffix = "/" + pod.podName() + "/main.log";
    String bucket = options.defaultBucket();
    ArtifactLocation where = new ArtifactLocation("s3", bucket, base);
    String key = null;
    try {
      int seen = 0;
      for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(base).recursive(true)
          .build())) {
        Item item = r.get();
        if (item.objectName().endsWith(suffix)) {
          if (item.size() > options.maxArtifactBytes()) {
            throw new LogSourceException(name(), "the archived log " + item.objectName() + " is " + item.size()
                + " bytes, over the cap of " + options.maxArtifactBytes() + ": raise the artifact size cap", null);
          }
          key = item.objectName();
          break;
        }
        if (++seen >= MAX_KEYS) {
          break;
        }
      }
      if (key == null) {
        return Optional.empty();
      }
      try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
        return Optional.of(in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, options.maxArtifactBytes())));
      }
    } catch (LogSourceException e) {
      throw e;
    } catch (Exception e) {
      if (ObjectStores.notFound(e)) {
        return Optional.empty();
      }
      var failure = ObjectStores.failure(options, e, key == null ? where : new ArtifactLocation("s3", bucket, key),
          key == null ? "listing" : "download");
      throw new LogSourceException(name(), failure.getMessage(), failure);
    }
  }
}
