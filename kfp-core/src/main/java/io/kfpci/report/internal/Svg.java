package io.kfpci.report.internal;

import io.kfpci.report.RuntimeState;

/** SVG pieces shared by the graph, the tables and the charts: numbers, icons and markers. */
public final class Svg {
  private Svg() {}

  /**
   * Coordinates to a tenth of a pixel, without exponent or locale: {@code 12}, {@code 12.5},
   * {@code -3.2}.
   */
  public static String num(double value) {
    long tenths = Math.round(value * 10);
    long whole = tenths / 10;
    long fraction = Math.abs(tenths % 10);
    String sign = tenths < 0 && whole == 0 ? "-" : "";
    return fraction == 0 ? sign + whole : sign + whole + "." + fraction;
  }

  /**
   * The icon symbols ({@code #i-succeeded} …, {@code #i-cached}) and the arrowhead, defined once
   * per page in an invisible SVG and used by the graph, the tables and the charts. Each icon is a
   * disc in the current fill with a white glyph, so shape and colour both tell the state.
   */
  public static void defs(StringBuilder out) {
    out.append("<svg class=\"defs\" width=\"0\" height=\"0\" aria-hidden=\"true\">\n")
        .append("<defs>\n")
        .append("<marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">")
        .append("<path class=\"arrowhead\" d=\"M0 0L10 5L0 10z\" fill=\"#8c959f\"/></marker>\n");
    for (RuntimeState state : RuntimeState.values()) {
      out.append("<symbol id=\"").append(States.icon(state)).append("\" viewBox=\"0 0 16 16\">")
          .append("<circle cx=\"8\" cy=\"8\" r=\"8\"/>").append(glyph(state)).append("</symbol>\n");
    }
    // Cached: a cylinder (a store) rather than a tick: the task did not run this time.
    out.append("<symbol id=\"i-cached\" viewBox=\"0 0 16 16\"><circle cx=\"8\" cy=\"8\" r=\"8\"/>")
        .append("<path d=\"M4.5 5.5v5c0 1 1.6 1.8 3.5 1.8s3.5-.8 3.5-1.8v-5M4.5 5.5c0 1 1.6 1.8 3.5 1.8s3.5-.8 3.5-1.8")
        .append("S9.9 3.7 8 3.7 4.5 4.5 4.5 5.5zM4.5 8c0 1 1.6 1.8 3.5 1.8s3.5-.8 3.5-1.8\" ")
        .append("fill=\"none\" stroke=\"#fff\" stroke-width=\"1.3\"/></symbol>\n")
        .append("</defs>\n</svg>\n");
  }

  private static String glyph(RuntimeState state) {
    String stroke = "fill=\"none\" stroke=\"#fff\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\"";
    return switch (state) {
      case SUCCEEDED -> "<path d=\"M4.5 8.3l2.3 2.3 4.7-4.9\" " + stroke + "/>";
      case FAILED -> "<path d=\"M5.3 5.3l5.4 5.4M10.7 5.3l-5.4 5.4\" " + stroke + "/>";
      case RUNNING -> "<path d=\"M6.3 4.6v6.8l5.2-3.4z\" fill=\"#fff\"/>";
      case PENDING -> "<path d=\"M8 4.6V8l2.4 1.6\" " + stroke + "/>";
      case SKIPPED -> "<path d=\"M4.5 8h6M8.6 5.6L11 8l-2.4 2.4\" " + stroke + "/>";
      case CANCELING, CANCELED -> "<path d=\"M5.2 10.8l5.6-5.6\" " + stroke + "/>";
      case PAUSED -> "<path d=\"M6.3 5v6M9.7 5v6\" " + stroke + "/>";
    };
  }

  /** A 14px state icon for inline use in text (tables, the header). */
  public static void inlineIcon(StringBuilder out, RuntimeState state, boolean cached) {
    out.append("<svg class=\"ic ").append(States.css(state)).append("\" width=\"14\" height=\"14\" fill=\"")
        .append(States.stroke(state)).append("\" aria-hidden=\"true\"><use href=\"#")
        .append(cached ? "i-cached" : States.icon(state)).append("\"/></svg>");
  }
}
