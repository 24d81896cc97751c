package io.jenkins.plugins.kfp.internal;

import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import jenkins.MasterToSlaveFileCallable;

/**
 * Writes a report the controller produced (a gate's JUnit XML) into the workspace, where the
 * JUnit recorder reads test results from. Replaces the file atomically.
 */
public final class AgentWriteText extends MasterToSlaveFileCallable<String> {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String text;

  /** @param file relative to the workspace, or absolute */
  public AgentWriteText(String file, String text) {
    this.file = file;
    this.text = text;
  }

  /** @return the file as shown to users: relative to the workspace when inside it */
  @Override
  public String invoke(File workspace, VirtualChannel channel) throws IOException {
    Path ws = workspace.toPath();
    Path target = Workspaces.resolve(ws, file);
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null) {
      java.nio.file.Files.createDirectories(parent);
    }
    io.kfpci.files.AtomicFiles.write(target, text);
    return Workspaces.display(ws, target);
  }
}
