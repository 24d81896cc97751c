package io.kfpci.validate.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the dependency cycles of a task graph: one cycle for each strongly connected component
 * that has one (Tarjan's algorithm), so two separate cycles are both reported and a task that only
 * waits for a cycle is never reported as part of it. Iterative, so a long chain of tasks cannot
 * overflow the stack. Pure and stateless.
 */
final class Cycles {
  private Cycles() {}

  /**
   * The cycles of {@code waitsFor} (task to the tasks it waits for; names outside the key set are
   * ignored). Each cycle starts and ends with its alphabetically first task and lists the tasks in
   * run order: every task waits for the one before it. Cycles come sorted by their first task.
   */
  static List<List<String>> find(Map<String, ? extends Iterable<String>> waitsFor) {
    List<List<String>> cycles = new ArrayList<>();
    for (Set<String> component : stronglyConnected(waitsFor)) {
      String first = component.iterator().next();
      boolean selfLoop = contains(waitsFor.get(first), first);
      if (component.size() > 1 || selfLoop) {
        cycles.add(shortestCycle(first, component, waitsFor));
      }
    }
    cycles.sort((a, b) -> a.get(0).compareTo(b.get(0)));
    return cycles;
  }

  /** Tarjan's strongly connected components, each as a sorted set. */
  private static List<Set<String>> stronglyConnected(Map<String, ? extends Iterable<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new HashSet<>();
    List<Set<String>> components = new ArrayList<>();
    int counter = 0;
    for (String root : new TreeSet<>(graph.keySet())) {
      if (index.containsKey(root)) {
        continue;
      }
      // Explicit call stack: each frame is a task and the iterator over what it waits for.
      Deque<Map.Entry<String, Iterator<String>>> frames = new ArrayDeque<>();
      index.put(root, counter);
      low.put(root, counter++);
      stack.push(root);
      onStack.add(root);
      frames.push(Map.entry(root, successors(graph, root).iterator()));
      while (!frames.isEmpty()) {
        String task = frames.peek().getKey();
        Iterator<String> next = frames.peek().getValue();
        if (next.hasNext()) {
          String w = next.next();
          if (!index.containsKey(w)) {
            index.put(w, counter);
            low.put(w, counter++);
            stack.push(w);
            onStack.add(w);
            frames.push(Map.entry(w, successors(graph, w).iterator()));
          } else if (onStack.contains(w)) {
            low.put(task, Math.min(low.get(task), index.get(w)));
          }
          continue;
        }
        frames.pop();
        if (!frames.isEmpty()) {
          String parent = frames.peek().getKey();
          low.put(parent, Math.min(low.get(parent), low.get(task)));
        }
        if (low.get(task).equals(index.get(task))) {
          Set<String> component = new TreeSet<>();
          String w;
          do {
            w = stack.pop();
            onStack.remove(w);
            component.add(w);
          } while (!w.equals(task));
          components.add(component);
        }
      }
    }
    return components;
  }

  /** Breadth-first from {@code first} back to itself inside its component, printed in run order. */
  private static List<String> shortestCycle(String first, Set<String> component,
      Map<String, ? extends Iterable<String>> graph) {
    Map<String, String> reachedFrom = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>(List.of(first));
    String last = null;
    while (!queue.isEmpty() && last == null) {
      String task = queue.poll();
      for (String w : successors(graph, task)) {
        if (w.equals(first)) {
          last = task;
          break;
        }
        if (component.contains(w) && !reachedFrom.containsKey(w)) {
          reachedFrom.put(w, task);
          queue.add(w);
        }
      }
    }
    // Walking back from 'last' follows "is waited for by", which is run order.
    List<String> waitChain = new ArrayList<>();
    for (String t = last; t != null && !t.equals(first); t = reachedFrom.get(t)) {
      waitChain.add(t);
    }
    List<String> cycle = new ArrayList<>();
    cycle.add(first);
    cycle.addAll(waitChain);
    cycle.add(first);
    return cycle;
  }

  /** What a task waits for, sorted, restricted to tasks of the graph. */
  private static List<String> successors(Map<String, ? extends Iterable<String>> graph, String task) {
    Iterable<String> targets = graph.get(task);
    if (targets == null) {
      return List.of();
    }
    Set<String> sorted = new TreeSet<>();
    targets.forEach(t -> {
      if (graph.containsKey(t)) {
        sorted.add(t);
      }
    });
    return List.copyOf(sorted);
  }

  private static boolean contains(Iterable<String> values, String value) {
    if (values == null) {
      return false;
    }
    for (String v : values) {
      if (v.equals(value)) {
        return true;
      }
    }
    return false;
  }
}
