package io.kfpci.report.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A layered (Sugiyama-style) layout of one DAG scope, flowing left to right: a node's column is
 * the length of the longest path to it, edges spanning several columns pass through reserved
 * slots (dummy nodes) so they never cross a box, rows are ordered by barycentre sweeps that keep
 * the order with the fewest crossings, and vertical positions are the closest to the
 * neighbours' that keep the order and the gaps (isotonic regression, solved exactly).
 *
 * <p>Pure and deterministic: the same input gives the same output. Cycles (only in broken
 * summaries) are broken by reversing back edges for the layering.
 */
public final class LayeredLayout {
  /** Space between columns, where the edges run. */
  public static final double COLUMN_GAP = 64;
  /** Vertical space between two boxes in a column. */
  public static final double ROW_GAP = 18;

  private static final double DUMMY_HEIGHT = 4;
  private static final double DUMMY_GAP = 8;
  private static final int ORDER_SWEEPS = 8;
  private static final int PLACE_ROUNDS = 4;

  /** A box to place. */
  public record Size(double width, double height) {}

  public record Point(double x, double y) {}

  /**
   * @param topLeft the position of each box, in input order
   * @param routes for each input edge, the points its line passes: from the middle of the
   *     source's right side to the middle of the target's left side; empty for a self-loop
   */
  public record Result(List<Point> topLeft, List<List<Point>> routes, double width, double height) {}

  private LayeredLayout() {}

  /**
   * Lays out {@code sizes} with {@code edges} ({@code {from, to}} indexes into sizes).
   * Duplicate edges share a route.
   */
  public static Result layout(List<Size> sizes, List<int[]> edges) {
    return new Run(sizes, edges).run();
  }

  /** The state of one layout; one instance per call. */
  private static final class Run {
    private final List<Size> sizes;
    private final List<int[]> edges;
    private final int n;
    // Vertices of the layered graph: the n boxes, then dummies.
    private final List<Integer> layerOf = new ArrayList<>();
    private final List<Double> heightOf = new ArrayList<>();
    private final List<List<Integer>> up = new ArrayList<>();
    private final List<List<Integer>> down = new ArrayList<>();
    private final Map<Long, List<Integer>> chains = new HashMap<>();
    private List<List<Integer>> layers = new ArrayList<>();
    private int[] pos;
    private double[] top;
    private double[] columnX;
    private double[] columnWidth;

    Run(List<Size> sizes, List<int[]> edges) {
      this.sizes = sizes;
      this.edges = edges;
      this.n = sizes.size();
    }

    Result run() {
      if (n == 0) {
        return new Result(List.of(), edges.stream().map(e -> List.<Point>of()).toList(), 0, 0);
      }
      List<int[]> acyclic = acyclicEdges();
      int[] layer = assignLayers(acyclic);
      buildLayeredGraph(acyclic, layer);
      order();
      placeColumns();
      placeRows();
      return result();
    }

    /** The distinct edges with back edges (found by a depth-first search) reversed. */
    private List<int[]> acyclicEdges() {
      List<Set<Integer>> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(new LinkedHashSet<>());
      }
      for (int[] e : edges) {
        check(e);
        if (e[0] != e[1]) {
          out.get(e[0]).add(e[1]);
        }
      }
      int[] state = new int[n];
      Set<Long> reversed = new HashSet<>();
      for (int s = 0; s < n; s++) {
        if (state[s] != 0) {
          continue;
        }
        // Iterative, so that a long chain cannot overflow the stack.
        Deque<int[]> stack = new ArrayDeque<>();
        Deque<java.util.Iterator<Integer>> its = new ArrayDeque<>();
        stack.push(new int[] {s});
        its.push(out.get(s).iterator());
        state[s] = 1;
        while (!stack.isEmpty()) {
          int u = stack.peek()[0];
          java.util.Iterator<Integer> it = its.peek();
          if (it.hasNext()) {
            int v = it.next();
            if (state[v] == 1) {
              reversed.add(key(u, v));
            } else if (state[v] == 0) {
              state[v] = 1;
              stack.push(new int[] {v});
              its.push(out.get(v).iterator());
            }
          } else {
            state[u] = 2;
            stack.pop();
            its.pop();
          }
        }
      }
      Set<Long> seen = new HashSet<>();
      List<int[]> result = new ArrayList<>();
      for (int u = 0; u < n; u++) {
        for (int v : out.get(u)) {
          int[] e = reversed.contains(key(u, v)) ? new int[] {v, u} : new int[] {u, v};
          if (seen.add(key(e[0], e[1]))) {
            result.add(e);
          }
        }
      }
      return result;
    }

