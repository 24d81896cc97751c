package io.kfpci.monitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Metrics across runs (one point per build), laid out for small server-side SVG line charts: no
 * script is needed to draw them, so they render under a strict Content-Security-Policy. Immutable.
 *
 * @param labels one label per point, oldest first (e.g. "#12")
 * @param series one series per metric name, in first-seen order
 */
public record MetricTrend(List<String> labels, List<Series> series) {

  public MetricTrend {
    labels = List.copyOf(labels);
    series = List.copyOf(series);
  }

  /** One run's metrics: {@code label} names the run (e.g. a build number). */
  public record Point(String label, Map<String, Double> metrics) {
    public Point {
      Objects.requireNonNull(label, "label");
      metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
  }

  /**
   * One metric over the runs.
   *
   * @param values one per label; null where that run did not log the metric
   */
  public record Series(String name, List<Double> values, double min, double max) {
    public Series {
      Objects.requireNonNull(name, "name");
      values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
    }

    /** The newest value, or null when the newest run did not log it. */
    public Double last() {
      return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    /**
     * The points of an SVG {@code polyline} in a {@code width} x {@code height} box, y growing
     * downwards: "x,y x,y ...". Runs without the metric are skipped; a constant series is drawn
     * at mid-height.
     */
    public String polyline(int width, int height) {
      List<String> points = new ArrayList<>();
      int n = values.size();
      for (int i = 0; i < n; i++) {
        Double value = values.get(i);
        if (value == null || value.isNaN() || value.isInfinite()) {
          continue;
        }
        double x = n == 1 ? width / 2.0 : (double) i * width / (n - 1);
        double y = max == min ? height / 2.0 : height - (value - min) / (max - min) * height;
        points.add(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
      }
      return String.join(" ", points);
    }
  }

  /** Builds the trend from points given oldest first. */
  public static MetricTrend of(List<Point> points) {
    Set<String> names = new LinkedHashSet<>();
    points.forEach(p -> names.addAll(p.metrics().keySet()));
    List<Series> series = new ArrayList<>();
    for (String name : names) {
      List<Double> values = new ArrayList<>();
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (Point point : points) {
        Double value = point.metrics().get(name);
        values.add(value);
        if (value != null && !value.isNaN() && !value.isInfinite()) {
          min = Math.min(min, value);
          max = Math.max(max, value);
        }
      }
      if (min > max) {
        min = 0;
        max = 0;
      }
      series.add(new Series(name, values, min, max));
    }
    return new MetricTrend(points.stream().map(Point::label).toList(), series);
  }
}
