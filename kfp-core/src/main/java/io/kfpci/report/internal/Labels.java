package io.kfpci.report.internal;

import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.util.Locale;

/** The words drawn on and around a node, shared by the layout (for sizes) and the SVG. */
public final class Labels {
  private Labels() {}

  /** First line of a task box: {@code train}, or {@code train ×8} for a task run in a loop. */
  public static String name(DagModel.Node node) {
    int runs = node.executions().size();
    return runs > 1 ? node.name() + " \u00d7" + runs : node.name();
  }

  /** Second line of a task box: what happened, e.g. {@code succeeded · cached} or {@code 7 succeeded, 1 failed}. */
  public static String detail(DagModel.Node node) {
    StringBuilder text = new StringBuilder();
    if (node.executions().size() == 1) {
      TaskSummary t = node.executions().get(0);
      text.append(Format.word(t.state()));
      if (t.cached()) {
        text.append(" \u00b7 cached");
      }
      if (t.attempts() > 1) {
        text.append(" \u00b7 ").append(t.attempts()).append(" attempts");
      }
      String took = Format.duration(t.startedAt(), t.finishedAt());
      if (!took.isEmpty() && !t.cached()) {
        text.append(" \u00b7 ").append(took);
      }
      return text.toString();
    }
    text.append(States.countsText(node.counts()));
    if (node.cachedCount() > 0) {
      text.append(", ").append(node.cachedCount()).append(" cached");
    }
    if (node.retriedCount() > 0) {
      text.append(", ").append(node.retriedCount()).append(" retried");
    }
    return text.length() == 0 ? "not started" : text.toString();
  }

  /** A group's header: {@code condition-1 · condition · succeeded}, or for a loop its iterations. */
  public static String header(DagModel.Node node) {
    StringBuilder text = new StringBuilder(node.name());
    if (node.shape() == DagModel.Shape.LOOP) {
      int iterations = node.iterations().size();
      text.append(" \u00d7").append(iterations).append(iterations == 1 ? " iteration" : " iterations");
      if (iterations > 0) {
        text.append(": ").append(States.countsText(node.counts()));
      } else {
        text.append(" \u00b7 ").append(Format.word(node.state()));
      }
      return text.toString();
    }
    if (node.executions().size() > 1) {
      text.append(" \u00d7").append(node.executions().size()).append(": ")
          .append(States.countsText(node.counts()));
      return text.toString();
    }
    String role = role(node.name());
    if (!role.isEmpty()) {
      text.append(" \u00b7 ").append(role);
    }
    RuntimeState state = node.state();
    text.append(" \u00b7 ").append(state == RuntimeState.SKIPPED && role.equals("condition")
        ? "skipped (condition false)" : Format.word(state));
    return text.toString();
  }

  /** The tooltip: the task's full path and what happened, e.g. {@code train ×8: 7 succeeded, 1 failed}. */
  public static String title(DagModel.Node node) {
    if (node.isGroup()) {
      return node.key() + ": " + header(node);
    }
    return node.executions().size() > 1
        ? node.key() + " \u00d7" + node.executions().size() + ": " + detail(node)
        : node.key() + ": " + detail(node);
  }

  /**
   * What a DAG task is, from the names the KFP compiler gives them ({@code condition-1},
   * {@code exit-handler-1}, …): the summary only says {@code dag}.
   */
  static String role(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.startsWith("condition-branches-")) {
      return "branches";
    }
    if (n.startsWith("condition-")) {
      return "condition";
    }
    if (n.startsWith("exit-handler-")) {
      return "exit handler";
    }
    return "";
  }
}
