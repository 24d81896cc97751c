package io.kfpci.report.internal;

import io.kfpci.report.internal.LayeredLayout.Point;
import io.kfpci.report.internal.LayeredLayout.Size;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compound layout of a {@link DagModel}: each group is laid out on its own (a
 * {@link LayeredLayout} of its children), then placed in its parent as one box, so nested DAGs
 * and loops are drawn as frames around their tasks. Coordinates are absolute, in SVG pixels.
 */
public final class DagLayout {
  /**
   * Widths of one character, estimates for the box's bold 13px name, its 12px detail line and a
   * group's bold header. Server-side there are no font metrics; these err on the wide side.
   */
  static final double NAME_CHAR = 7.6;
  static final double DETAIL_CHAR = 6.6;
  static final double CHAR_WIDTH = 7.4;
  public static final double TASK_HEIGHT = 48;
  public static final double TASK_MIN_WIDTH = 168;
  public static final double TASK_MAX_WIDTH = 272;
  /** Left of a task's text: room for the state icon. */
  public static final double TEXT_INSET = 34;
  public static final double GROUP_HEADER = 30;
  public static final double GROUP_PADDING = 14;
  static final double GROUP_MAX_HEADER_WIDTH = 420;
  static final double EMPTY_GROUP_WIDTH = 150;
  static final double EMPTY_GROUP_HEIGHT = 22;
  /** Margin around the whole drawing. */
  public static final double MARGIN = 8;

  /** A node with its absolute box; groups hold their children. */
  public record Placed(DagModel.Node node, double x, double y, double width, double height, List<Placed> children) {
    public boolean contains(Placed other) {
      return other.x >= x && other.y >= y && other.x + other.width <= x + width
          && other.y + other.height <= y + height;
    }

    public boolean overlaps(Placed other) {
      return x < other.x + other.width && other.x < x + width && y < other.y + other.height
          && other.y < y + height;
    }
  }

  /** An edge between siblings with the absolute points of its line. */
  public record Route(DagModel.Edge edge, List<Point> points) {}

  /**
   * @param root the pipeline: a frame around the top-level tasks (not drawn itself)
   * @param routes every edge, grouped by scope, outer scopes first
   */
  public record Result(Placed root, List<Route> routes, double width, double height) {}

  private DagLayout() {}

  public static Result of(DagModel model) {
    Measured measured = measure(model.root(), model, true);
    List<Route> routes = new ArrayList<>();
    Placed root = place(measured, MARGIN, MARGIN, routes);
    return new Result(root, List.copyOf(routes), measured.width + 2 * MARGIN, measured.height + 2 * MARGIN);
  }

  /** Characters of the name that fit in a task box (longer names are shortened). */
  public static int nameChars(double width) {
    return (int) Math.floor((width - TEXT_INSET - 10) / NAME_CHAR);
  }

  /** Characters of the detail line that fit in a task box. */
  public static int detailChars(double width) {
    return (int) Math.floor((width - TEXT_INSET - 10) / DETAIL_CHAR);
  }

  /** Characters that fit in a group's header. */
  public static int headerChars(double width) {
    return (int) Math.floor((width - TEXT_INSET - 8) / CHAR_WIDTH);
  }

  /** A node measured relative to its parent's interior. */
  private static final class Measured {
    final DagModel.Node node;
    double width;
    double height;
    final List<Measured> children = new ArrayList<>();
    final List<Point> childOffsets = new ArrayList<>();
    final List<DagModel.Edge> edges = new ArrayList<>();
    final List<List<Point>> edgeRoutes = new ArrayList<>();
    /** Where children start, relative to the node's top-left. */
    double insetX;
    double insetY;

    Measured(DagModel.Node node) {
      this.node = node;
    }
  }

  private static Measured measure(DagModel.Node node, DagModel model, boolean isRoot) {
    Measured m = new Measured(node);
    if (!node.isGroup()) {
      double text = Math.max(Labels.name(node).length() * NAME_CHAR, Labels.detail(node).length() * DETAIL_CHAR);
      m.width = clamp(Math.ceil(TEXT_INSET + 10 + text), TASK_MIN_WIDTH, TASK_MAX_WIDTH);
      m.height = TASK_HEIGHT;
      return m;
    }
    List<Size> sizes = new ArrayList<>();
    Map<DagModel.Node, Integer> indexOf = new IdentityHashMap<>();
    for (DagModel.Node child : node.children()) {
      Measured c = measure(child, model, false);
      indexOf.put(child, m.children.size());
      m.children.add(c);
      sizes.add(new Size(c.width, c.height));
    }
    List<int[]> edges = new ArrayList<>();
    for (DagModel.Edge e : model.edges(node)) {
      edges.add(new int[] {indexOf.get(e.from()), indexOf.get(e.to())});
      m.edges.add(e);
    }
    LayeredLayout.Result inner = LayeredLayout.layout(sizes, edges);
    m.childOffsets.addAll(inner.topLeft());
    m.edgeRoutes.addAll(inner.routes());
    double innerWidth = node.children().isEmpty() ? EMPTY_GROUP_WIDTH : inner.width();
    double innerHeight = node.children().isEmpty() ? EMPTY_GROUP_HEIGHT : inner.height();
    if (isRoot) {
      m.width = innerWidth;
      m.height = innerHeight;
      return m;
    }
    double headerWidth = Math.min(GROUP_MAX_HEADER_WIDTH, TEXT_INSET + 8 + Labels.header(node).length() * CHAR_WIDTH);
    m.insetY = GROUP_HEADER;
    m.width = Math.max(innerWidth + 2 * GROUP_PADDING, headerWidth);
    // Centre narrow contents under a wide header.
    m.insetX = (m.width - innerWidth) / 2;
    m.height = GROUP_HEADER + innerHeight + GROUP_PADDING;
    return m;
  }

  private static Placed place(Measured m, double x, double y, List<Route> routes) {
    double innerX = x + m.insetX;
    double innerY = y + m.insetY;
    for (int i = 0; i < m.edges.size(); i++) {
      List<Point> points = new ArrayList<>();
      for (Point p : m.edgeRoutes.get(i)) {
        points.add(new Point(p.x() + innerX, p.y() + innerY));
      }
      routes.add(new Route(m.edges.get(i), List.copyOf(points)));
    }
    List<Placed> children = new ArrayList<>();
    for (int i = 0; i < m.children.size(); i++) {
      Point offset = m.childOffsets.get(i);
      children.add(place(m.children.get(i), innerX + offset.x(), innerY + offset.y(), routes));
    }
    return new Placed(m.node, x, y, m.width, m.height, List.copyOf(children));
  }

  private static double clamp(double value, double min, double max) {
    return Math.max(min, Math.min(max, value));
  }
}
