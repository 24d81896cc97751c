package io.kfpci.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;

/**
 * An output artifact of a task.
 *
 * @param name the output key, e.g. {@code model}
 * @param type the schema title, e.g. {@code system.Model}
 * @param uri the artifact URI as the launcher gave it to the component
 * @param path the local file or directory, relative to the run directory, or null when remote
 * @param size bytes (summed over a directory), or -1 when unknown
 * @param sha256 hex digest of a file's bytes, or null for directories and remote artifacts
 * @param producerTaskId the id of the task that wrote it
 */
public record ArtifactSummary(String name, String type, String uri, String path, long size, String sha256,
    Map<String, JsonNode> metadata, String producerTaskId) {

  public ArtifactSummary {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(uri, "uri");
    metadata = metadata == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    Objects.requireNonNull(producerTaskId, "producerTaskId");
  }
}
