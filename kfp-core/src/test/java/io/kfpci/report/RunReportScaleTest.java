package io.kfpci.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.report.internal.DagLayout;
import io.kfpci.report.internal.DagModel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pipeline of 500 tasks whose run has 2,000 loop iterations (12,400 task executions): the page
 * stays small because loops are drawn once and the tables list what a reader needs. How fast it
 * renders is measured in bench/report-render, not asserted here.
 */
class RunReportScaleTest {
  private static RunSummary run;
  private static String page;

  @BeforeAll
  static void render() {
    // 380 top-level tasks + 20 loops of 5 body tasks = 500 tasks; 20 x 100 = 2,000 iterations.
    run = SummaryFixtures.generated(380, 20, 100, 5, 42);
    page = RunReportPage.render(run, List.of());
  }

  @Test
  void theGeneratedRunHasTheAdvertisedSize() {
    assertThat(run.tasks().stream().filter(t -> t.iteration() != null)).hasSize(2000);
    assertThat(DagModel.of(run).size() - 1).as("tasks of the pipeline").isEqualTo(500);
    assertThat(run.tasks()).hasSize(380 + 20 + 2000 + 2000 * 5);
  }

  @Test
  void thePageStaysUnderFiveMegabytes() {
    assertThat(page.getBytes(StandardCharsets.UTF_8).length).isLessThan(5_000_000);
  }

  @Test
  void everyTaskOfThePipelineIsDrawnOnceAndLoopsShowTheirIterations() {
    assertThat(count("<g class=\"node ")).isEqualTo(500);
    assertThat(count(">for-loop-2 \u00d7100 iterations: ")).isEqualTo(1);
    Matcher body = Pattern.compile("data-task=\"for-loop-2/step-4\" data-state=\"(\\w+)\" data-runs=\"100\"").matcher(page);
    assertThat(body.find()).isTrue();
  }

  @Test
  void theTasksTableListsTopLevelTasksAndTheIterationsAReaderNeeds() {
    long failedIterations = run.tasks().stream()
        .filter(t -> t.iteration() != null && t.state() == RuntimeState.FAILED).count();
    String table = page.substring(page.indexOf("<table class=\"tasks\">"));
    table = table.substring(0, table.indexOf("</table>"));
    int rows = count(table, "<tr data-task=");
    // Every top-level task and loop, 3 iterations of each loop (with 5 tasks each), and every
    // failed iteration that is not among those.
    assertThat(rows).isGreaterThanOrEqualTo(380 + 20 + 20 * 3 * 6).isLessThanOrEqualTo(380 + 20 + (20 * 3 + (int) failedIterations) * 6);
    assertThat(failedIterations).isPositive();
    for (TaskSummary t : run.tasks()) {
      if (t.iteration() != null && t.state() == RuntimeState.FAILED) {
        assertThat(page).contains("<tr data-task=\"" + t.id() + "\"");
      }
    }
  }

  @Test
  void theLayoutKeepsSiblingsApart() {
    DagLayout.Result layout = DagLayout.of(DagModel.of(run));
    List<DagLayout.Placed> all = new ArrayList<>();
    collect(layout.root(), all);
    assertThat(all).hasSize(501);
    for (DagLayout.Placed p : all) {
      List<DagLayout.Placed> children = p.children();
      for (int i = 0; i < children.size(); i++) {
        assertThat(p == layout.root() || p.contains(children.get(i))).isTrue();
        for (int j = i + 1; j < children.size(); j++) {
          assertThat(children.get(i).overlaps(children.get(j))).as("%s and %s overlap",
              children.get(i).node().key(), children.get(j).node().key()).isFalse();
        }
      }
    }
  }

  private static void collect(DagLayout.Placed p, List<DagLayout.Placed> into) {
    into.add(p);
    p.children().forEach(c -> collect(c, into));
  }

  private static int count(String needle) {
    return count(page, needle);
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
