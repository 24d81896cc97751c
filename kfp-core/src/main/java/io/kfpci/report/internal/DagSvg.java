package io.kfpci.report.internal;

import io.kfpci.report.RuntimeState;
import io.kfpci.report.internal.DagLayout.Placed;
import io.kfpci.report.internal.LayeredLayout.Point;
import java.util.List;

/**
 * Draws a {@link DagLayout} as inline SVG. Painted in three passes so that nothing hides what
 * matters: group frames, then edges, then boxes and headers. Colours come from CSS classes (for
 * dark mode) and are repeated as presentation attributes (for a host that strips the stylesheet);
 * every state also has its own icon and word, so colour is never the only cue.
 */
public final class DagSvg {
  private DagSvg() {}

  public static void write(DagLayout.Result layout, String pipelineName, int taskCount, StringBuilder out) {
    String w = Svg.num(layout.width());
    String h = Svg.num(layout.height());
    out.append("<svg class=\"dag\" width=\"").append(w)
        .append("\" height=\"").append(h).append("\" viewBox=\"0 0 ").append(w).append(' ').append(h)
        .append("\" role=\"img\" aria-labelledby=\"dag-title\" font-family=\"sans-serif\" font-size=\"13\">\n")
        .append("<title id=\"dag-title\">Graph of ");
    Html.append(out, pipelineName).append(": ").append(taskCount).append(taskCount == 1 ? " task" : " tasks")
        .append("</title>\n");
    out.append("<g class=\"frames\">\n");
    for (Placed child : layout.root().children()) {
      frames(child, false, out);
    }
    out.append("</g>\n<g class=\"edges\">\n");
    for (DagLayout.Route route : layout.routes()) {
      edge(route, out);
    }
    out.append("</g>\n<g class=\"nodes\">\n");
    for (Placed child : layout.root().children()) {
      nodes(child, false, out);
    }
    out.append("</g>\n</svg>\n");
  }

  private static void frames(Placed p, boolean dimmedAbove, StringBuilder out) {
    if (!p.node().isGroup()) {
      return;
    }
    boolean dim = dimmedAbove || p.node().dimmed();
    RuntimeState state = p.node().state();
    String cls = "frame " + States.css(state) + (dim ? " dim" : "");
    if (p.node().shape() == DagModel.Shape.LOOP) {
      // A second frame peeking out behind: a stack of iterations.
      rect(out, "frame-stack " + cls, p.x() + 4, p.y() + 4, p.width(), p.height(), 10,
          States.fill(state), States.stroke(state));
    }
    rect(out, cls, p.x(), p.y(), p.width(), p.height(), 10, States.fill(state), States.stroke(state));
    for (Placed child : p.children()) {
      frames(child, dim, out);
    }
  }

  private static void edge(DagLayout.Route route, StringBuilder out) {
    List<Point> points = route.points();
    if (points.size() < 2) {
      return;
    }
    boolean dim = route.edge().from().dimmed() || route.edge().to().dimmed();
    out.append("<path class=\"edge ").append(route.edge().data() ? "data" : "after").append(dim ? " dim" : "")
        .append("\" data-from=\"").append(Html.attr(route.edge().from().key()))
        .append("\" data-to=\"").append(Html.attr(route.edge().to().key()))
        .append("\" d=\"M").append(Svg.num(points.get(0).x())).append(' ').append(Svg.num(points.get(0).y()));
    for (int i = 1; i < points.size(); i++) {
      Point a = points.get(i - 1);
      Point b = points.get(i);
      if (a.y() == b.y()) {
        out.append(" L").append(Svg.num(b.x())).append(' ').append(Svg.num(b.y()));
      } else {
        // Horizontal tangents at both ends: the line leaves and enters boxes level.
        double bend = Math.max(24, Math.abs(b.x() - a.x()) / 2);
        out.append(" C").append(Svg.num(a.x() + bend)).append(' ').append(Svg.num(a.y()))
            .append(' ').append(Svg.num(b.x() - bend)).append(' ').append(Svg.num(b.y()))
            .append(' ').append(Svg.num(b.x())).append(' ').append(Svg.num(b.y()));
      }
    }
    out.append("\" fill=\"none\" stroke=\"#8c959f\" stroke-width=\"1.5\"")
        .append(route.edge().data() ? "" : " stroke-dasharray=\"5 4\"")
        .append(" marker-end=\"url(#arrow)\"/>\n");
  }

