package io.kfpci.report.internal;

/**
 * Escaping for text that comes from a run summary. Every string a summary holds (task names,
 * parameter values, metric names, log lines) may be hostile, so nothing from it reaches the page
 * without passing through {@link #text} or {@link #attr}.
 */
public final class Html {
  /** Characters below U+00A0 that are replaced; a table, so the common scan stays a tight loop. */
  private static final boolean[] SPECIAL = new boolean[0xa0];

  static {
    for (char c = 0; c < 0x20; c++) {
      SPECIAL[c] = c != '\t' && c != '\n';
    }
    for (char c = 0x7f; c < 0xa0; c++) {
      SPECIAL[c] = true;
    }
    for (char c : new char[] {'&', '<', '>', '"', '\''}) {
      SPECIAL[c] = true;
    }
  }

  private Html() {}

  /** Escapes for element content and for quoted attribute values alike. */
  public static String text(String value) {
    if (value == null) {
      return "";
    }
    int clean = cleanPrefix(value);
    if (clean == value.length()) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length() + 16);
    escape(out, value, clean);
    return out.toString();
  }

  /** Same as {@link #text}: attribute values are always double-quoted and escaped the same way. */
  public static String attr(String value) {
    return text(value);
  }

  /** Appends {@code value} escaped, without an intermediate string. */
  public static StringBuilder append(StringBuilder out, String value) {
    if (value == null) {
      return out;
    }
    int clean = cleanPrefix(value);
    if (clean == value.length()) {
      return out.append(value);
    }
    escape(out, value, clean);
    return out;
  }

  /** How many leading characters need no escaping: most text has none that do. */
  private static int cleanPrefix(String value) {
    int n = value.length();
    int i = 0;
    while (i < n && !special(value.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean special(char c) {
    return c < 0xa0 ? SPECIAL[c] : c >= 0xfffe;
  }

  private static void escape(StringBuilder out, String value, int clean) {
    out.append(value, 0, clean);
    for (int i = clean; i < value.length(); i++) {
      char c = value.charAt(i);
      if (special(c)) {
        out.append(replacement(c));
      } else {
        out.append(c);
      }
    }
  }

  /** Shortens to at most {@code max} characters, marking the cut with an ellipsis. */
  public static String shorten(String value, int max) {
    if (value == null) {
      return "";
    }
    if (value.length() <= max) {
      return value;
    }
    // Do not split a surrogate pair: half of one is not valid text.
    int end = max - 1;
    if (end > 0 && Character.isHighSurrogate(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(0, Math.max(end, 0)) + "\u2026";
  }

  private static String replacement(char c) {
    return switch (c) {
      case '&' -> "&amp;";
      case '<' -> "&lt;";
      case '>' -> "&gt;";
      case '"' -> "&quot;";
      case '\'' -> "&#39;";
      // A carriage return only ends a line: the newline beside it does that already.
      case '\r' -> "";
      // Other control characters are parse errors in HTML (NUL is dropped unpredictably): show a
      // replacement character, so that the reader still sees something was there.
      default -> "\ufffd";
    };
  }
}
