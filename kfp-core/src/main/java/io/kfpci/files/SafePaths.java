package io.kfpci.files;

import io.kfpci.problem.Printable;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Paths built from names that come from outside (task, component, input and output names of a
 * pipeline file): one name is one path segment, and the result stays inside its base directory.
 *
 * <p>The rule ({@link #problem(String)}) is the one the validator reports as KFP013, so a pipeline
 * that validates never fails here. A name is refused when it is empty, is made only of dots (and
 * spaces, which Windows drops: {@code ". ."}), contains a separator ({@code /}, {@code \}), a
 * colon (drive letters such as {@code C:}, NTFS streams), a control character (NUL included), or
 * is longer than 255 bytes in UTF-8 (no common file system takes it).
 *
 * <p>The check is lexical: it does not look at the file system, so it cannot be fooled by what
 * exists there, and a symbolic link already inside the base is the caller's concern (open with
 * {@code NOFOLLOW_LINKS} where a component could have planted one). Stateless and thread-safe.
 */
public final class SafePaths {
  /** The longest file name ext4, XFS, APFS and NTFS all accept, in bytes. */
  public static final int MAX_NAME_BYTES = 255;

  private SafePaths() {}

  /**
   * {@code base.resolve(name)}, after checking that {@code name} is one safe path segment and that
   * the normalised result is directly inside the normalised {@code base}.
   *
   * @param field what the name is, for the message: "output parameter name of component 'comp-a'"
   * @throws UnsafePathException naming the field, the name and the reason
   */
  public static Path resolveInside(Path base, String name, String field) throws UnsafePathException {
    Optional<String> problem = problem(name);
    if (problem.isPresent()) {
      throw new UnsafePathException(field, name, problem.get());
    }
    Path root = base.toAbsolutePath().normalize();
    Path resolved = root.resolve(name).normalize();
    if (!root.equals(resolved.getParent())) {
      // Unreachable with the checks above on any file system we know; kept as the last word.
      throw new UnsafePathException(field, name, "it resolves outside " + root);
    }
    return resolved;
  }

  /**
   * Checks a path built by other means (several segments joined) stays inside {@code base}, once
   * both are normalised; returns the normalised path.
   */
  public static Path requireInside(Path base, Path path, String field) throws UnsafePathException {
    Path root = base.toAbsolutePath().normalize();
    Path normalized = root.resolve(path).normalize();
    if (normalized.equals(root) || !normalized.startsWith(root)) {
      throw new UnsafePathException(field, path.toString(), "it resolves outside " + root);
    }
    return normalized;
  }

  /** Why {@code name} cannot be one path segment, or empty when it can. */
  public static Optional<String> problem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("it is empty");
    }
    if (name.chars().allMatch(c -> c == '.' || c == ' ')) {
      return Optional.of("a name made only of dots and spaces names the directory itself or its parent");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\') {
        return Optional.of("it contains '" + c + "', a path separator");
      }
      if (c == ':') {
        return Optional.of("it contains ':' (a drive letter or stream name on Windows)");
      }
      if (Character.isISOControl(c)) {
        return Optional.of("it contains the control character " + escape(c));
      }
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      return Optional.of("it is longer than " + MAX_NAME_BYTES + " bytes");
    }
    return Optional.empty();
  }

  /** {@code name} safe to print: control and other unsafe characters written as {@code \\uXXXX}. */
  static String printable(String name) {
    return name == null ? "" : Printable.escape(name);
  }

  private static String escape(char c) {
    return String.format("\\u%04X", (int) c);
  }

  /**
   * Why a server-given relative path (an object key, a task id) may not be used below {@code root},
   * or empty when it may: it must be a
   * '/'-separated relative path without empty, '.' or '..' segments, backslashes or NULs, and no
   * component of it that already exists under root may be a symbolic link.
   */
  public static Optional<String> relativePathProblem(Path root, String relative) throws IOException {
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
