package io.kfpci.artifacts.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Places names that come from a server (object keys, task ids, output names) under a directory,
 * refusing any that would leave it. A problem is returned as text for the caller's exception.
 */
public final class SafePaths {
  private SafePaths() {
  }

  /**
   * Why {@code relative} may not be used below {@code root}, or empty when it may: it must be a
   * '/'-separated relative path without empty, '.' or '..' segments, backslashes or NULs, and no
   * component of it that already exists under root may be a symbolic link.
   */
  public static Optional<String> problem(Path root, String relative) throws IOException {
    if (relative.isEmpty()) {
      return Optional.of("is empty");
    }
    if (relative.startsWith("/") || relative.matches("^[A-Za-z]:.*")) {
      return Optional.of("is an absolute path");
    }
    if (relative.indexOf('\\') >= 0 || relative.indexOf('\0') >= 0) {
      return Optional.of("contains a backslash or NUL");
    }
    for (String segment : relative.split("/", -1)) {
      if (segment.equals("..")) {
        return Optional.of("has a '..' segment that would leave the download directory");
      }
      if (segment.isEmpty() || segment.equals(".")) {
        return Optional.of("has an empty or '.' segment");
      }
    }
    Path target = root.resolve(relative).normalize();
    if (!target.startsWith(root)) {
      return Optional.of("resolves outside the download directory");
    }
    Path current = root;
    for (Path part : root.relativize(target)) {
      current = current.resolve(part);
      if (Files.isSymbolicLink(current)) {
        return Optional.of("passes through the symbolic link " + root.relativize(current)
            + " already in the download directory");
      }
      if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
        break;
      }
    }
    return Optional.empty();
  }
}
