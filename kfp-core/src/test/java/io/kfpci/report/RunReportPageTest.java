package io.kfpci.report;

import static io.kfpci.report.SummaryFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page as text: what it may contain and what it must not, whatever the summary says. */
class RunReportPageTest {
  @Test
  void thePageIsSelfContainedAndAllowsOnlyItsOwnStylesheet() throws Exception {
    String page = RunReportPage.render(SummaryFixtures.seedRun(), List.of(SummaryFixtures.earlierSeedRun(1, 0.9, 0.9)));
    assertThat(page).startsWith("<!DOCTYPE html>").doesNotContainIgnoringCase("<script")
        .doesNotContainIgnoringCase("<link").doesNotContainIgnoringCase("<img").doesNotContainIgnoringCase("<iframe")
        .doesNotContainIgnoringCase("@import").doesNotContainIgnoringCase(" src=").doesNotContain(" style=")
        .doesNotContainIgnoringCase("http:").doesNotContainIgnoringCase("https:")
        .doesNotContainPattern("(?i)<[^>]*\\son[a-z]+\\s*=");
    assertThat(count(page, "<style>")).isEqualTo(1);
    // Only internal references: the arrowhead marker and the icon symbols.
    Matcher urls = Pattern.compile("url\\(([^)]*)\\)").matcher(page);
    while (urls.find()) {
      assertThat(urls.group(1)).isEqualTo("#arrow");
    }
    Matcher hrefs = Pattern.compile(" href=\"([^\"]*)\"").matcher(page);
    while (hrefs.find()) {
      assertThat(hrefs.group(1)).matches("#[a-z-]+|[a-z0-9_\\-/]+");
    }
    String css = page.substring(page.indexOf("<style>") + 7, page.indexOf("</style>"));
    String hash = Base64.getEncoder().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(css.getBytes(StandardCharsets.UTF_8)));
    assertThat(page).contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-"
        + hash + "'; img-src data:; base-uri 'none'; form-action 'none'\">");
  }

  @Test
  void theSameSummaryGivesTheSameBytes() throws Exception {
    RunSummary seed = SummaryFixtures.seedRun();
    String page = RunReportPage.render(seed, List.of());
    assertThat(RunReportPage.render(seed, List.of())).isEqualTo(page);
    assertThat(RunReportPage.render(RunSummaryJson.fromJson(RunSummaryJson.toJson(seed), "again"), List.of())).isEqualTo(page);
  }

  @Test
  void hostileTextIsEscapedEverywhere() throws Exception {
    String page = RunReportPage.render(SummaryFixtures.hostileRun(), List.of());
    assertThat(page).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<img")
        .doesNotContain("<i>", "<b>", "<x>", "\u0000").doesNotContain("href=\"javascript");
    assertThat(page).contains("pre&lt;script&gt;alert(1)&lt;/script&gt;process",
        "train&quot;&gt;&lt;img src=x onerror=alert(2)&gt;", "&lt;/pre&gt;&lt;script&gt;alert(3)&lt;/script&gt;\ufffd",
        "&quot;&#39;&gt;&lt;script&gt;alert(5)&lt;/script&gt;", "&lt;script&gt;alert(7)&lt;/script&gt;");
    assertThat(page.getBytes(StandardCharsets.UTF_8).length).as("long strings are cut").isLessThan(400_000);
  }

  @Test
  void aRunningRunShowsWhatIsKnownSoFar() {
    RunSummary running = SummaryFixtures.summary("p", RuntimeState.RUNNING, List.of(
        task("a").build(), task("b").data("a").state(RuntimeState.RUNNING).build(),
        task("c").data("b").state(RuntimeState.PENDING).build()));
    String page = RunReportPage.render(running, List.of());
    assertThat(page).contains("<dt>Duration</dt><dd>still running</dd>", "data-task=\"b\" data-state=\"RUNNING\"",
        "data-task=\"c\" data-state=\"PENDING\"", "3: 1 succeeded, 1 running, 1 pending");
  }

  @Test
  void aRunWithoutTasksStillRenders() {
    String page = RunReportPage.render(SummaryFixtures.summary("p", RuntimeState.PENDING, List.of()), List.of());
    assertThat(page).contains("No task has started yet.", "No task logged a metric.", "No task wrote an artifact.")
        .doesNotContain("<svg class=\"dag\"");
  }

  @Test
  void failedGatesShowOnTheirMetrics() {
    RunSummary run = SummaryFixtures.seedRun();
    run = new RunSummary(1, run.pipelineName(), run.runId(), run.state(), run.createdAt(), run.startedAt(),
        run.finishedAt(), run.parameters(), run.location(), null, run.tasks(),
        List.of(new GateResult("evaluate.test_f1", "test_f1 >= 0.95", 0.9023, false, "0.9023 < 0.95")));
    String page = RunReportPage.render(run, List.of());
    Matcher row = Pattern.compile("<tr data-task=\"evaluate\" data-output=\"metrics\" data-metric=\"test_f1\">.*?</tr>").matcher(page);
    assertThat(row.find()).isTrue();
    assertThat(row.group()).contains("data-gate=\"failed\"", "failed: test_f1 &gt;= 0.95");
    assertThat(page).contains("1 of 1 failed");
  }

  @Test
  void trendsComeFromEarlierRunsOfTheSamePipelineOnly() {
    RunSummary seed = SummaryFixtures.seedRun();
    RunSummary other = SummaryFixtures.summary("another-pipeline", RuntimeState.SUCCEEDED, List.of(
        task("evaluate").metric("metrics", "test_accuracy", 0.1).build()));
    String withHistory = RunReportPage.render(seed, List.of(SummaryFixtures.earlierSeedRun(1, 0.897, 0.893),
        other, seed, SummaryFixtures.earlierSeedRun(2, 0.902, 0.881)));
    Matcher figure = Pattern.compile("<figure class=\"trend\" data-task=\"evaluate\" data-output=\"metrics\" "
        + "data-metric=\"test_accuracy\">.*?</figure>", Pattern.DOTALL).matcher(withHistory);
    assertThat(figure.find()).isTrue();
    // Oldest first, this run last and marked.
    assertThat(Pattern.compile("data-run=\"([^\"]+)\"").matcher(figure.group()).results().map(m -> m.group(1)).toList())
        .containsExactly("run-earlier-2", "run-earlier-1", seed.runId());
    assertThat(figure.group()).contains("class=\"pt current\"", "(this run)", "+0.018 vs previous run");
    assertThat(withHistory).contains("this run and 2 earlier runs");
    assertThat(RunReportPage.render(seed, List.of())).doesNotContain("id=\"trends\"");
  }

  @Test
  void writeCreatesTheDirectory(@TempDir Path dir) throws Exception {
    Path out = RunReportPage.write(SummaryFixtures.seedRun(), List.of(), dir.resolve("a/b/report.html"));
    assertThat(Files.readString(out)).isEqualTo(RunReportPage.render(SummaryFixtures.seedRun(), List.of()));
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
