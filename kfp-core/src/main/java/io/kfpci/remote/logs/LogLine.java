package io.kfpci.remote.logs;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of a task's {@code main} container log.
 *
 * @param task the task label ({@link io.kfpci.artifacts.TaskPod#label()}: task id, iteration
 *     {@code loop[i]}, retry {@code #n})
 * @param timestamp when the kubelet received it, or null for a line read from an archive (which
 *     keeps no timestamps)
 * @param text the line without its end-of-line and without the kubelet's timestamp prefix
 */
public record LogLine(String task, Instant timestamp, String text) {
  public LogLine {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(text, "text");
  }

  /** {@code [task] text}: how the CLI and the build log show it. */
  public String format() {
    return "[" + task + "] " + text;
  }
}
