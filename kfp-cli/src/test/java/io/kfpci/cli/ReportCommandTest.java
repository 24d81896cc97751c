package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.MetricSummary;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void writesTheReportBesideTheSummary() throws Exception {
    Path summary = dir.resolve("kfp-runs/p/run-3/summary.json");
    RunSummaryJson.write(run("run-3", 3, 0.91), summary);

    assertThat(kfpci("report", summary.toString())).isZero();

    Path report = dir.resolve("kfp-runs/p/run-3/report.html");
    assertThat(out.toString()).isEqualTo("report written to " + report + "\n");
    assertThat(err.toString()).isEmpty();
    assertThat(Files.readString(report)).contains("<title>p \u00b7 succeeded \u00b7 run run-3</title>",
        "data-task=\"evaluate\" data-state=\"SUCCEEDED\"", "data-metric=\"accuracy\"", "data-artifact=\"model\"")
        .doesNotContain("id=\"trends\"");
  }

  @Test
  void drawsTrendsFromTheHistoryDirectory() throws Exception {
    Path runs = dir.resolve("kfp-runs/p");
    RunSummaryJson.write(run("run-1", 1, 0.85), runs.resolve("run-1/summary.json"));
    RunSummaryJson.write(run("run-2", 2, 0.88), runs.resolve("run-2/summary.json"));
    Path summary = runs.resolve("run-3/summary.json");
    RunSummaryJson.write(run("run-3", 3, 0.91), summary);
    // The other JSON files of run directories are not summaries: no warning for them.
    Files.writeString(runs.resolve("run-1/spec.json"), "{\"pipeline\": \"pipeline.yaml\", \"run_id\": \"run-1\"}");
    Files.createDirectories(runs.resolve("run-1/train"));
    Files.writeString(runs.resolve("run-1/train/executor_output.json"), "{\"parameterValues\": {}}");
    Files.writeString(runs.resolve("run-0.json"), "[]");
    Files.writeString(runs.resolve("notes.json"), "not json at all");
    // A summary that cannot be read is worth a warning.
    Files.createDirectories(runs.resolve("run-9"));
    Files.writeString(runs.resolve("run-9/summary.json"), "{\"format_version\": 1}");
    Path report = dir.resolve("out/report.html");

    assertThat(kfpci("report", summary.toString(), "--history", runs.toString(), "-o", report.toString())).isZero();

    assertThat(out.toString()).isEqualTo("history: 2 earlier runs of p in " + runs + "\nreport written to " + report + "\n");
    assertThat(err.toString()).isEqualTo("warning: skipped " + runs.resolve("run-9/summary.json")
        + ": not a valid run summary: line 1, column 21: field 'pipeline_name' is missing or invalid\n");
    String page = Files.readString(report);
    assertThat(page).contains("this run and 2 earlier runs", "data-run=\"run-1\"", "data-run=\"run-2\"",
        "class=\"pt current\"", "+0.03 vs previous run");
  }

  @Test
  void aBrokenSummaryIsAnErrorNamingTheFile() throws Exception {
    Path summary = dir.resolve("summary.json");
    Files.writeString(summary, "{\"format_version\": 1,\n \"pipeline_name\": 7,\n \"run_id\": }");

    assertThat(kfpci("report", summary.toString())).isEqualTo(1);

    assertThat(err.toString()).startsWith("error: " + summary + ": not a valid run summary: ").contains("line 3, column ")
        .hasLineCount(1);
    assertThat(Files.exists(dir.resolve("report.html"))).isFalse();
  }

  @Test
  void aMissingSummaryOrHistoryIsAnError() throws Exception {
    assertThat(kfpci("report", dir.resolve("none.json").toString())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("error: " + dir.resolve("none.json")
        + ": no such run summary; a run writes it as summary.json in its run directory\n");

    Path summary = dir.resolve("summary.json");
    RunSummaryJson.write(run("run-3", 3, 0.91), summary);
    err.getBuffer().setLength(0);
    assertThat(kfpci("report", summary.toString(), "--history", dir.resolve("gone").toString())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("error: history directory " + dir.resolve("gone")
        + " does not exist or is not a directory\n");
  }

  private int kfpci(String... args) {
    CliRun run = CliRun.of(args);
    out.write(run.out());
    err.write(run.err());
    return run.exitCode();
  }

  private static RunSummary run(String runId, int day, double accuracy) {
    Instant start = Instant.parse("2025-06-0" + day + "T10:00:00Z");
    TaskSummary evaluate = new TaskSummary("evaluate", "evaluate", "", "comp-evaluate", "container", null,
        RuntimeState.SUCCEEDED, start, start.plusSeconds(5), 1, false, "python:3.11-slim", List.of(), Map.of(),
        List.of(new ArtifactSummary("model", "system.Model", "evaluate/model", "evaluate/model", 10, null, Map.of(), "evaluate")),
        List.of(new MetricSummary("evaluate", "metrics", "accuracy", accuracy)), "", List.of("done"), 0, null);
    return new RunSummary(1, "p", runId, RuntimeState.SUCCEEDED, start, start, start.plusSeconds(6), Map.of(),
        new RunSummary.Location("local", "kfp-runs/p/" + runId, null), null, List.of(evaluate), List.of());
  }
}
