package io.kfpci.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The run report: one self-contained HTML page per run (DAG as SVG, states, metrics, artifacts,
 * trends). Shared by `kfpci report`, `kfpci run --local` and the Jenkins run view.
 */
public final class RunReportPage {
  private RunReportPage() {}

  /**
   * Renders the page for {@code summary}; {@code history} holds earlier summaries of the same
   * pipeline, oldest first, for the trend charts.
   */
  public static String render(RunSummary summary, List<RunSummary> history) {
    throw new UnsupportedOperationException("the run report page is being built (issue: run report and run view)");
  }

  /** Renders and writes the page; returns {@code out}. */
  public static Path write(RunSummary summary, List<RunSummary> history, Path out) throws IOException {
    java.nio.file.Files.createDirectories(out.toAbsolutePath().getParent());
    java.nio.file.Files.writeString(out, render(summary, history), java.nio.charset.StandardCharsets.UTF_8);
    return out;
  }
}
