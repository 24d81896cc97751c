package io.kfpci.report.internal;

import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which task executions the tasks table lists, and how much of each log it shows, so that a run
 * with thousands of loop iterations still gives a page of a few megabytes. Every task outside
 * loops is listed. Of each loop, the first iterations are listed, and every iteration that did
 * not succeed (up to a limit): those are the ones a reader looks for. The summary keeps the rest.
 */
public final class TaskRows {
  /** Iterations of each loop listed however they ended. */
  public static final int FIRST_ITERATIONS = 3;
  /** Further iterations listed per loop because they did not succeed. */
  public static final int NOTABLE_ITERATIONS = 25;
  /** Characters of log tails on the page before tails are cut to their last lines. */
  public static final int LOG_BUDGET = 1_500_000;
  public static final int SHORT_TAIL = 5;
  /** Longest log line shown; longer lines are cut (the log file has them whole). */
  public static final int MAX_LINE = 500;

  /**
   * @param rows the executions to list, in summary order
   * @param tailLines per listed execution (by identity), how many of its last log lines to show
   * @param omittedIterations per loop task id, iterations not listed
   */
  public record Selection(List<TaskSummary> rows, Map<TaskSummary, Integer> tailLines,
      Map<String, Integer> omittedIterations, int total) {}

  private TaskRows() {}

  public static Selection select(List<TaskSummary> tasks) {
    Map<String, TaskSummary> byId = new HashMap<>();
    tasks.forEach(t -> byId.putIfAbsent(t.id(), t));
    // Per loop (the parent id of its iterations): which iterations are listed.
    Map<String, List<TaskSummary>> iterationsOfLoop = new LinkedHashMap<>();
    for (TaskSummary t : tasks) {
      if (t.iteration() != null) {
        iterationsOfLoop.computeIfAbsent(t.parentId(), k -> new ArrayList<>()).add(t);
      }
    }
    // Identity, not equals: records hash every field, log tails included.
    Set<TaskSummary> listedIterations = Collections.newSetFromMap(new IdentityHashMap<>());
    Map<String, Integer> omitted = new LinkedHashMap<>();
    iterationsOfLoop.forEach((loop, iterations) -> {
      int notable = 0;
      for (int i = 0; i < iterations.size(); i++) {
        TaskSummary it = iterations.get(i);
        boolean ok = it.state() == RuntimeState.SUCCEEDED || it.state() == RuntimeState.SKIPPED;
        if (i < FIRST_ITERATIONS || (!ok && notable++ < NOTABLE_ITERATIONS)) {
          listedIterations.add(it);
        }
      }
      int left = iterations.size() - (int) iterations.stream().filter(listedIterations::contains).count();
      if (left > 0) {
        omitted.put(loop, left);
      }
    });
    List<TaskSummary> rows = new ArrayList<>();
    for (TaskSummary t : tasks) {
      if (listed(t, byId, listedIterations)) {
        rows.add(t);
      }
    }
    return new Selection(List.copyOf(rows), tailLines(rows), omitted, tasks.size());
  }

  /** Listed when the task and every iteration above it are listed. */
  private static boolean listed(TaskSummary task, Map<String, TaskSummary> byId, Set<TaskSummary> listedIterations) {
    Set<String> seen = new HashSet<>();
    for (TaskSummary t = task; t != null && seen.add(t.id()); t = t.parentId().isEmpty() ? null : byId.get(t.parentId())) {
      if (t.iteration() != null && !listedIterations.contains(t) && byId.get(t.id()) == t) {
        return false;
      }
    }
    return true;
  }

  /** Whole tails while the budget lasts, failures served first; the rest get their last lines. */
  private static Map<TaskSummary, Integer> tailLines(List<TaskSummary> rows) {
    List<TaskSummary> byUrgency = new ArrayList<>();
    rows.stream().filter(t -> !t.state().isSuccess()).forEach(byUrgency::add);
    rows.stream().filter(t -> t.state().isSuccess()).forEach(byUrgency::add);
    Map<TaskSummary, Integer> lines = new IdentityHashMap<>();
    long budget = LOG_BUDGET;
    for (TaskSummary t : byUrgency) {
      long chars = 0;
      for (String line : t.logTail()) {
        chars += Math.min(line.length(), MAX_LINE) + 1;
      }
      if (chars <= budget) {
        budget -= chars;
        lines.put(t, t.logTail().size());
      } else {
        lines.put(t, Math.min(SHORT_TAIL, t.logTail().size()));
      }
    }
    return lines;
  }
}
