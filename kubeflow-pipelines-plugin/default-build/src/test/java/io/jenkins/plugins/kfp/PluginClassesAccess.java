package io.jenkins.plugins.kfp;

import java.nio.file.Path;

/** Lets tests in other packages find the repository root as {@link PluginClasses} does. */
public final class PluginClassesAccess {
  private PluginClassesAccess() {}

  public static Path repoRoot() {
    return PluginClasses.repoRoot();
  }
}