    private void check(int[] e) {
      if (e.length != 2 || e[0] < 0 || e[1] < 0 || e[0] >= n || e[1] >= n) {
        throw new IllegalArgumentException("edge " + Arrays.toString(e) + " is not between 0 and " + (n - 1));
      }
    }

    /** Longest-path layering, then sources moved right next to their first successor. */
    private int[] assignLayers(List<int[]> acyclic) {
      List<List<Integer>> succ = new ArrayList<>();
      int[] indegree = new int[n];
      for (int i = 0; i < n; i++) {
        succ.add(new ArrayList<>());
      }
      for (int[] e : acyclic) {
        succ.get(e[0]).add(e[1]);
        indegree[e[1]]++;
      }
      int[] layer = new int[n];
      int[] topo = new int[n];
      int head = 0;
      int tail = 0;
      for (int i = 0; i < n; i++) {
        if (indegree[i] == 0) {
          topo[tail++] = i;
        }
      }
      while (head < tail) {
        int u = topo[head++];
        for (int v : succ.get(u)) {
          layer[v] = Math.max(layer[v], layer[u] + 1);
          if (--indegree[v] == 0) {
            topo[tail++] = v;
          }
        }
      }
      // A source feeding only a late task (an importer, say) sits just before it, not in column 0.
      boolean[] hasPred = new boolean[n];
      acyclic.forEach(e -> hasPred[e[1]] = true);
      for (int i = tail - 1; i >= 0; i--) {
        int u = topo[i];
        if (!hasPred[u] && !succ.get(u).isEmpty()) {
          int min = Integer.MAX_VALUE;
          for (int v : succ.get(u)) {
            min = Math.min(min, layer[v]);
          }
          layer[u] = min - 1;
        }
      }
      return layer;
    }

    /** Splits edges that span several layers into chains through dummy vertices. */
    private void buildLayeredGraph(List<int[]> acyclic, int[] layer) {
      for (int i = 0; i < n; i++) {
        addVertex(layer[i], sizes.get(i).height());
      }
      // Chains cost a vertex per column crossed; past this budget long edges are drawn directly
      // rather than let a pathological graph grow the layout quadratically.
      int budget = Math.max(4000, 8 * n);
      for (int[] e : acyclic) {
        int span = layer[e[1]] - layer[e[0]];
        List<Integer> chain = new ArrayList<>();
        chain.add(e[0]);
        if (span > 1 && budget >= span - 1) {
          budget -= span - 1;
          for (int l = layer[e[0]] + 1; l < layer[e[1]]; l++) {
            chain.add(addVertex(l, DUMMY_HEIGHT));
          }
        }
        chain.add(e[1]);
        if (span == 1 || chain.size() > 2) {
          for (int i = 0; i + 1 < chain.size(); i++) {
            down.get(chain.get(i)).add(chain.get(i + 1));
            up.get(chain.get(i + 1)).add(chain.get(i));
          }
        }
        chains.put(key(e[0], e[1]), chain);
      }
      int layerCount = 0;
      for (int l : layerOf) {
        layerCount = Math.max(layerCount, l + 1);
      }
      for (int l = 0; l < layerCount; l++) {
        layers.add(new ArrayList<>());
      }
      for (int v = 0; v < layerOf.size(); v++) {
        layers.get(layerOf.get(v)).add(v);
      }
      pos = new int[layerOf.size()];
      updatePositions(layers);
    }

    private int addVertex(int layer, double height) {
      layerOf.add(layer);
      heightOf.add(height);
      up.add(new ArrayList<>());
      down.add(new ArrayList<>());
      return layerOf.size() - 1;
    }

