package io.kfpci.cli;

import io.kfpci.report.RunHistory;
import io.kfpci.report.RunReportPage;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kfpci report SUMMARY.json}: the run report page, from any run summary. */
@Command(name = "report", description = "Render a run summary as one self-contained HTML page: "
    + "the graph with task states, tasks, metrics, artifacts and, with --history, trends.")
final class ReportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "SUMMARY.json", description = "The run summary (docs/run-summary.md).")
  Path summaryFile;

  @Option(names = "--history", paramLabel = "DIR",
      description = "Earlier run summaries of the pipeline for the trend charts: every summary.json (and archived"
          + " summary *.json) up to " + RunHistory.MAX_DEPTH + " levels down, e.g. kfp-runs/<pipeline>.")
  Path historyDir;

  @Option(names = {"-o", "--output"}, paramLabel = "report.html",
      description = "Where to write the page (default: report.html beside the summary, which replaces the page"
          + " the runner wrote there).")
  Path output;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(summaryFile)) {
      throw new NoSuchFileException(summaryFile.toString(), null, Files.isDirectory(summaryFile)
          ? "is a directory; give the run's summary.json (kfp-runs/<pipeline>/<run-id>/summary.json)"
          : "no such run summary; a run writes it as summary.json in its run directory");
    }
    RunSummary summary = RunSummaryJson.read(summaryFile);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<RunSummary> history = List.of();
    if (historyDir != null) {
      RunHistory.Loaded loaded = RunHistory.load(historyDir, summary.pipelineName(), summary.runId());
      loaded.warnings().forEach(w -> err.println("warning: " + w));
      history = loaded.runs();
      out.println("history: " + history.size() + (history.size() == 1 ? " earlier run" : " earlier runs")
          + " of " + summary.pipelineName() + " in " + historyDir
          + (loaded.otherPipelines() > 0 ? " (" + loaded.otherPipelines() + " of other pipelines left out)" : ""));
    }
    Path target = output != null ? output : siblingOf(summaryFile);
    RunReportPage.write(summary, history, target);
    out.println("report written to " + target);
    return ExitCodes.OK;
  }

  private static Path siblingOf(Path file) {
    Path dir = file.getParent();
    return dir == null ? Path.of(RunReportPage.FILE_NAME) : dir.resolve(RunReportPage.FILE_NAME);
  }
}
