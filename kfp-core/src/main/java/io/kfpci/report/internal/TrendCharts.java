package io.kfpci.report.internal;

import io.kfpci.report.MetricSummary;
import io.kfpci.report.RunSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Line charts of each metric across earlier runs of the pipeline, the current run marked. A
 * metric is identified by task id, output and name, so {@code evaluate/metrics/test_accuracy}
 * of every run forms one series; a run without it leaves a gap.
 */
public final class TrendCharts {
  /** Charts beyond this many would bury the page; the rest are counted in a note. */
  public static final int MAX_CHARTS = 24;
  /** Earlier runs shown per chart (the most recent ones). */
  public static final int MAX_RUNS = 30;

  static final double WIDTH = 320;
  static final double HEIGHT = 140;
  private static final double LEFT = 52;
  private static final double RIGHT = 14;
  private static final double TOP = 12;
  private static final double BOTTOM = 24;

  /** Identifies a metric across runs. */
  public record Key(String taskId, String output, String name) {
    static Key of(MetricSummary m) {
      return new Key(m.taskId(), m.output(), m.name());
    }
  }

  private TrendCharts() {}

  /** The metric keys of the current run that get a chart: gated metrics first, then the run's order. */
  public static List<Key> keys(RunSummary current, GateIndex gates) {
    LinkedHashMap<Key, Boolean> keys = new LinkedHashMap<>();
    current.metrics().forEach(m -> keys.putIfAbsent(Key.of(m), true));
    List<Key> ordered = new ArrayList<>();
    keys.keySet().stream().filter(k -> gates.verdict(k.taskId(), k.output(), k.name()) != null).forEach(ordered::add);
    keys.keySet().stream().filter(k -> gates.verdict(k.taskId(), k.output(), k.name()) == null).forEach(ordered::add);
    return List.copyOf(ordered);
  }

  /**
   * Writes one {@code <figure>} per metric; {@code runs} are the earlier runs, oldest first,
   * already limited to {@link #MAX_RUNS}.
   */
  public static void write(RunSummary current, List<RunSummary> runs, GateIndex gates, StringBuilder out) {
    List<Key> keys = keys(current, gates);
    List<Map<Key, Double>> values = new ArrayList<>();
    for (RunSummary run : runs) {
      values.add(valuesOf(run));
    }
    Map<Key, Double> now = valuesOf(current);
    out.append("<div class=\"trends\">\n");
    for (Key key : keys.subList(0, Math.min(keys.size(), MAX_CHARTS))) {
      List<Double> series = new ArrayList<>();
      values.forEach(v -> series.add(v.get(key)));
      series.add(now.get(key));
      chart(key, series, runs, current, gates, out);
    }
    out.append("</div>\n");
    if (keys.size() > MAX_CHARTS) {
      out.append("<p class=\"note\">").append(keys.size() - MAX_CHARTS)
          .append(" more metrics have no chart here; the metrics table lists them all.</p>\n");
    }
  }

  private static Map<Key, Double> valuesOf(RunSummary run) {
    Map<Key, Double> values = new LinkedHashMap<>();
    run.metrics().forEach(m -> values.putIfAbsent(Key.of(m), m.value()));
    return values;
  }

  private static void chart(Key key, List<Double> series, List<RunSummary> runs, RunSummary current,
      GateIndex gates, StringBuilder out) {
    double current0 = series.get(series.size() - 1);
    Double previous = null;
    for (int i = series.size() - 2; i >= 0 && previous == null; i--) {
      previous = series.get(i);
    }
    out.append("<figure class=\"trend\" data-task=\"").append(Html.attr(key.taskId()))
        .append("\" data-output=\"").append(Html.attr(key.output()))
        .append("\" data-metric=\"").append(Html.attr(key.name())).append("\">\n<figcaption>");
    Html.append(out, Html.shorten(key.taskId() + " \u00b7 " + key.output() + " \u00b7 ", 300)).append("<b>");
    Html.append(out, Html.shorten(key.name(), 300)).append("</b> = <b>").append(Format.number(current0)).append("</b>");
    if (previous != null) {
      double delta = current0 - previous;
      out.append(" <span class=\"note\">(").append(delta >= 0 ? "+" : "").append(Format.number(delta))
          .append(" vs previous run)</span>");
    }
    GateIndex.Verdict verdict = gates.verdict(key.taskId(), key.output(), key.name());
    if (verdict != null) {
      out.append(' ');
      verdict.badge(out);
    }
    out.append("</figcaption>\n");
    svg(series, runs, current, out);
    out.append("</figure>\n");
  }

