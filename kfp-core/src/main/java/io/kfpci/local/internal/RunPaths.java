package io.kfpci.local.internal;

import io.kfpci.files.SafePaths;
import io.kfpci.problem.Printable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one check for every path the local runner builds from pipeline content (task names,
 * component output names, iteration keys, the pipeline name) or from what a task wrote (artifact
 * URIs in executor_output.json, cache entries): the result is resolved, normalised and must lie
 * strictly below its base directory (the run directory or a task directory), and no symbolic link
 * along the part that already exists may lead out of it. It is called before anything is created,
 * written or deleted, and does not rely on the validator having run: a pipeline built in memory
 * or a rule missed by validation still cannot name a path outside its run. Every name is held to
 * the validator's own rule ({@link SafePaths#problem}, KFP013), so the run time refuses exactly
 * what validation refuses. Stateless.
 */
public final class RunPaths {
  /** A URI with a scheme of two characters or more, e.g. gs://bucket/x: a remote location, never a path here. */
  private static final Pattern REMOTE = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+://.*", Pattern.DOTALL);
  /** C:, C:\x, C:/x, C://x: a drive of Windows, where a one-letter "scheme" is a local path. */
  private static final Pattern WINDOWS_DRIVE = Pattern.compile("[A-Za-z]:([/\\\\].*)?", Pattern.DOTALL);
  /** Longer values are cut when printed. */
  private static final int MAX_PRINTED = 200;

  private RunPaths() {}

  /**
   * Checks a name used as exactly one path segment (a task name, an output name, a pipeline
   * name, a run id) by the one rule the validator reports as KFP013 ({@link SafePaths#problem}):
   * what validation refuses, the run time refuses too, for a pipeline built in memory as well.
   */
  public static String segment(String name, String field) throws UnsafePathException {
    Optional<String> why = unsafe(name);
    if (why.isPresent()) {
      throw new UnsafePathException(field, name == null ? "" : name, why.get());
    }
    return name;
  }

  /** Why {@code name} is not a plain path segment, or empty when it is one. */
  private static Optional<String> unsafe(String name) {
    return SafePaths.problem(name).map(why -> "cannot be used as a file name: " + why);
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
      throw new UnsafePathException(field, "", unsafe("").orElseThrow());
    }
    Path out = base;
    for (String part : nodeId.split("/", -1)) {
      Optional<String> why = unsafe(part);
      if (why.isPresent()) {
        throw new UnsafePathException(field, nodeId, "is not a plain name: its part '" + printable(part) + "' "
            + why.get());
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
   * (scheme://..., a scheme of two letters or more) passes; a local one (an absolute path or
   * file://) must lie inside {@code base}, written without '.' or '..' parts, each part below
   * {@code base} a safe name by the rule of {@link #segment}; anything else (a relative path,
   * file: without //, a Windows drive such as C:\ or C://) is refused.
   */
  public static void artifactUri(String uri, Path base, String field) throws UnsafePathException {
    if (uri.startsWith("file:")) {
      Path local;
      try {
        local = Path.of(URI.create(uri));
      } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
        throw new UnsafePathException(field, uri, "is not a valid file URI: " + e.getMessage());
      }
      localArtifact(base, local, field, uri);
      return;
    }
    if (WINDOWS_DRIVE.matcher(uri).matches()) {
      throw new UnsafePathException(field, uri, "names a Windows drive; a local artifact must be an absolute path"
          + " inside " + base.toAbsolutePath().normalize());
    }
    if (REMOTE.matcher(uri).matches()) {
      return;
    }
    if (uri.startsWith("/")) {
      Path local;
      try {
        local = Path.of(uri);
      } catch (InvalidPathException e) {
        throw new UnsafePathException(field, uri, "is not a valid path: " + e.getMessage());
      }
      localArtifact(base, local, field, uri);
      return;
    }
    throw new UnsafePathException(field, uri, "is neither a remote URI (scheme://...) nor an absolute path inside "
        + base.toAbsolutePath().normalize());
  }

  /**
   * A local artifact path: written plainly (no '.' or '..' part, which could pass through a place
   * the check never sees), inside {@code base}, and each part below it a name the one rule allows.
   */
  private static void localArtifact(Path base, Path local, String field, String uri) throws UnsafePathException {
    Path raw = local.toAbsolutePath();
    Path root = base.toAbsolutePath().normalize();
    Path inside = inside(base, raw, field, uri);
    if (!raw.equals(raw.normalize())) {
      throw new UnsafePathException(field, uri, "has a '.' or '..' part; a local artifact must be a plain absolute"
          + " path inside " + root);
    }
    for (Path part : root.relativize(inside)) {
      Optional<String> why = unsafe(part.toString());
      if (why.isPresent()) {
        throw new UnsafePathException(field, uri, "is not a plain path inside " + root + ": its part '"
            + printable(part.toString()) + "' " + why.get());
      }
    }
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

  /** The value as it may be printed ({@link Printable}: control and format characters escaped), at most 200 characters. */
  static String printable(String value) {
    String escaped = Printable.escape(value == null ? "" : value);
    return escaped.length() > MAX_PRINTED ? escaped.substring(0, MAX_PRINTED) + "..." : escaped;
  }
}
