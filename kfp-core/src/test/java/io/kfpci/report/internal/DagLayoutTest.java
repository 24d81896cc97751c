package io.kfpci.report.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.report.RunSummary;
import io.kfpci.report.SummaryFixtures;
import io.kfpci.report.internal.DagLayout.Placed;
import io.kfpci.report.internal.LayeredLayout.Point;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DagLayoutTest {
  static Stream<RunSummary> runs() {
    return Stream.of(SummaryFixtures.seedRun(), SummaryFixtures.sweepRun(), SummaryFixtures.generated(60, 3, 12, 4, 7));
  }

  @ParameterizedTest
  @MethodSource("runs")
  void groupsHoldTheirTasksAndSiblingsNeverOverlap(RunSummary run) {
    DagLayout.Result layout = DagLayout.of(DagModel.of(run));
    List<Placed> all = new ArrayList<>();
    collect(layout.root(), all);
    for (Placed p : all) {
      assertThat(p.x() + p.width()).isLessThanOrEqualTo(layout.width());
      assertThat(p.y() + p.height()).isLessThanOrEqualTo(layout.height());
      if (p.node().isGroup() && p != layout.root()) {
        assertThat(p.height()).isGreaterThan(DagLayout.GROUP_HEADER);
      }
      for (int i = 0; i < p.children().size(); i++) {
        Placed child = p.children().get(i);
        assertThat(p.contains(child)).as("%s inside %s", child.node().key(), p.node().key()).isTrue();
        // Below the group's header, so the header stays readable.
        if (p != layout.root()) {
          assertThat(child.y()).isGreaterThanOrEqualTo(p.y() + DagLayout.GROUP_HEADER);
        }
        for (int j = i + 1; j < p.children().size(); j++) {
          assertThat(child.overlaps(p.children().get(j))).as("%s and %s", child.node().key(),
              p.children().get(j).node().key()).isFalse();
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("runs")
  void everyEdgeStartsAtItsSourceAndEndsAtItsTarget(RunSummary run) {
    DagModel model = DagModel.of(run);
    DagLayout.Result layout = DagLayout.of(model);
    Map<DagModel.Node, Placed> placed = new IdentityHashMap<>();
    List<Placed> all = new ArrayList<>();
    collect(layout.root(), all);
    all.forEach(p -> placed.put(p.node(), p));
    assertThat(layout.routes()).isNotEmpty();
    for (DagLayout.Route route : layout.routes()) {
      Placed from = placed.get(route.edge().from());
      Placed to = placed.get(route.edge().to());
      assertThat(route.points().get(0)).isEqualTo(new Point(from.x() + from.width(), from.y() + from.height() / 2));
      assertThat(route.points().get(route.points().size() - 1)).isEqualTo(new Point(to.x(), to.y() + to.height() / 2));
    }
  }

  @ParameterizedTest
  @MethodSource("runs")
  void theSameSummaryGivesTheSameDrawing(RunSummary run) {
    StringBuilder first = new StringBuilder();
    DagSvg.write(DagLayout.of(DagModel.of(run)), run.pipelineName(), run.tasks().size(), first);
    StringBuilder second = new StringBuilder();
    DagSvg.write(DagLayout.of(DagModel.of(run)), run.pipelineName(), run.tasks().size(), second);
    assertThat(second.toString()).isEqualTo(first.toString());
  }

  private static void collect(Placed p, List<Placed> into) {
    into.add(p);
    p.children().forEach(c -> collect(c, into));
  }
}