  private static void svg(List<Double> series, List<RunSummary> runs, RunSummary current, StringBuilder out) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Double v : series) {
      if (v != null && Double.isFinite(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    if (min > max) {
      min = 0;
      max = 1;
    }
    if (min == max) {
      double pad = Math.abs(min) > 0 ? Math.abs(min) * 0.05 : 1;
      min -= pad;
      max += pad;
    }
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    int n = series.size();
    double step = n > 1 ? plotW / (n - 1) : 0;
    out.append("<svg viewBox=\"0 0 ").append(Svg.num(WIDTH)).append(' ')
        .append(Svg.num(HEIGHT)).append("\" width=\"").append(Svg.num(WIDTH)).append("\" height=\"")
        .append(Svg.num(HEIGHT)).append("\" role=\"img\" font-family=\"sans-serif\" font-size=\"10\">\n");
    out.append("<title>").append(n - 1).append(n == 2 ? " earlier run" : " earlier runs").append(" and this run</title>\n");
    // Axes and the min/max guides.
    line(out, LEFT, TOP, LEFT, TOP + plotH);
    line(out, LEFT, TOP + plotH, LEFT + plotW, TOP + plotH);
    label(out, "", LEFT - 6, TOP + 4, "end", Format.number(max));
    label(out, "", LEFT - 6, TOP + plotH, "end", Format.number(min));
    label(out, "", LEFT, HEIGHT - 6, "start", n > 1 ? (n - 1) + (n == 2 ? " run ago" : " runs ago") : "");
    label(out, "now", LEFT + plotW, HEIGHT - 6, "end", "this run");
    StringBuilder path = new StringBuilder();
    boolean pen = false;
    for (int i = 0; i < n; i++) {
      Double v = series.get(i);
      if (v == null || !Double.isFinite(v)) {
        pen = false;
        continue;
      }
      double x = n > 1 ? LEFT + i * step : LEFT + plotW;
      double y = TOP + plotH - (v - min) / (max - min) * plotH;
      path.append(pen ? " L" : (path.length() == 0 ? "M" : " M")).append(Svg.num(x)).append(' ').append(Svg.num(y));
      pen = true;
    }
    if (path.length() > 0) {
      out.append("<path class=\"series\" d=\"").append(path).append("\" fill=\"none\" stroke=\"#0969da\" stroke-width=\"1.8\"/>\n");
    }
    for (int i = 0; i < n; i++) {
      Double v = series.get(i);
      if (v == null || !Double.isFinite(v)) {
        continue;
      }
      boolean isCurrent = i == n - 1;
      RunSummary run = isCurrent ? current : runs.get(i);
      double x = n > 1 ? LEFT + i * step : LEFT + plotW;
      double y = TOP + plotH - (v - min) / (max - min) * plotH;
      out.append("<circle class=\"pt").append(isCurrent ? " current" : "").append("\" cx=\"").append(Svg.num(x))
          .append("\" cy=\"").append(Svg.num(y)).append("\" r=\"").append(isCurrent ? "5" : "3")
          .append("\" fill=\"").append(isCurrent ? "#0969da" : "#fff").append("\" stroke=\"#0969da\" data-run=\"")
          .append(Html.attr(run.runId())).append("\"><title>");
      Html.append(out, Html.shorten(run.runId(), 200)).append(isCurrent ? " (this run)" : "")
          .append(run.createdAt() == null ? "" : ", " + Format.time(run.createdAt()))
          .append(": ").append(Format.number(v)).append("</title></circle>\n");
    }
    out.append("</svg>\n");
  }

  private static void line(StringBuilder out, double x1, double y1, double x2, double y2) {
    out.append("<line class=\"axis\" x1=\"").append(Svg.num(x1)).append("\" y1=\"").append(Svg.num(y1))
        .append("\" x2=\"").append(Svg.num(x2)).append("\" y2=\"").append(Svg.num(y2)).append("\" stroke=\"#d1d9e0\"/>\n");
  }

  private static void label(StringBuilder out, String cls, double x, double y, String anchor, String text) {
    out.append("<text").append(cls.isEmpty() ? "" : " class=\"" + cls + "\"").append(" x=\"").append(Svg.num(x))
        .append("\" y=\"").append(Svg.num(y)).append("\" text-anchor=\"").append(anchor).append("\">");
    Html.append(out, text).append("</text>\n");
  }
}
