package io.kfpci.report.internal;

import static io.kfpci.report.SummaryFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.report.RunSummary;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.SummaryFixtures;
import io.kfpci.report.internal.DagModel.Node;
import io.kfpci.report.internal.DagModel.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class DagModelTest {
  @Test
  void theSeedRunIsItsPipeline() {
    DagModel model = DagModel.of(SummaryFixtures.seedRun());
    assertThat(model.root().children()).extracting(Node::key)
        .containsExactly("preprocess", "train", "evaluate", "condition-1");
    Node condition = model.nodeOf("condition-1");
    assertThat(condition.shape()).isEqualTo(Shape.GROUP);
    assertThat(condition.children()).extracting(Node::key).containsExactly("condition-1/deploy-model");
    // deploy-model reads train's and evaluate's outputs: from outside its group, those edges are
    // the group's, and merge with the group's own.
    assertThat(edges(model, model.root())).containsExactly("preprocess->train data", "preprocess->evaluate data",
        "train->evaluate data", "evaluate->condition-1 data", "train->condition-1 data");
    assertThat(model.edges(condition)).isEmpty();
    assertThat(Labels.header(condition)).isEqualTo("condition-1 \u00b7 condition \u00b7 succeeded");
    assertThat(Labels.detail(model.nodeOf("train"))).isEqualTo("succeeded \u00b7 11s");
  }

  @Test
  void loopIterationsFoldIntoOneNodePerTaskWithCounts() {
    DagModel model = DagModel.of(SummaryFixtures.sweepRun());
    Node loop = model.nodeOf("for-loop-2");
    assertThat(loop.shape()).isEqualTo(Shape.LOOP);
    assertThat(model.nodeOf("for-loop-2[3]")).isSameAs(loop);
    assertThat(loop.iterations()).hasSize(8);
    assertThat(Labels.header(loop)).isEqualTo("for-loop-2 \u00d78 iterations: 7 succeeded, 1 failed");
    Node train = model.nodeOf("for-loop-2[0]/train");
    assertThat(model.nodeOf("for-loop-2[5]/train")).isSameAs(train);
    assertThat(train.key()).isEqualTo("for-loop-2/train");
    assertThat(train.state()).isEqualTo(RuntimeState.FAILED);
    assertThat(Labels.name(train)).isEqualTo("train \u00d78");
    assertThat(Labels.detail(train)).isEqualTo("7 succeeded, 1 failed, 1 retried");
    assertThat(Labels.title(train)).isEqualTo("for-loop-2/train \u00d78: 7 succeeded, 1 failed, 1 retried");
    assertThat(edges(model, loop)).containsExactly("for-loop-2/train->for-loop-2/score data");
    // train reads fetch-data from outside the loop: the loop waits for it.
    assertThat(edges(model, model.root())).containsExactly("fetch-data->for-loop-2 data",
        "for-loop-2->pick-best data", "pick-best->condition-3 data", "for-loop-2->notify after");
    assertThat(Labels.detail(model.nodeOf("fetch-data"))).isEqualTo("succeeded \u00b7 cached");
    assertThat(model.nodeOf("condition-3").dimmed()).isTrue();
    assertThat(Labels.header(model.nodeOf("condition-3")))
        .isEqualTo("condition-3 \u00b7 condition \u00b7 skipped (condition false)");
    assertThat(model.nodeOf("notify").dimmed()).isFalse();
  }

  @Test
  void dataWinsOverAfterAndUnknownTasksAreIgnored() {
    RunSummary run = SummaryFixtures.summary("p", RuntimeState.SUCCEEDED, List.of(
        task("a").build(), task("b").after("a").data("a").after("missing").build(),
        task("c").after("a").build()));
    DagModel model = DagModel.of(run);
    assertThat(edges(model, model.root())).containsExactly("a->b data", "a->c after");
  }

  @Test
  void parentsThatFormACycleDoNotHang() {
    RunSummary run = SummaryFixtures.summary("p", RuntimeState.FAILED, List.of(
        task("x").in("y").kind("dag").build(), task("y").in("x").kind("dag").build(), task("z").in("z").build()));
    DagModel model = DagModel.of(run);
    assertThat(model.size()).isEqualTo(4);
    assertThat(model.nodeOf("z").parent()).isSameAs(model.root());
  }

  @Test
  void aTaskIdSeenTwiceIsTwoExecutionsOfOneNode() {
    RunSummary run = SummaryFixtures.summary("p", RuntimeState.FAILED, List.of(
        task("a").state(RuntimeState.FAILED).build(), task("a").build()));
    DagModel model = DagModel.of(run);
    assertThat(model.root().children()).hasSize(1);
    assertThat(Labels.detail(model.nodeOf("a"))).isEqualTo("1 succeeded, 1 failed");
  }

  private static List<String> edges(DagModel model, Node scope) {
    return model.edges(scope).stream()
        .map(e -> e.from().key() + "->" + e.to().key() + (e.data() ? " data" : " after")).toList();
  }
}
