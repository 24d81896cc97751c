package io.kfpci.local.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The one check for every path the local runner builds from pipeline content (task names,
 * component output names, iteration keys, the pipeline name) or from what a task wrote (artifact
 * URIs in executor_output.json, cache entries): the result is resolved, normalised and must lie
 * strictly below its base directory (the run directory or a task directory), and no symbolic link
 * along the part that already exists may lead out of it. It is called before anything is created,
 * written or deleted, and does not rely on the validator having run: a pipeline built in memory
 * or a rule missed by validation still cannot name a path outside its run. Stateless.
 */
public final class RunPaths {
  /** A URI with a scheme, e.g. gs://bucket/x: a remote location, never a path on this machine. */
  private static final Pattern REMOTE = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*", Pattern.DOTALL);
  /** Most file systems refuse longer names. */
  private static final int MAX_SEGMENT_BYTES = 255;

  private RunPaths() {}

  /**
   * Checks a name used as exactly one path segment (a task name, an output name, a pipeline
   * name): not empty, not "." or "..", no '/' or '\', no NUL or other control character, at most
   * 255 bytes.
   */
  public static String segment(String name, String field) throws UnsafePathException {
    java.util.Optional<String> why = unsafe(name == null ? "" : name);
    if (why.isPresent()) {
      throw new UnsafePathException(field, name == null ? "" : name, why.get());
    }
    return name;
  }

