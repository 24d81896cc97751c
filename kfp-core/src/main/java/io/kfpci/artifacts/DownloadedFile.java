package io.kfpci.artifacts;

import java.util.Objects;

/**
 * One file written by a download.
 *
 * @param path relative to the download directory, '/'-separated
 * @param key the object key it came from
 * @param size bytes written
 * @param sha256 hex SHA-256 of those bytes
 */
public record DownloadedFile(String path, String key, long size, String sha256) {
  public DownloadedFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(sha256, "sha256");
  }
}
