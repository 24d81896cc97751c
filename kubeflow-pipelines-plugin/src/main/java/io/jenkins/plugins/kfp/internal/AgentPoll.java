package io.jenkins.plugins.kfp.internal;

import hudson.AbortException;
import hudson.remoting.VirtualChannel;
import io.kfpci.monitor.MonitorException;
import io.kfpci.monitor.RunConsole;
import io.kfpci.monitor.RunWatcher;
import io.kfpci.monitor.WatchState;
import io.kfpci.monitor.WatchUpdate;
import io.kfpci.report.RunSummaryJson;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import jenkins.MasterToSlaveFileCallable;

/**
 * One poll of a local run on the agent: a watcher is made from the persisted state, polls once
 * and is dropped. Returns console lines, the next state to persist and, once the run is over, its
 * final state and summary.
 */
public final class AgentPoll extends MasterToSlaveFileCallable<AgentPoll.Outcome> {
  private static final long serialVersionUID = 1L;

  private final String watchState;

  public AgentPoll(String watchState) {
    this.watchState = watchState;
  }

  /**
   * @param lines console lines, in order
   * @param watchState the state to persist after printing the lines
   * @param runState the run's state name, "" before the runner reported one
   * @param summaryJson the run summary once finished, else ""
   * @param active progress was seen: poll again soon
   */
  public record Outcome(List<String> lines, String watchState, boolean finished, String runState, String summaryJson,
      boolean active, boolean moreLog) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  @Override
  public Outcome invoke(File workspace, VirtualChannel channel) throws IOException {
    try {
      RunWatcher watcher = new RunWatcher(WatchState.fromJson(watchState));
      WatchUpdate update = watcher.poll();
      WatchState next = update.state();
      return new Outcome(RunConsole.lines(update.events()), next.toJson(), update.finished(),
          next.runState() == null ? "" : next.runState().name(),
          update.finished() && update.summary() != null ? RunSummaryJson.toJson(update.summary()) : "",
          update.active(), update.moreLog());
    } catch (MonitorException e) {
      // Retryable (a read that may work next time) stays an IOException; anything else ends the step.
      throw e.isRetryable() ? new IOException(e.getMessage(), e) : new AbortException(e.getMessage());
    }
  }
}
