package io.jenkins.plugins.kfp.internal;

import hudson.remoting.VirtualChannel;
import io.kfpci.monitor.DetachedLauncher;
import io.kfpci.monitor.LaunchRequest;
import io.kfpci.monitor.MonitorException;
import io.kfpci.monitor.RunHandle;
import io.kfpci.monitor.WatchState;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import jenkins.MasterToSlaveFileCallable;

/**
 * Starts the local runner detached on the agent, in the workspace, with its stdout and stderr in
 * the launch directory beside the spec, and returns the initial watch state. If the run directory already
 * has a runner (a launch interrupted by a controller restart before its handle was saved), it
 * attaches to that runner instead of starting a second one.
 */
public final class AgentLaunch extends MasterToSlaveFileCallable<String> {
  private static final long serialVersionUID = 1L;

  private final String runDir;
  private final String specFile;
  private final String runnerJar;

  public AgentLaunch(String runDir, String specFile, String runnerJar) {
    this.runDir = runDir;
    this.specFile = specFile;
    this.runnerJar = runnerJar;
  }

  @Override
  public String invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
    Path dir = Path.of(runDir);
    Path launchDir = Path.of(specFile).getParent();
    try {
      Optional<RunHandle> running = RunHandle.fromRunnerFile(dir, launchDir);
      if (running.isPresent()) {
        return WatchState.initial(running.get()).toJson();
      }
      LaunchRequest.Builder request = LaunchRequest.builder(dir)
          .javaMain(List.of(Path.of(runnerJar)), LocalRunnerSpec.MAIN_CLASS, List.of(specFile))
          .workingDirectory(workspace.toPath().toAbsolutePath())
          .outputDirectory(launchDir);
      RunHandle handle = new DetachedLauncher().launch(request.build());
      return WatchState.initial(handle).toJson();
    } catch (MonitorException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
