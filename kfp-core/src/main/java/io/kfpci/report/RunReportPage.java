package io.kfpci.report;

import io.kfpci.report.internal.ReportHtml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The run report: one self-contained HTML page per run (the DAG as SVG, states, metrics,
 * artifacts, trends). Shared by {@code kfpci report}, {@code kfpci run --local} and the Jenkins
 * run view.
 *
 * <p>The page runs no script and loads nothing: its one stylesheet is embedded and allowed by
 * hash in the page's own Content-Security-Policy, so it renders the same from a file, an archived
 * artifact or a Jenkins view. Every text taken from the summary is escaped. The output depends
 * only on the arguments (no clock, no locale), so the same summary gives the same bytes.
 * Thread-safe: every call builds its own page.
 */
public final class RunReportPage {
  /** The file name of the report in a run directory (docs/run-summary.md). */
  public static final String FILE_NAME = "report.html";

  private RunReportPage() {}

  /**
   * Renders the page for {@code summary}; {@code history} holds earlier summaries of the same
   * pipeline for the trend charts (any order; other pipelines and the run itself are ignored).
   */
  public static String render(RunSummary summary, List<RunSummary> history) {
    return ReportHtml.render(summary, history);
  }

  /** Renders and writes the page (UTF-8); returns {@code out}. */
  public static Path write(RunSummary summary, List<RunSummary> history, Path out) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(out, render(summary, history), StandardCharsets.UTF_8);
    return out;
  }
}
