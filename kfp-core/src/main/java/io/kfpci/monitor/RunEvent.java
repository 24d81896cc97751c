package io.kfpci.monitor;

import io.kfpci.report.RuntimeState;
import java.io.Serializable;
import java.util.Objects;

/**
 * Something a watcher noticed in one poll. Serializable so an agent can hand events to the
 * Jenkins controller over a remoting channel.
 */
public sealed interface RunEvent extends Serializable
    permits RunEvent.RunStateChanged, RunEvent.TaskStateChanged, RunEvent.LogLine {

  /**
   * The run changed state.
   *
   * @param from the state seen before, or null on the first observation
   * @param error why the run failed, "" otherwise
   */
  record RunStateChanged(RuntimeState from, RuntimeState to, String error) implements RunEvent {
    public RunStateChanged {
      Objects.requireNonNull(to, "to");
      error = error == null ? "" : error;
    }
  }

  /**
   * A task changed state.
   *
   * @param from the state seen before, or null when the task is seen for the first time
   * @param cached whether a SUCCEEDED task took its outputs from the cache
   * @param error why the task failed, "" otherwise
   */
  record TaskStateChanged(String taskId, RuntimeState from, RuntimeState to, boolean cached, String error)
      implements RunEvent {
    public TaskStateChanged {
      Objects.requireNonNull(taskId, "taskId");
      Objects.requireNonNull(to, "to");
      error = error == null ? "" : error;
    }
  }

  /**
   * One line of {@code run.log}.
   *
   * @param taskId the task that printed it (the {@code [task-id] } prefix), "" for the runner's own lines
   * @param text the line without its prefix and line terminator
   */
  record LogLine(String taskId, String text) implements RunEvent {
    public LogLine {
      Objects.requireNonNull(taskId, "taskId");
      Objects.requireNonNull(text, "text");
    }
  }
}
