package io.jenkins.plugins.kfp.view;

import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.kfp.Messages;
import io.kfpci.monitor.MetricTrend;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The job-level view of metrics across builds: one small line chart per metric, drawn as SVG on
 * the server so the page needs no script. Read from the {@link KfpRunAction}s of the last
 * {@link #MAX_BUILDS} builds; nothing is stored.
 */
public class KfpTrendAction implements Action {
  static final int MAX_BUILDS = 30;
  static final int CHART_WIDTH = 320;
  static final int CHART_HEIGHT = 60;

  private final Job<?, ?> job;

  public KfpTrendAction(Job<?, ?> job) {
    this.job = job;
  }

  public Job<?, ?> getJob() {
    return job;
  }

  @Override
  public String getIconFileName() {
    return KfpRunAction.ICON;
  }

  @Override
  public String getDisplayName() {
    return Messages.KfpTrendAction_DisplayName();
  }

  @Override
  public String getUrlName() {
    return "kfp-trend";
  }

  public int getChartWidth() {
    return CHART_WIDTH;
  }

  public int getChartHeight() {
    return CHART_HEIGHT;
  }

  /** A metric value as the page shows it. */
  public String format(double value) {
    return io.kfpci.monitor.RunDigest.formatNumber(value);
  }

  /** Metrics of the last runs, oldest first; a build with several runs contributes its last one. */
  public MetricTrend getTrend() {
    List<MetricTrend.Point> points = new ArrayList<>();
    for (KfpRunAction run : getRuns()) {
      points.add(new MetricTrend.Point(run.getRun().getDisplayName(), run.getMetrics()));
    }
    return MetricTrend.of(points);
  }

  /**
   * The run each of the last builds contributes (its last), oldest first: local and remote runs
   * alike, so the page can say where each ran and how it ended next to the trend.
   */
  public List<KfpRunAction> getRuns() {
    List<KfpRunAction> out = new ArrayList<>();
    for (Run<?, ?> build = job.getLastBuild(); build != null && out.size() < MAX_BUILDS;
        build = build.getPreviousBuild()) {
      List<KfpRunAction> runs = build.getActions(KfpRunAction.class);
      if (!runs.isEmpty()) {
        out.add(runs.get(runs.size() - 1));
      }
    }
    Collections.reverse(out);
    return out;
  }
}
