package io.jenkins.plugins.kfp.internal;

import java.nio.file.Path;

/** Paths as users give them (relative to the workspace unless absolute) and as they are shown. */
final class Workspaces {
  private Workspaces() {}

  static Path resolve(Path workspace, String path) {
    Path given = Path.of(path.strip());
    return (given.isAbsolute() ? given : workspace.resolve(given)).normalize();
  }

  /** A compile error as {@code file:line: message}, the file shown relative to the workspace. */
  static String describe(Path workspace, io.kfpci.compile.CompileException e) {
    return display(workspace, Path.of(e.source())) + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.pythonMessage();
  }

  /** Relative to the workspace when inside it, so messages and test names do not depend on the agent. */
  static String display(Path workspace, Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path ws = workspace.toAbsolutePath().normalize();
    return absolute.startsWith(ws) ? ws.relativize(absolute).toString().replace('\\', '/') : absolute.toString();
  }
}