  /** Why {@code name} is not a plain path segment, or empty when it is one. */
  private static java.util.Optional<String> unsafe(String name) {
    if (name.isEmpty()) {
      return java.util.Optional.of("is empty; it names a file or directory of the run");
    }
    if (name.equals(".") || name.equals("..")) {
      return java.util.Optional.of("names a directory above its own; use a plain name");
    }
    if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
      return java.util.Optional.of("contains a path separator ('/' or '\\'); it must be a plain name, since it"
          + " names a file or directory of the run");
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        return java.util.Optional.of("contains a control character");
      }
    }
    if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
      return java.util.Optional.of("is longer than " + MAX_SEGMENT_BYTES + " bytes");
    }
    return java.util.Optional.empty();
  }

  /** {@code base} resolved with one checked segment, see {@link #segment}. */
  public static Path child(Path base, String name, String field) throws UnsafePathException {
    return inside(base, base.resolve(segment(name, field)), field, name);
  }

  /**
   * A node id ("task", "loop[2]/task", "dag/inner") below {@code base}: each '/'-separated part is
   * checked as a {@link #segment}.
   */
  public static Path nodePath(Path base, String nodeId, String field) throws UnsafePathException {
    if (nodeId == null || nodeId.isEmpty()) {
      throw new UnsafePathException(field, "", "is empty; it names a directory of the run");
    }
    Path out = base;
    for (String part : nodeId.split("/", -1)) {
      java.util.Optional<String> why = unsafe(part);
      if (why.isPresent()) {
        throw new UnsafePathException(field, nodeId, "is not a plain name: '" + printable(part) + "' " + why.get());
      }
      out = out.resolve(part);
    }
    return inside(base, out, field, nodeId);
  }

  /**
   * {@code candidate} normalised, if it lies strictly below {@code base} and no existing directory
   * on the way is a link leading elsewhere; else an error naming {@code field}. The candidate
   * itself may be a link: the runner never writes through one (see {@link RunFiles}).
   */
  public static Path inside(Path base, Path candidate, String field, String value) throws UnsafePathException {
    Path root = base.toAbsolutePath().normalize();
    Path path = candidate.toAbsolutePath().normalize();
    if (!path.startsWith(root) || path.equals(root)) {
      throw new UnsafePathException(field, value, "leads outside " + root + " (to " + path + "); names from the"
          + " pipeline must stay inside the run directory");
    }
    try {
      Path realRoot = Files.exists(root) ? root.toRealPath() : null;
      if (realRoot != null) {
        Path existing = path.getParent();
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
          existing = existing.getParent();
        }
        if (existing != null && existing.startsWith(root) && !existing.toRealPath().startsWith(realRoot)) {
          throw new UnsafePathException(field, value, "leads outside " + root + " through the link " + existing
              + "; names from the pipeline must stay inside the run directory");
        }
      }
    } catch (IOException e) {
      throw new UnsafePathException(field, value, "cannot be checked: " + e.getMessage());
    }
    return path;
  }

  /**
   * An artifact URI a task reported (executor_output.json) or a cache entry holds: a remote URI
   * (scheme://...) passes; a local one (an absolute path or file://) must lie inside {@code base};
   * anything else (a relative path, file: without //) is refused.
   */
  public static void artifactUri(String uri, Path base, String field) throws UnsafePathException {
    if (uri.startsWith("file:")) {
      Path local;
      try {
        local = Path.of(URI.create(uri));
      } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
        throw new UnsafePathException(field, uri, "is not a valid file URI: " + e.getMessage());
      }
      inside(base, local, field, uri);
      return;
    }
    if (REMOTE.matcher(uri).matches()) {
      return;
    }
    if (uri.startsWith("/")) {
      try {
        inside(base, Path.of(uri), field, uri);
      } catch (InvalidPathException e) {
        throw new UnsafePathException(field, uri, "is not a valid path: " + e.getMessage());
      }
      return;
    }
    throw new UnsafePathException(field, uri, "is neither a remote URI (scheme://...) nor an absolute path inside "
        + base.toAbsolutePath().normalize());
  }

  /** Files the runner keeps in a task directory; an output named like one would clash with it. */
  public static final java.util.Set<String> RESERVED_IN_TASK_DIRECTORY = java.util.Set.of("task.log",
      "executor_input.json", "executor_output.json", ".tmp", ".attempt.json");

  /**
   * Every name in {@code document} that becomes a path of a run (the pipeline name, each DAG's task
   * names, each executor component's output parameter and artifact names), checked before the run
   * directory exists; one line per bad name, "file:line:col: field 'value' at $.json.path why".
   * Empty when all are plain names.
   */
  public static java.util.List<String> pipelineProblems(io.kfpci.ir.PipelineDocument document) {
    java.util.List<String> out = new java.util.ArrayList<>();
    io.kfpci.ir.proto.PipelineSpec spec = document.spec();
    check(document, out, io.kfpci.ir.FieldPath.of("pipelineInfo", "name"), spec.getPipelineInfo().getName(),
        "pipeline name", false);
    checkTasks(document, out, io.kfpci.ir.FieldPath.of("root"), spec.getRoot());
    for (var e : new java.util.TreeMap<>(spec.getComponentsMap()).entrySet()) {
      io.kfpci.ir.FieldPath at = io.kfpci.ir.FieldPath.of("components", e.getKey());
      checkTasks(document, out, at, e.getValue());
      if (!e.getValue().hasDag()) {
        var outputs = e.getValue().getOutputDefinitions();
        for (String name : new java.util.TreeSet<>(outputs.getParametersMap().keySet())) {
          check(document, out, at.key("outputDefinitions").key("parameters").key(name), name,
              "output parameter name of component '" + e.getKey() + "'", true);
        }
        for (String name : new java.util.TreeSet<>(outputs.getArtifactsMap().keySet())) {
          check(document, out, at.key("outputDefinitions").key("artifacts").key(name), name,
              "output artifact name of component '" + e.getKey() + "'", true);
        }
      }
    }
    return out;
  }

  private static void checkTasks(io.kfpci.ir.PipelineDocument document, java.util.List<String> out,
      io.kfpci.ir.FieldPath component, io.kfpci.ir.proto.ComponentSpec spec) {
    if (spec.hasDag()) {
      for (String task : new java.util.TreeSet<>(spec.getDag().getTasksMap().keySet())) {
        check(document, out, component.key("dag").key("tasks").key(task), task, "task name", false);
      }
    }
  }

  private static void check(io.kfpci.ir.PipelineDocument document, java.util.List<String> out,
      io.kfpci.ir.FieldPath at, String name, String field, boolean inTaskDirectory) {
    try {
      segment(name, field);
      if (inTaskDirectory && RESERVED_IN_TASK_DIRECTORY.contains(name)) {
        throw new UnsafePathException(field, name, "is the name of a file the runner keeps in the task directory;"
            + " rename the output");
      }
    } catch (UnsafePathException e) {
      out.add(document.sourceMap().positionOf(at) + ": " + e.getMessage() + " (at " + at + ")");
    }
  }

  /** The value as it may be printed: control characters escaped, at most 200 characters. */
  static String printable(String value) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length() && out.length() < 200; i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return value.length() > 200 ? out + "..." : out.toString();
  }
}