    /** Barycentre sweeps, down then up; keeps the order with the fewest crossings seen. */
    private void order() {
      List<List<Integer>> best = copy(layers);
      long bestCrossings = crossings();
      for (int sweep = 0; sweep < ORDER_SWEEPS && bestCrossings > 0; sweep++) {
        if (sweep % 2 == 0) {
          for (int l = 1; l < layers.size(); l++) {
            reorder(layers.get(l), up);
          }
        } else {
          for (int l = layers.size() - 2; l >= 0; l--) {
            reorder(layers.get(l), down);
          }
        }
        long crossings = crossings();
        if (crossings < bestCrossings) {
          bestCrossings = crossings;
          best = copy(layers);
        }
      }
      layers = best;
      updatePositions(layers);
    }

    private void reorder(List<Integer> layer, List<List<Integer>> neighbours) {
      double[] weight = new double[layerOf.size()];
      for (int v : layer) {
        List<Integer> nb = neighbours.get(v);
        if (nb.isEmpty()) {
          weight[v] = pos[v];
        } else {
          double sum = 0;
          for (int u : nb) {
            sum += pos[u];
          }
          weight[v] = sum / nb.size();
        }
      }
      // Stable: ties keep their current order, so the result does not depend on sort internals.
      layer.sort((a, b) -> {
        int c = Double.compare(weight[a], weight[b]);
        return c != 0 ? c : Integer.compare(pos[a], pos[b]);
      });
      for (int i = 0; i < layer.size(); i++) {
        pos[layer.get(i)] = i;
      }
    }

    /** Edge crossings between adjacent layers: inversions of the lower ends, counted with a Fenwick tree. */
    private long crossings() {
      long total = 0;
      for (int l = 0; l + 1 < layers.size(); l++) {
        List<int[]> pairs = new ArrayList<>();
        for (int u : layers.get(l)) {
          for (int v : down.get(u)) {
            pairs.add(new int[] {pos[u], pos[v]});
          }
        }
        pairs.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
        int size = layers.get(l + 1).size();
        long[] tree = new long[size + 1];
        long seen = 0;
        for (int[] p : pairs) {
          // Earlier pairs whose lower end is right of this one's cross it.
          long notGreater = 0;
          for (int i = p[1] + 1; i > 0; i -= i & -i) {
            notGreater += tree[i];
          }
          total += seen - notGreater;
          for (int i = p[1] + 1; i <= size; i += i & -i) {
            tree[i]++;
          }
          seen++;
        }
      }
      return total;
    }

    private void placeColumns() {
      columnX = new double[layers.size()];
      columnWidth = new double[layers.size()];
      double x = 0;
      for (int l = 0; l < layers.size(); l++) {
        double width = 0;
        for (int v : layers.get(l)) {
          if (v < n) {
            width = Math.max(width, sizes.get(v).width());
          }
        }
        columnX[l] = x;
        columnWidth[l] = width;
        x += width + COLUMN_GAP;
      }
    }

    /** Rows: stacked, then pulled towards their neighbours' centres, alternating directions. */
    private void placeRows() {
      top = new double[layerOf.size()];
      for (List<Integer> layer : layers) {
        double y = 0;
        for (int i = 0; i < layer.size(); i++) {
          int v = layer.get(i);
          top[v] = y;
          y += heightOf.get(v) + (i + 1 < layer.size() ? gap(v, layer.get(i + 1)) : 0);
        }
      }
      for (int round = 0; round < PLACE_ROUNDS; round++) {
        for (int l = 1; l < layers.size(); l++) {
          align(layers.get(l), up);
        }
        for (int l = layers.size() - 2; l >= 0; l--) {
          align(layers.get(l), down);
        }
      }
      for (int l = 1; l < layers.size(); l++) {
        align(layers.get(l), up);
      }
      double min = Double.MAX_VALUE;
      for (double t : top) {
        min = Math.min(min, t);
      }
      for (int v = 0; v < top.length; v++) {
        top[v] -= min;
      }
    }

    private double gap(int a, int b) {
      return a >= n && b >= n ? DUMMY_GAP : ROW_GAP;
    }

