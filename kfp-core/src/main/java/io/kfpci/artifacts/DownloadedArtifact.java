package io.kfpci.artifacts;

import io.kfpci.report.ArtifactSummary;
import java.util.List;
import java.util.Objects;

/**
 * An artifact on disk: its summary with {@code path} (relative to the download directory),
 * {@code size} and, for a single file, {@code sha256} filled in; its files; and its lineage JSON
 * (run, task, output, type, URI, digest, size, metadata, files), relative to the download directory.
 */
public record DownloadedArtifact(ArtifactSummary artifact, boolean directory, List<DownloadedFile> files,
    String lineage) {
  public DownloadedArtifact {
    Objects.requireNonNull(artifact, "artifact");
    files = List.copyOf(files);
    Objects.requireNonNull(lineage, "lineage");
  }
}
