package io.kfpci.monitor;

import io.kfpci.report.RuntimeState;

/**
 * The console form of run events: short lines for state changes and each log line under its
 * task's id, e.g.
 *
 * <pre>
 * [kfp] train: RUNNING
 * [train] epoch 1 loss=0.41
 * [kfp] train: SUCCEEDED
 * [kfp] run: SUCCEEDED
 * </pre>
 *
 * Stateless.
 */
public final class RunConsole {
  static final String STATE_PREFIX = "[kfp] ";
  static final String RUNNER_PREFIX = "[runner] ";

  private RunConsole() {}

  /** The console line(s) for one event, without a trailing newline. */
  public static String format(RunEvent event) {
    if (event instanceof RunEvent.LogLine line) {
      return line.taskId().isEmpty() ? RUNNER_PREFIX + line.text() : "[" + line.taskId() + "] " + line.text();
    }
    if (event instanceof RunEvent.TaskStateChanged task) {
      return STATE_PREFIX + task.taskId() + ": " + describe(task.to(), task.cached(), task.error());
    }
    RunEvent.RunStateChanged run = (RunEvent.RunStateChanged) event;
    return STATE_PREFIX + "run: " + describe(run.to(), false, run.error());
  }

  private static String describe(RuntimeState state, boolean cached, String error) {
    StringBuilder text = new StringBuilder(state.name());
    if (cached && state == RuntimeState.SUCCEEDED) {
      text.append(" (cached)");
    }
    if (!error.isEmpty() && !state.isSuccess()) {
      text.append(": ").append(error);
    }
    return text.toString();
  }
}
