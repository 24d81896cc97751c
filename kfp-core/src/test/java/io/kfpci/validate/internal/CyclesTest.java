package io.kfpci.validate.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CyclesTest {

  @Test
  void acyclicGraphHasNoCycle() {
    assertThat(Cycles.find(Map.of("b", List.of("a"), "c", List.of("a", "b"), "a", List.of()))).isEmpty();
  }

  @Test
  void namesOutsideTheGraphAreIgnored() {
    assertThat(Cycles.find(Map.of("a", List.of("missing")))).isEmpty();
  }

  @Test
  void cycleListsTasksInRunOrder() {
    // a waits for b and b waits for a, so the run order printed from a is a -> b -> a.
    assertThat(Cycles.find(Map.of("a", List.of("b"), "b", List.of("a"))))
        .containsExactly(List.of("a", "b", "a"));
  }

  @Test
  void shortestCycleThroughTheFirstTaskIsChosen() {
    // a waits for b (directly back to a) and for c, which reaches a only through d.
    Map<String, List<String>> waitsFor = Map.of(
        "a", List.of("b", "c"), "b", List.of("a"), "c", List.of("d"), "d", List.of("a"));

    assertThat(Cycles.find(waitsFor)).containsExactly(List.of("a", "b", "a"));
  }

  @Test
  void longChainDoesNotOverflowTheStack() {
    // 50 000 tasks in a line, the last waiting for the first: recursion this deep overflows the stack.
    Map<String, List<String>> waitsFor = new HashMap<>();
    int n = 50_000;
    for (int i = 1; i < n; i++) {
      waitsFor.put(name(i), List.of(name(i - 1)));
    }
    waitsFor.put(name(0), List.of(name(n - 1)));

    List<List<String>> cycles = Cycles.find(waitsFor);

    assertThat(cycles).hasSize(1);
    assertThat(cycles.get(0)).hasSize(n + 1).startsWith(name(0), name(1)).endsWith(name(n - 1), name(0));
  }

  private static String name(int i) {
    return String.format("t%06d", i);
  }
}
