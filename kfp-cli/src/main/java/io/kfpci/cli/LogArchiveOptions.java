package io.kfpci.cli;

import io.kfpci.artifacts.ObjectStoreOptions;
import io.kfpci.remote.logs.ObjectStoreLogArchive;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where Argo's archived {@code main.log}s are, once a task's pod is gone: the object store, its
 * bucket and the key prefix before {@code <namespace>/<workflow>/}. One definition for
 * {@code kfpci logs}, {@code kfpci submit --wait} and {@code kfpci watch}, so the three read the
 * same archive with the same options and defaults.
 */
final class LogArchiveOptions {
  /** The prefix of KFP's Argo {@code keyFormat} (FACTS 4.3). */
  static final String DEFAULT_PREFIX = "private-artifacts/";

  @Mixin ObjectStoreCliOptions objectStore;

  @Option(names = "--bucket", paramLabel = "BUCKET", defaultValue = ObjectStoreOptions.KFP_BUCKET,
      description = "Bucket of the archived logs (default: ${DEFAULT-VALUE}).")
  String bucket;

  @Option(names = "--log-prefix", paramLabel = "PREFIX", defaultValue = DEFAULT_PREFIX,
      description = "Key prefix of archived logs before <namespace>/<workflow>/ (default: ${DEFAULT-VALUE},"
          + " as KFP's Argo keyFormat writes them).")
  String prefix;

  /** The archive in the object store, or null without {@code --s3-endpoint}. */
  ObjectStoreLogArchive archive() {
    if (objectStore.endpoint == null) {
      return null;
    }
    return new ObjectStoreLogArchive(objectStore.builder("archived logs").defaultBucket(bucket).build(), prefix);
  }
}
