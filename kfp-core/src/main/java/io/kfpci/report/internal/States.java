package io.kfpci.report.internal;

import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How states look on the page: their order, colours (as CSS classes) and icons. */
public final class States {
  /** The order counts are listed in: the common outcome first, then what needs attention. */
  public static final List<RuntimeState> DISPLAY_ORDER = List.of(
      RuntimeState.SUCCEEDED, RuntimeState.FAILED, RuntimeState.RUNNING, RuntimeState.PENDING,
      RuntimeState.CANCELING, RuntimeState.CANCELED, RuntimeState.PAUSED, RuntimeState.SKIPPED);

  private States() {}

  /**
   * The state a group of executions is drawn in: a failure anywhere shows, then work still in
   * progress, then success; all skipped is skipped. Empty means nothing ran yet: PENDING.
   */
  public static RuntimeState dominant(Collection<RuntimeState> states) {
    RuntimeState best = null;
    for (RuntimeState s : states) {
      if (best == null || urgency(s) > urgency(best)) {
        best = s;
      }
    }
    return best == null ? RuntimeState.PENDING : best;
  }

  private static int urgency(RuntimeState state) {
    return switch (state) {
      case FAILED -> 8;
      case CANCELING -> 7;
      case CANCELED -> 6;
      case RUNNING -> 5;
      case PAUSED -> 4;
      case PENDING -> 3;
      case SUCCEEDED -> 2;
      case SKIPPED -> 1;
    };
  }

  /** The CSS class that colours an element by state: {@code st-failed}. */
  public static String css(RuntimeState state) {
    return "st-" + state.name().toLowerCase(Locale.ROOT);
  }

  /** The id of the icon symbol: {@code i-failed}. */
  public static String icon(RuntimeState state) {
    return "i-" + state.name().toLowerCase(Locale.ROOT);
  }

  /** How many of {@code tasks} are in each state, in {@link #DISPLAY_ORDER}. */
  public static Map<RuntimeState, Integer> count(Collection<TaskSummary> tasks) {
    Map<RuntimeState, Integer> byState = new EnumMap<>(RuntimeState.class);
    for (TaskSummary t : tasks) {
      byState.merge(t.state(), 1, Integer::sum);
    }
    Map<RuntimeState, Integer> ordered = new LinkedHashMap<>();
    for (RuntimeState s : DISPLAY_ORDER) {
      if (byState.containsKey(s)) {
        ordered.put(s, byState.get(s));
      }
    }
    return Collections.unmodifiableMap(ordered);
  }

  /** "7 succeeded, 1 failed". */
  public static String countsText(Map<RuntimeState, Integer> counts) {
    StringBuilder text = new StringBuilder();
    counts.forEach((state, n) -> {
      if (text.length() > 0) {
        text.append(", ");
      }
      text.append(n).append(' ').append(Format.word(state));
    });
    return text.toString();
  }

  /**
   * The stroke colour (light theme) written as a presentation attribute, so the graph keeps its
   * colours even where a host page's policy drops the embedded stylesheet.
   */
  public static String stroke(RuntimeState state) {
    return switch (state) {
      case SUCCEEDED -> "#1a7f37";
      case FAILED -> "#cf222e";
      case RUNNING -> "#0969da";
      case CANCELING, CANCELED -> "#9a6700";
      case PAUSED -> "#8250df";
      case PENDING, SKIPPED -> "#6e7781";
    };
  }

  /** The fill that goes with {@link #stroke}. */
  public static String fill(RuntimeState state) {
    return switch (state) {
      case SUCCEEDED -> "#eefbf1";
      case FAILED -> "#fff0ef";
      case RUNNING -> "#eaf5ff";
      case CANCELING, CANCELED -> "#fff8e5";
      case PAUSED -> "#f6f0ff";
      case PENDING, SKIPPED -> "#f6f8fa";
    };
  }
}