    /**
     * Moves the layer's vertices as close as possible (least squares) to the mean centre of
     * their neighbours while keeping their order and gaps: pool-adjacent-violators on the tops
     * minus the minimum offsets.
     */
    private void align(List<Integer> layer, List<List<Integer>> neighbours) {
      int size = layer.size();
      double[] z = new double[size];
      double[] offset = new double[size];
      for (int i = 0; i < size; i++) {
        int v = layer.get(i);
        offset[i] = i == 0 ? 0 : offset[i - 1] + heightOf.get(layer.get(i - 1)) + gap(layer.get(i - 1), v);
        double ideal = top[v];
        List<Integer> nb = neighbours.get(v);
        if (!nb.isEmpty()) {
          double sum = 0;
          for (int u : nb) {
            sum += top[u] + heightOf.get(u) / 2;
          }
          ideal = sum / nb.size() - heightOf.get(v) / 2;
        }
        z[i] = ideal - offset[i];
      }
      double[] blockSum = new double[size];
      int[] blockCount = new int[size];
      int blocks = 0;
      for (int i = 0; i < size; i++) {
        blockSum[blocks] = z[i];
        blockCount[blocks] = 1;
        blocks++;
        while (blocks > 1 && blockSum[blocks - 2] / blockCount[blocks - 2] > blockSum[blocks - 1] / blockCount[blocks - 1]) {
          blockSum[blocks - 2] += blockSum[blocks - 1];
          blockCount[blocks - 2] += blockCount[blocks - 1];
          blocks--;
        }
      }
      int i = 0;
      for (int b = 0; b < blocks; b++) {
        double mean = blockSum[b] / blockCount[b];
        for (int k = 0; k < blockCount[b]; k++, i++) {
          top[layer.get(i)] = mean + offset[i];
        }
      }
    }

    private Result result() {
      List<Point> topLeft = new ArrayList<>(n);
      double width = 0;
      double height = 0;
      for (int v = 0; v < n; v++) {
        Point p = new Point(x(v), top[v]);
        topLeft.add(p);
        width = Math.max(width, p.x() + sizes.get(v).width());
        height = Math.max(height, p.y() + sizes.get(v).height());
      }
      List<List<Point>> routes = new ArrayList<>(edges.size());
      for (int[] e : edges) {
        routes.add(route(e[0], e[1], topLeft));
      }
      return new Result(List.copyOf(topLeft), List.copyOf(routes), width, height);
    }

    private double x(int v) {
      int l = layerOf.get(v);
      return columnX[l] + (columnWidth[l] - sizes.get(v).width()) / 2;
    }

    private List<Point> route(int from, int to, List<Point> topLeft) {
      if (from == to) {
        return List.of();
      }
      List<Point> points = new ArrayList<>();
      points.add(new Point(topLeft.get(from).x() + sizes.get(from).width(),
          topLeft.get(from).y() + sizes.get(from).height() / 2));
      List<Integer> chain = chains.get(key(from, to));
      if (chain != null) {
        // Through the reserved slots: straight across each column, curving in the gaps.
        for (int i = 1; i + 1 < chain.size(); i++) {
          int d = chain.get(i);
          int l = layerOf.get(d);
          double y = top[d] + DUMMY_HEIGHT / 2;
          points.add(new Point(columnX[l], y));
          points.add(new Point(columnX[l] + columnWidth[l], y));
        }
      }
      points.add(new Point(topLeft.get(to).x(), topLeft.get(to).y() + sizes.get(to).height() / 2));
      return List.copyOf(points);
    }

    private void updatePositions(List<List<Integer>> ls) {
      for (List<Integer> layer : ls) {
        for (int i = 0; i < layer.size(); i++) {
          pos[layer.get(i)] = i;
        }
      }
    }

    private static List<List<Integer>> copy(List<List<Integer>> ls) {
      List<List<Integer>> copy = new ArrayList<>(ls.size());
      ls.forEach(l -> copy.add(new ArrayList<>(l)));
      return copy;
    }

    private static long key(int a, int b) {
      return ((long) a << 32) | (b & 0xffffffffL);
    }
  }
}
