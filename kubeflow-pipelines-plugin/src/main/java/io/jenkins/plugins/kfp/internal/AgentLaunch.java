package io.jenkins.plugins.kfp.internal;

import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.kfp.KfpSettings;
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
 * Starts the local runner detached on the agent, in the workspace (relative data paths in the
 * parameters resolve there), and returns the initial watch state. If the run directory already
 * has a runner (a launch interrupted by a controller restart before its handle was saved), it
 * attaches to that runner instead of starting a second one.
 */
public final class AgentLaunch extends MasterToSlaveFileCallable<String> {
  private static final long serialVersionUID = 1L;

  private final String runDir;
  private final String specFile;
  private final String runnerJar;
  private final KfpSettings settings;

  public AgentLaunch(String runDir, String specFile, String runnerJar, KfpSettings settings) {
    this.runDir = runDir;
    this.specFile = specFile;
    this.runnerJar = runnerJar;
    this.settings = settings;
  }

  @Override
  public String invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
    Path dir = Path.of(runDir);
    try {
      Optional<RunHandle> running = RunHandle.fromRunnerFile(dir);
      if (running.isPresent()) {
        return WatchState.initial(running.get()).toJson();
      }
      LaunchRequest.Builder request = LaunchRequest.builder(dir)
          .javaMain(List.of(Path.of(runnerJar)), LocalRunnerSpec.MAIN_CLASS, List.of(specFile))
          .workingDirectory(workspace.toPath().toAbsolutePath());
      // The runner makes its own venvs for the components: same interpreter and cache as the compiler.
      if (!settings.pythonExecutable().isEmpty()) {
        request.environment("KFPCI_PYTHON", settings.pythonExecutable());
      }
      if (!settings.cacheDirectory().isEmpty()) {
        request.environment("KFPCI_CACHE_DIR", settings.cacheDirectory());
      }
      RunHandle handle = new DetachedLauncher().launch(request.build());
      return WatchState.initial(handle).toJson();
    } catch (MonitorException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