  private static void nodes(Placed p, boolean dimmedAbove, StringBuilder out) {
    DagModel.Node node = p.node();
    boolean dim = dimmedAbove || node.dimmed();
    RuntimeState state = node.state();
    out.append("<g class=\"node ").append(node.isGroup() ? "group" : "task").append(' ').append(States.css(state))
        .append(dim ? " dim" : "").append("\" id=\"n").append(node.index())
        .append("\" data-task=\"").append(Html.attr(node.key()))
        .append("\" data-state=\"").append(state.name())
        .append("\" data-runs=\"").append(node.counted().size()).append("\">\n<title>");
    Html.append(out, Html.shorten(Labels.title(node), 2000)).append("</title>\n");
    boolean cachedIcon = !node.isGroup() && node.executions().size() == 1 && node.executions().get(0).cached();
    String icon = cachedIcon ? "i-cached" : States.icon(state);
    if (node.isGroup()) {
      icon(out, icon, state, p.x() + 8, p.y() + 6);
      clipStart(out, p.x() + DagLayout.TEXT_INSET - 2, p.y(), p.width() - DagLayout.TEXT_INSET - 4, DagLayout.GROUP_HEADER);
      text(out, "gname", 0, 20, Html.shorten(Labels.header(node), DagLayout.headerChars(p.width())));
      out.append("</svg>\n");
      if (node.children().isEmpty()) {
        text(out, "empty", p.x() + DagLayout.GROUP_PADDING, p.y() + DagLayout.GROUP_HEADER + 15,
            "no tasks recorded");
      }
      out.append("</g>\n");
      for (Placed child : p.children()) {
        nodes(child, dim, out);
      }
      return;
    }
    rect(out, "box", p.x(), p.y(), p.width(), p.height(), 7, States.fill(state), States.stroke(state));
    icon(out, icon, state, p.x() + 9, p.y() + 15);
    clipStart(out, p.x() + DagLayout.TEXT_INSET, p.y(), p.width() - DagLayout.TEXT_INSET - 6, p.height());
    text(out, "name", 0, 20, Html.shorten(Labels.name(node), DagLayout.nameChars(p.width())));
    text(out, "detail", 0, 37, Html.shorten(Labels.detail(node), DagLayout.detailChars(p.width())));
    out.append("</svg>\n");
    out.append("</g>\n");
  }

  private static void rect(StringBuilder out, String cls, double x, double y, double w, double h, int rx,
      String fill, String stroke) {
    out.append("<rect class=\"").append(cls).append("\" x=\"").append(Svg.num(x)).append("\" y=\"")
        .append(Svg.num(y)).append("\" width=\"").append(Svg.num(w)).append("\" height=\"").append(Svg.num(h))
        .append("\" rx=\"").append(rx).append("\" fill=\"").append(fill).append("\" stroke=\"").append(stroke)
        .append("\"/>\n");
  }

  private static void icon(StringBuilder out, String id, RuntimeState state, double x, double y) {
    out.append("<use class=\"ic ").append(States.css(state)).append("\" href=\"#").append(id).append("\" x=\"")
        .append(Svg.num(x)).append("\" y=\"").append(Svg.num(y))
        .append("\" width=\"18\" height=\"18\" fill=\"").append(States.stroke(state)).append("\"/>\n");
  }

  /**
   * Opens a nested viewport: it clips what is inside to the box, so text wider than the width
   * estimates (there are no font metrics here) is cut at the edge instead of running over.
   */
  private static void clipStart(StringBuilder out, double x, double y, double w, double h) {
    out.append("<svg class=\"clip\" x=\"").append(Svg.num(x)).append("\" y=\"").append(Svg.num(y))
        .append("\" width=\"").append(Svg.num(w)).append("\" height=\"").append(Svg.num(h)).append("\">\n");
  }

  private static void text(StringBuilder out, String cls, double x, double y, String value) {
    out.append("<text class=\"").append(cls).append("\" x=\"").append(Svg.num(x)).append("\" y=\"")
        .append(Svg.num(y)).append("\">");
    Html.append(out, value).append("</text>\n");
  }
}
