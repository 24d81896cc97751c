package io.kfpci.monitor;

import io.kfpci.report.RuntimeState;

/**
 * The console form of run events. A console shows run.log as the runner wrote it (its own short
 * state lines and every task's output, each under its task id) and then the run's verdict:
 *
 * <pre>
 * [train] -- RUNNING (attempt 1)
 * [train] epoch 1 loss=0.41
 * [train] -- SUCCEEDED in 3 s
 * [run] -- SUCCEEDED
 * [kfp] run: SUCCEEDED
 * </pre>
 *
 * Stateless.
 */
public final class RunConsole {
  static final String STATE_PREFIX = "[kfp] ";
  static final String RUNNER_PREFIX = "[runner] ";

  private RunConsole() {}

  /**
   * The lines a console shows for one poll's events: every log line as the runner wrote it, and
   * the run's final state. Task state changes are not repeated: the runner logs them itself.
   */
  public static java.util.List<String> lines(java.util.List<RunEvent> events) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (RunEvent event : events) {
      if (event instanceof RunEvent.LogLine
          || event instanceof RunEvent.RunStateChanged run && run.to().isTerminal()) {
        out.add(format(event));
      }
    }
    return out;
  }

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
