package io.kfpci.artifacts;

import io.kfpci.report.ArtifactSummary;
import java.util.List;

/**
 * The outcome of downloading a run's artifacts: what was written, and which artifacts have no
 * object in the store (common for Metrics, whose values live only in ML Metadata).
 */
public record DownloadReport(List<DownloadedArtifact> downloaded, List<ArtifactSummary> missing) {
  public DownloadReport {
    downloaded = List.copyOf(downloaded);
    missing = List.copyOf(missing);
  }
}
