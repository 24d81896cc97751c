package io.kfpci.report.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kfpci.report.internal.LayeredLayout.Point;
import io.kfpci.report.internal.LayeredLayout.Result;
import io.kfpci.report.internal.LayeredLayout.Size;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LayeredLayoutTest {
  private static final Size BOX = new Size(180, 48);

  @Test
  void aChainRunsLeftToRightOnOneLine() {
    Result r = LayeredLayout.layout(List.of(BOX, BOX, BOX), List.of(edge(0, 1), edge(1, 2)));
    assertThat(r.topLeft().get(1).x()).isEqualTo(r.topLeft().get(0).x() + 180 + LayeredLayout.COLUMN_GAP);
    assertThat(r.topLeft().get(2).x()).isEqualTo(r.topLeft().get(1).x() + 180 + LayeredLayout.COLUMN_GAP);
    assertThat(r.topLeft()).extracting(Point::y).containsOnly(0.0);
    assertThat(r.width()).isEqualTo(3 * 180 + 2 * LayeredLayout.COLUMN_GAP);
    assertThat(r.height()).isEqualTo(48);
  }

  @Test
  void aFanOutStacksItsBranchesAndCentresTheSourceOnThem() {
    Result r = LayeredLayout.layout(List.of(BOX, BOX, BOX, BOX), List.of(edge(0, 1), edge(0, 2), edge(0, 3)));
    assertThat(List.of(r.topLeft().get(1).x(), r.topLeft().get(2).x(), r.topLeft().get(3).x())).containsOnly(r.topLeft().get(1).x());
    assertThat(r.topLeft().get(2).y() - r.topLeft().get(1).y()).isEqualTo(48 + LayeredLayout.ROW_GAP);
    assertThat(r.topLeft().get(0).y()).isEqualTo(r.topLeft().get(2).y());
    assertNoOverlap(List.of(BOX, BOX, BOX, BOX), r);
  }

  @Test
  void aLongEdgePassesBesideTheBoxesItSkips() {
    // 0 -> 1 -> 2 -> 3, and 0 -> 3 across two columns.
    List<Size> sizes = List.of(BOX, BOX, BOX, BOX);
    Result r = LayeredLayout.layout(sizes, List.of(edge(0, 1), edge(1, 2), edge(2, 3), edge(0, 3)));
    List<Point> longRoute = r.routes().get(3);
    assertThat(longRoute).hasSize(2 + 2 * 2);
    assertRoutesAttachedAndClear(sizes, List.of(edge(0, 1), edge(1, 2), edge(2, 3), edge(0, 3)), r);
  }

  @Test
  void aSourceFeedingOnlyALateTaskSitsRightBeforeIt() {
    // 0 -> 1 -> 2 -> 3, and 4 (an importer, say) -> 3.
    Result r = LayeredLayout.layout(List.of(BOX, BOX, BOX, BOX, BOX),
        List.of(edge(0, 1), edge(1, 2), edge(2, 3), edge(4, 3)));
    assertThat(r.topLeft().get(4).x()).isEqualTo(r.topLeft().get(2).x());
  }

  @Test
  void crossingsAreUntangled() {
    // Two parallel chains given in an order that crosses: 0->3, 1->2 with 2 listed before 3.
    Result r = LayeredLayout.layout(List.of(BOX, BOX, BOX, BOX), List.of(edge(0, 3), edge(1, 2)));
    boolean zeroAboveOne = r.topLeft().get(0).y() < r.topLeft().get(1).y();
    boolean threeAboveTwo = r.topLeft().get(3).y() < r.topLeft().get(2).y();
    assertThat(zeroAboveOne).isEqualTo(threeAboveTwo);
  }

  @Test
  void aCycleFromABrokenSummaryStillLaysOut() {
    List<int[]> edges = List.of(edge(0, 1), edge(1, 2), edge(2, 0), edge(1, 1));
    Result r = LayeredLayout.layout(List.of(BOX, BOX, BOX), edges);
    assertNoOverlap(List.of(BOX, BOX, BOX), r);
    assertThat(r.routes().get(3)).isEmpty();
    assertThat(r.routes().get(2)).hasSize(2);
  }

  @Test
  void edgesOutOfRangeAreRejected() {
    assertThatThrownBy(() -> LayeredLayout.layout(List.of(BOX), List.of(edge(0, 1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("edge [0, 1] is not between 0 and 0");
  }

  @Test
  void nothingToLayOut() {
    Result r = LayeredLayout.layout(List.of(), List.of());
    assertThat(r.width()).isZero();
    assertThat(r.topLeft()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void randomDagsHaveNoOverlapsAndEveryEdgeJoinsItsBoxes(long seed) {
    Random random = new Random(seed);
    int n = 5 + random.nextInt(120);
    List<Size> sizes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sizes.add(new Size(160 + random.nextInt(120), random.nextInt(5) == 0 ? 40 + random.nextInt(200) : 48));
    }
    List<int[]> edges = new ArrayList<>();
    for (int v = 1; v < n; v++) {
      int deps = random.nextInt(4);
      for (int d = 0; d < deps; d++) {
        edges.add(edge(random.nextInt(v), v));
      }
    }
    // The order of the input must not matter for validity.
    Collections.shuffle(edges, random);
    Result r = LayeredLayout.layout(sizes, edges);
    assertNoOverlap(sizes, r);
    assertRoutesAttachedAndClear(sizes, edges, r);
    assertThat(LayeredLayout.layout(sizes, edges)).as("deterministic").isEqualTo(r);
  }

  static int[] edge(int from, int to) {
    return new int[] {from, to};
  }

  static void assertNoOverlap(List<Size> sizes, Result r) {
    for (int i = 0; i < sizes.size(); i++) {
      Point a = r.topLeft().get(i);
      assertThat(a.x()).isGreaterThanOrEqualTo(0);
      assertThat(a.y()).isGreaterThanOrEqualTo(0);
      assertThat(a.x() + sizes.get(i).width()).isLessThanOrEqualTo(r.width() + 1e-9);
      assertThat(a.y() + sizes.get(i).height()).isLessThanOrEqualTo(r.height() + 1e-9);
      for (int j = i + 1; j < sizes.size(); j++) {
        Point b = r.topLeft().get(j);
        boolean apart = a.x() + sizes.get(i).width() <= b.x() || b.x() + sizes.get(j).width() <= a.x()
            || a.y() + sizes.get(i).height() <= b.y() || b.y() + sizes.get(j).height() <= a.y();
        assertThat(apart).as("boxes %d and %d overlap", i, j).isTrue();
      }
    }
  }

  /** Each route starts mid-right of its source, ends mid-left of its target and passes no box. */
  static void assertRoutesAttachedAndClear(List<Size> sizes, List<int[]> edges, Result r) {
    for (int e = 0; e < edges.size(); e++) {
      int from = edges.get(e)[0];
      int to = edges.get(e)[1];
      List<Point> route = r.routes().get(e);
      if (from == to) {
        assertThat(route).isEmpty();
        continue;
      }
      Point start = route.get(0);
      Point end = route.get(route.size() - 1);
      assertThat(start).isEqualTo(new Point(r.topLeft().get(from).x() + sizes.get(from).width(),
          r.topLeft().get(from).y() + sizes.get(from).height() / 2));
      assertThat(end).isEqualTo(new Point(r.topLeft().get(to).x(), r.topLeft().get(to).y() + sizes.get(to).height() / 2));
      for (int k = 1; k + 1 < route.size(); k++) {
        Point p = route.get(k);
        for (int b = 0; b < sizes.size(); b++) {
          Point box = r.topLeft().get(b);
          boolean inside = p.x() > box.x() && p.x() < box.x() + sizes.get(b).width()
              && p.y() > box.y() && p.y() < box.y() + sizes.get(b).height();
          assertThat(inside).as("edge %d->%d passes through box %d", from, to, b).isFalse();
        }
      }
      // Between bends the line runs level across a column: it cannot cut a box there either.
      for (int k = 1; k + 2 < route.size(); k += 2) {
        Point a = route.get(k);
        Point b = route.get(k + 1);
        assertThat(a.y()).isEqualTo(b.y());
        for (int box = 0; box < sizes.size(); box++) {
          Point tl = r.topLeft().get(box);
          boolean crosses = a.y() > tl.y() && a.y() < tl.y() + sizes.get(box).height()
              && a.x() < tl.x() + sizes.get(box).width() && b.x() > tl.x();
          assertThat(crosses).as("edge %d->%d runs through box %d", from, to, box).isFalse();
        }
      }
    }
  }
}
