package io.kfpci.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;

/**
 * The report in a real browser: headless Chromium renders the page from a file, and the tests
 * read the DOM as a reader would see it. Screenshots (light and dark) go to
 * target/report-browser/ for people to look at.
 */
class RunReportBrowserTest {
  private static final Path OUT = Path.of("target", "report-browser");

  @TempDir static Path profile;
  private static HeadlessChromium chromium;

  @BeforeEach
  void startBrowser() {
    // Started once for the class, from the first test, so that a missing browser skips (or,
    // in CI, fails) each test visibly rather than the class silently.
    if (chromium == null) {
      chromium = HeadlessChromium.start(profile);
    }
  }

  @AfterAll
  static void stopBrowser() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  void seedRunShowsItsTasksStatesMetricsAndArtifacts() throws Exception {
    RunSummary seed = SummaryFixtures.seedRun();
    List<RunSummary> history = List.of(SummaryFixtures.earlierSeedRun(4, 0.871, 0.852),
        SummaryFixtures.earlierSeedRun(3, 0.889, 0.874), SummaryFixtures.earlierSeedRun(2, 0.902, 0.881),
        SummaryFixtures.earlierSeedRun(1, 0.897, 0.893));
    Path page = RunReportPage.write(seed, history, OUT.resolve("ml-training-pipeline/report.html"));
    chromium.open(page);
    var driver = chromium.driver();

    assertThat(driver.findElements(By.tagName("script"))).isEmpty();
    assertThat(driver.findElement(By.cssSelector("h1 .pipeline")).getText()).isEqualTo("ml-training-pipeline");
    assertThat(driver.findElement(By.id("run-state")).getText()).isEqualTo("succeeded");
    // The one stylesheet was allowed by the page's CSP: the state pill has its colour.
    assertThat(driver.findElement(By.id("run-state")).getCssValue("background-color")).isEqualTo("rgba(238, 251, 241, 1)");

    Map<String, String> nodes = new LinkedHashMap<>();
    Map<String, String> texts = new LinkedHashMap<>();
    for (WebElement node : driver.findElements(By.cssSelector("svg.dag g.node"))) {
      nodes.put(node.getDomAttribute("data-task"), node.getDomAttribute("data-state"));
      texts.put(node.getDomAttribute("data-task"), words(node.getDomProperty("textContent")));
    }
    // Each box: its tooltip, then its name and state line as drawn.
    assertThat(texts).containsExactlyInAnyOrderEntriesOf(Map.of(
        "preprocess", "preprocess: succeeded \u00b7 8.7s preprocess succeeded \u00b7 8.7s",
        "train", "train: succeeded \u00b7 11s train succeeded \u00b7 11s",
        "evaluate", "evaluate: succeeded \u00b7 5.6s evaluate succeeded \u00b7 5.6s",
        "condition-1", "condition-1: condition-1 \u00b7 condition \u00b7 succeeded condition-1 \u00b7 condition \u00b7 succeeded",
        "condition-1/deploy-model", "condition-1/deploy-model: succeeded \u00b7 3.6s deploy-model succeeded \u00b7 3.6s"));
    assertThat(nodes).containsExactlyInAnyOrderEntriesOf(Map.of(
        "preprocess", "SUCCEEDED", "train", "SUCCEEDED", "evaluate", "SUCCEEDED",
        "condition-1", "SUCCEEDED", "condition-1/deploy-model", "SUCCEEDED"));
    assertThat(driver.findElements(By.cssSelector("svg.dag path.edge")).stream()
        .map(e -> e.getDomAttribute("data-from") + "->" + e.getDomAttribute("data-to")).toList())
        .containsExactlyInAnyOrder("preprocess->train", "preprocess->evaluate", "train->evaluate",
            "evaluate->condition-1", "train->condition-1");
    // The graph is laid out left to right: each task's box starts right of the boxes it waited for.
    assertThat(box(driver, "train").getRect().getX()).isGreaterThan(box(driver, "preprocess").getRect().getX());
    assertThat(box(driver, "evaluate").getRect().getX()).isGreaterThan(box(driver, "train").getRect().getX());

    assertThat(rows(driver, "table.tasks tbody tr", "data-task", "data-state")).containsExactly(
        Map.entry("preprocess", "SUCCEEDED"), Map.entry("train", "SUCCEEDED"), Map.entry("evaluate", "SUCCEEDED"),
        Map.entry("condition-1", "SUCCEEDED"), Map.entry("condition-1/deploy-model", "SUCCEEDED"));

    WebElement accuracy = driver.findElement(By.cssSelector("table.metrics tr[data-metric='test_accuracy']"));
    assertThat(accuracy.findElement(By.cssSelector("td.value")).getText()).isEqualTo("0.915");
    assertThat(accuracy.getText()).isEqualTo("evaluate metrics test_accuracy 0.915\npassed: test_accuracy >= 0.8");
    WebElement f1 = driver.findElement(By.cssSelector("table.metrics tr[data-metric='test_f1']"));
    assertThat(f1.findElement(By.cssSelector("td.value")).getText()).isEqualTo("0.9023");
    assertThat(f1.getText()).isEqualTo("evaluate metrics test_f1 0.9023\npassed: evaluate.metrics.test_f1 >= 0.85");

    assertThat(rows(driver, "table.artifacts tbody tr", "data-artifact", "data-task")).containsExactly(
        Map.entry("train_data", "preprocess"), Map.entry("test_data", "preprocess"), Map.entry("data_stats", "preprocess"),
        Map.entry("model", "train"), Map.entry("training_metrics", "train"), Map.entry("metrics", "evaluate"),
        Map.entry("deployment", "condition-1/deploy-model"));
    WebElement model = driver.findElement(By.cssSelector("table.artifacts tr[data-artifact='model']"));
    assertThat(model.getText()).isEqualTo("model Model train/model 1.7 MiB"
        + " 984891334b88968061c126e0c237ea916bfb87ba5ea8c1d4574d5d25b9fcc7ff train");

    WebElement trend = driver.findElement(By.cssSelector("figure.trend[data-metric='test_accuracy']"));
    assertThat(trend.findElements(By.cssSelector("circle.pt"))).hasSize(5);
    assertThat(trend.findElements(By.cssSelector("circle.pt.current"))).hasSize(1);
    assertThat(trend.getText()).isEqualTo("evaluate \u00b7 metrics \u00b7 test_accuracy = 0.915 (+0.018 vs previous run)\n"
        + "passed: test_accuracy >= 0.8\n0.915\n0.871\n4 runs ago\nthis run");

    assertThat(severe(chromium.consoleLog())).isEmpty();
    chromium.screenshot(OUT.resolve("ml-training-pipeline.png"));
    chromium.screenshot(driver.findElement(By.id("graph")), OUT.resolve("ml-training-pipeline-graph.png"));
    chromium.colorScheme("dark");
    chromium.screenshot(OUT.resolve("ml-training-pipeline-dark.png"));
    // Dark colours come from the stylesheet: the page background follows the reader's setting.
    assertThat(driver.findElement(By.tagName("body")).getCssValue("background-color")).isEqualTo("rgba(13, 17, 23, 1)");
    chromium.media("print");
    // Printed: light colours, no navigation, the graph whole (scaled to the page, not scrolled).
    assertThat(driver.findElement(By.tagName("body")).getCssValue("background-color")).isEqualTo("rgba(255, 255, 255, 1)");
    assertThat(driver.findElement(By.tagName("nav")).isDisplayed()).isFalse();
    assertThat(driver.findElement(By.cssSelector("div.graph")).getCssValue("overflow")).isEqualTo("visible");
    chromium.screenshot(OUT.resolve("ml-training-pipeline-print.png"));
    chromium.media("");
    chromium.colorScheme("light");
  }

