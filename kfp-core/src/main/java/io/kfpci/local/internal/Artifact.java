package io.kfpci.local.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A runtime artifact as the launcher hands it to components: its output key, type, URI and
 * metadata, plus what the runner measured of the local file. Immutable.
 *
 * @param name the producer's output key (also the RuntimeArtifact name in the ExecutorInput)
 * @param uri a local absolute path for artifacts made on this agent, or a remote URI (importer)
 * @param size bytes of the file (summed for a directory), or -1 when there is no local file
 * @param sha256 hex digest of a file's bytes, or null (directories, missing or remote)
 * @param producerTaskId the node id of the task that made (or imported) it
 */
public record Artifact(String name, String schemaTitle, String schemaVersion, String uri,
    Map<String, JsonNode> metadata, long size, String sha256, String producerTaskId) {

  public Artifact {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(schemaTitle, "schemaTitle");
    schemaVersion = schemaVersion == null || schemaVersion.isEmpty() ? "0.0.1" : schemaVersion;
    Objects.requireNonNull(uri, "uri");
    metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    Objects.requireNonNull(producerTaskId, "producerTaskId");
  }

  /** The local file of the artifact, or null when its URI is remote. */
  public Path localPath() {
    if (uri.startsWith("file://")) {
      return Path.of(java.net.URI.create(uri));
    }
    if (uri.startsWith("/")) {
      return Path.of(uri);
    }
    return null;
  }

  public Artifact withMetadata(Map<String, JsonNode> value) {
    return new Artifact(name, schemaTitle, schemaVersion, uri, value, size, sha256, producerTaskId);
  }

  public Artifact withFile(long newSize, String newSha256) {
    return new Artifact(name, schemaTitle, schemaVersion, uri, metadata, newSize, newSha256, producerTaskId);
  }
}
