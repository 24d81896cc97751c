package io.kfpci.gate;

import io.kfpci.problem.Suggestions;
import io.kfpci.report.MetricSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the metric a rule names. A short name ({@code test_accuracy}) matches when exactly one
 * metric of the run has it; {@code task/name} and {@code task/output/name} name one precisely
 * (task ids may hold slashes themselves, e.g. {@code condition-1/deploy}, and brackets for loop
 * iterations, e.g. {@code for-loop-2[3]/train}).
 */
public final class MetricIndex {
  /** How many candidates a message lists before "and N more". */
  static final int LISTED = 12;

  private final Map<String, MetricSummary> byId;

  private MetricIndex(Map<String, MetricSummary> byId) {
    this.byId = byId;
  }

  public static MetricIndex of(List<MetricSummary> metrics) {
    Map<String, MetricSummary> byId = new LinkedHashMap<>();
    for (MetricSummary m : metrics) {
      // A later value of the same metric (a retried task logged it again) replaces the earlier.
      byId.put(id(m), m);
    }
    return new MetricIndex(byId);
  }

  /** {@code task/output/name}, or the bare name for metrics that carry no task (a flat metrics file). */
  public static String id(MetricSummary m) {
    return m.taskId().isEmpty() ? m.name() : m.taskId() + "/" + m.output() + "/" + m.name();
  }

  public boolean isEmpty() {
    return byId.isEmpty();
  }

  /** What a reference resolves to. */
  public sealed interface Lookup permits Found, Missing, Ambiguous {}

  public record Found(String id, MetricSummary metric) implements Lookup {}

  /** @param message says which metrics exist, with a did-you-mean where one is close */
  public record Missing(String message) implements Lookup {}

  public record Ambiguous(List<String> candidates, String message) implements Lookup {}

  public Lookup find(String ref) {
    MetricSummary exact = byId.get(ref);
    if (exact != null) {
      return new Found(ref, exact);
    }
    List<String> matches = new ArrayList<>();
    for (Map.Entry<String, MetricSummary> e : byId.entrySet()) {
      if (matches(ref, e.getValue())) {
        matches.add(e.getKey());
      }
    }
    if (matches.size() == 1) {
      return new Found(matches.get(0), byId.get(matches.get(0)));
    }
    if (matches.size() > 1) {
      return new Ambiguous(List.copyOf(matches), "'" + ref + "' matches " + matches.size() + " metrics: "
          + list(matches) + "; name one as task/output/name");
    }
    if (byId.isEmpty()) {
      return new Missing("no metric '" + ref + "': the run has no metrics (did its tasks log any to a Metrics output?)");
    }
    List<String> names = new ArrayList<>(byId.keySet());
    byId.values().forEach(m -> names.add(m.name()));
    String hint = Suggestions.didYouMean(ref, names);
    return new Missing("no metric '" + ref + "' in the run" + (hint.isEmpty() ? "" : "; " + hint)
        + " (the run has " + list(new ArrayList<>(byId.keySet())) + ")");
  }

  private static boolean matches(String ref, MetricSummary m) {
    if (m.name().equals(ref)) {
      return true;
    }
    String task = m.taskId();
    if (task.isEmpty()) {
      return false;
    }
    return ref.equals(task + "/" + m.name());
  }

  private static String list(List<String> ids) {
    if (ids.size() <= LISTED) {
      return String.join(", ", ids);
    }
    return String.join(", ", ids.subList(0, LISTED)) + " and " + (ids.size() - LISTED) + " more";
  }
}