  /**
   * The seed pipeline really run: examples/ml_training_pipeline.py compiled with the real kfp and
   * run by the local runner on the shipped CSV (pandas and scikit-learn, fixed seeds), then the
   * report the runner wrote, read in the browser.
   */
  @Test
  void reportOfARealSeedRunShowsItsTasksMetricsAndArtifacts(@TempDir Path root) throws Exception {
    Path repo = io.kfpci.testing.RepoPaths.repoRoot();
    RunSummary run = io.kfpci.local.LocalRunner.prepare(io.kfpci.local.LocalRunSpec.builder()
            .pipeline(repo.resolve("examples/ml_training_pipeline.py"))
            .parameters(Map.of("data_path", repo.resolve("examples/data/training.csv").toString()))
            .pipelineRoot(root).noCache(true).build(), io.kfpci.local.RunListener.NONE)
        .run();
    assertThat(run.state()).isEqualTo(RuntimeState.SUCCEEDED);
    Path page = Path.of(run.location().root()).resolve("report.html");
    java.nio.file.Files.copy(page, java.nio.file.Files.createDirectories(OUT.resolve("real-seed-run"))
        .resolve("report.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    chromium.open(page);
    var driver = chromium.driver();

    assertThat(driver.findElements(By.tagName("script"))).isEmpty();
    assertThat(driver.findElement(By.id("run-state")).getText()).isEqualTo("succeeded");
    Map<String, String> nodes = new LinkedHashMap<>();
    for (WebElement node : driver.findElements(By.cssSelector("svg.dag g.node"))) {
      nodes.put(node.getDomAttribute("data-task"), node.getDomAttribute("data-state"));
    }
    assertThat(nodes).containsExactlyInAnyOrderEntriesOf(Map.of(
        "preprocess", "SUCCEEDED", "train", "SUCCEEDED", "evaluate", "SUCCEEDED",
        "condition-1", "SUCCEEDED", "condition-1/deploy-model", "SUCCEEDED"));
    // Fixed seeds and pinned packages: the same figures as kfp.local gives for this pipeline.
    assertThat(driver.findElement(By.cssSelector("table.metrics tr[data-metric='test_accuracy'] td.value"))
        .getText()).isEqualTo("0.866667");
    assertThat(driver.findElement(By.cssSelector("table.metrics tr[data-metric='test_f1'] td.value"))
        .getText()).isEqualTo("0.818182");
    assertThat(rows(driver, "table.artifacts tbody tr", "data-artifact", "data-task")).containsExactly(
        Map.entry("data_stats", "preprocess"), Map.entry("test_data", "preprocess"), Map.entry("train_data", "preprocess"),
        Map.entry("model", "train"), Map.entry("training_metrics", "train"), Map.entry("metrics", "evaluate"),
        Map.entry("deployment", "condition-1/deploy-model"));
    assertThat(severe(chromium.consoleLog())).isEmpty();
    chromium.screenshot(OUT.resolve("real-seed-run.png"));
  }

  @Test
  void loopIterationsAreFoldedWithCountsAndSkippedBranchesDimmed() throws Exception {
    Path page = RunReportPage.write(SummaryFixtures.sweepRun(), List.of(), OUT.resolve("sweep/report.html"));
    chromium.open(page);
    var driver = chromium.driver();

    WebElement train = driver.findElement(By.cssSelector("g.node[data-task='for-loop-2/train']"));
    assertThat(train.getDomAttribute("data-state")).isEqualTo("FAILED");
    assertThat(train.findElement(By.tagName("title")).getDomProperty("textContent"))
        .isEqualTo("for-loop-2/train \u00d78: 7 succeeded, 1 failed, 1 retried");
    assertThat(train.findElements(By.tagName("text")).stream().map(t -> t.getDomProperty("textContent")).toList())
        .containsExactly("train \u00d78", "7 succeeded, 1 failed, 1 retried");
    assertThat(driver.findElement(By.cssSelector("g.node[data-task='for-loop-2/score'] text.name")).getDomProperty("textContent"))
        .isEqualTo("score \u00d77");
    assertThat(driver.findElement(By.cssSelector("g.node[data-task='for-loop-2'] text")).getDomProperty("textContent"))
        .isEqualTo("for-loop-2 \u00d78 iterations: 7 succeeded, 1 failed");
    assertThat(words(driver.findElement(By.cssSelector("g.node[data-task='fetch-data']")).getDomProperty("textContent")))
        .isEqualTo("fetch-data: succeeded \u00b7 cached fetch-data succeeded \u00b7 cached");
    assertThat(driver.findElement(By.cssSelector("g.node[data-task='condition-3']")).getDomAttribute("class"))
        .isEqualTo("node group st-skipped dim");
    assertThat(driver.findElement(By.cssSelector("g.node[data-task='condition-3'] text")).getDomProperty("textContent"))
        .isEqualTo("condition-3 \u00b7 condition \u00b7 skipped (condition false)");
    assertThat(driver.findElement(By.cssSelector("g.node[data-task='condition-3/deploy']")).getDomAttribute("class"))
        .isEqualTo("node task st-skipped dim");
    // The failed iteration's log is open; a succeeded one's is folded.
    WebElement failed = driver.findElement(By.cssSelector("table.tasks tr[data-task='for-loop-2[5]/train']"));
    assertThat(failed.findElement(By.tagName("details")).getDomAttribute("open")).isEqualTo("true");
    assertThat(failed.findElement(By.tagName("pre")).getText()).endsWith("RuntimeError: CUDA out of memory");
    assertThat(failed.getText()).isEqualTo("for-loop-2[5]/train\ncontainer \u00b7 python:3.11-slim \u00b7 exit 1\n"
        + "RuntimeError: CUDA out of memory\nfailed\n+6.0s 40s 3 \u2013\nlast 5 lines of for-loop-2[5]/train/task.log\n"
        + "epoch 1/10 loss=0.71\nepoch 2/10 loss=0.64\nTraceback (most recent call last):\n"
        + "  File \"train.py\", line 42, in <module>\nRuntimeError: CUDA out of memory");
    WebElement ok = driver.findElement(By.cssSelector("table.tasks tr[data-task='for-loop-2[0]/train']"));
    assertThat(ok.findElement(By.tagName("details")).getDomAttribute("open")).isNull();
    assertThat(driver.findElement(By.id("run-error")).getText())
        .isEqualTo("task for-loop-2[5]/train failed: RuntimeError: CUDA out of memory");
    assertThat(severe(chromium.consoleLog())).isEmpty();
    chromium.screenshot(OUT.resolve("sweep.png"));
    chromium.screenshot(driver.findElement(By.id("graph")), OUT.resolve("sweep-graph.png"));
  }

  @Test
  void hostileTextRendersAsTextAndThePageStillReads() throws Exception {
    RunSummary hostile = SummaryFixtures.hostileRun();
    Path page = RunReportPage.write(hostile, List.of(), OUT.resolve("hostile/report.html"));
    chromium.open(page);
    var driver = chromium.driver();

    assertThat(driver.findElements(By.tagName("script"))).isEmpty();
    assertThat(driver.findElements(By.tagName("img"))).isEmpty();
    assertThat(driver.findElements(By.cssSelector("[onerror]"))).isEmpty();
    assertThat(driver.findElements(By.cssSelector("a[href^='javascript']"))).isEmpty();
    assertThat(driver.findElement(By.cssSelector("h1 .pipeline")).getText()).isEqualTo(hostile.pipelineName());
    assertThat(driver.findElement(By.id("run-id")).getText()).isEqualTo("run\"<i>1");
    assertThat(driver.findElement(By.id("run-error")).getText()).isEqualTo("<script>alert(7)</script>");
    assertThat(driver.findElement(By.cssSelector("[data-param='<script>alert(4)</script>'] dd")).getText())
        .isEqualTo("\"'><script>alert(5)</script>");

    // The DOM checks of the seed run still hold, with the hostile names as plain text.
    String preprocess = SummaryFixtures.HOSTILE_PREPROCESS;
    String train = SummaryFixtures.HOSTILE_TRAIN;
    String evaluate = SummaryFixtures.HOSTILE_EVALUATE;
    Map<String, String> nodes = new LinkedHashMap<>();
    for (WebElement node : driver.findElements(By.cssSelector("svg.dag g.node"))) {
      nodes.put(node.getDomAttribute("data-task"), node.getDomAttribute("data-state"));
      // Long names are shortened on the box, which keeps its size; the tooltip has (most of) them.
      String task = node.getDomAttribute("data-task");
      assertThat(node.findElement(By.tagName("title")).getDomProperty("textContent").startsWith(task.substring(0, Math.min(task.length(), 1000))))
          .as("tooltip of %s", task.substring(0, Math.min(task.length(), 40))).isTrue();
    }
    assertThat(nodes).containsOnlyKeys(preprocess, train, evaluate, "condition-1", "condition-1/deploy-model")
        .allSatisfy((task, state) -> assertThat(state).isEqualTo("SUCCEEDED"));
    WebElement trainNode = driver.findElements(By.cssSelector("svg.dag g.node")).stream()
        .filter(n -> train.equals(n.getDomAttribute("data-task"))).findFirst().orElseThrow();
    assertThat(trainNode.findElement(By.cssSelector("text.name")).getDomProperty("textContent")).startsWith("train\"><img src=x");
    WebElement evaluateBox = driver.findElements(By.cssSelector("svg.dag g.node")).stream()
        .filter(n -> evaluate.equals(n.getDomAttribute("data-task"))).findFirst().orElseThrow()
        .findElement(By.cssSelector("rect.box"));
    assertThat(Double.parseDouble(evaluateBox.getDomAttribute("width"))).isLessThanOrEqualTo(io.kfpci.report.internal.DagLayout.TASK_MAX_WIDTH);

    List<String> metricNames = driver.findElements(By.cssSelector("table.metrics tbody tr")).stream()
        .map(r -> r.getDomAttribute("data-task") + " " + r.getDomAttribute("data-metric")).toList();
    assertThat(metricNames).containsExactly(preprocess + " rows_read", preprocess + " " + train + "_rows",
        preprocess + " test_rows", preprocess + " feature_count", preprocess + " missing_cells_imputed",
        train + " " + train + "_accuracy", evaluate + " test_accuracy", evaluate + " test_f1", evaluate + " test_rows");
    assertThat(driver.findElements(By.cssSelector("table.artifacts tbody tr")).stream()
        .map(r -> r.getDomAttribute("data-task")).toList())
        .containsExactly(preprocess, preprocess, preprocess, train, train, evaluate, "condition-1/deploy-model");
    WebElement log = driver.findElements(By.cssSelector("table.tasks tbody tr")).get(0).findElement(By.tagName("pre"));
    assertThat(log.getDomProperty("textContent")).contains("</pre><script>alert(3)</script>\ufffd", "x".repeat(500) + " \u2026 [19500 more characters]");
    // A hostile UI link is not a link.
    assertThat(driver.findElements(By.id("ui-link"))).isEmpty();
    assertThat(severe(chromium.consoleLog())).isEmpty();
    chromium.screenshot(OUT.resolve("hostile.png"));
    chromium.screenshot(driver.findElement(By.id("graph")), OUT.resolve("hostile-graph.png"));
  }

  @Test
  void aRunOf500TasksAnd2000IterationsLoadsAndReads() throws Exception {
    RunSummary run = SummaryFixtures.generated(380, 20, 100, 5, 42);
    Path page = RunReportPage.write(run, List.of(), OUT.resolve("generated/report.html"));
    chromium.open(page);
    var driver = chromium.driver();
    assertThat(driver.findElements(By.cssSelector("svg.dag g.node"))).hasSize(500);
    assertThat(driver.findElement(By.cssSelector("g.node[data-task='for-loop-2'] text")).getDomProperty("textContent"))
        .isEqualTo("for-loop-2 \u00d7100 iterations: 100 succeeded");
    assertThat(severe(chromium.consoleLog())).isEmpty();
    WebElement graph = driver.findElement(By.cssSelector("svg.dag"));
    chromium.screenshot(driver.findElement(By.id("graph")), OUT.resolve("generated-graph.png"));
    assertThat(graph.getRect().getHeight()).isPositive();
  }

  private static WebElement box(org.openqa.selenium.WebDriver driver, String task) {
    return driver.findElement(By.cssSelector("g.node[data-task='" + task + "'] rect.box"));
  }

  private static List<Map.Entry<String, String>> rows(org.openqa.selenium.WebDriver driver, String css, String key,
      String value) {
    return driver.findElements(By.cssSelector(css)).stream()
        .map(r -> Map.entry(r.getDomAttribute(key), r.getDomAttribute(value))).toList();
  }

  static List<String> severe(List<LogEntry> log) {
    return log.stream().filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
        .map(LogEntry::getMessage).collect(Collectors.toList());
  }

  /** Text content with its layout whitespace folded: what a reader sees, word by word. */
  private static String words(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }
}
