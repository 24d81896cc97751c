package io.jenkins.plugins.kfp.internal;

import hudson.remoting.VirtualChannel;
import io.kfpci.monitor.MonitorException;
import io.kfpci.monitor.RunCanceller;
import io.kfpci.monitor.WatchState;
import java.io.File;
import java.io.IOException;
import jenkins.MasterToSlaveFileCallable;

/**
 * Stops a local run on the agent: a polite request (SIGTERM; the runner cancels its tasks and
 * still runs exit handlers) or, with {@code force}, a kill of the runner's whole process tree.
 * Returns false when the runner was already gone.
 */
public final class AgentCancel extends MasterToSlaveFileCallable<Boolean> {
  private static final long serialVersionUID = 1L;

  private final String watchState;
  private final boolean force;

  public AgentCancel(String watchState, boolean force) {
    this.watchState = watchState;
    this.force = force;
  }

  @Override
  public Boolean invoke(File workspace, VirtualChannel channel) throws IOException {
    try {
      WatchState state = WatchState.fromJson(watchState);
      return force ? RunCanceller.kill(state.handle()) : RunCanceller.requestCancel(state.handle());
    } catch (MonitorException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
