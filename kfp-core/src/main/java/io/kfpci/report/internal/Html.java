package io.kfpci.report.internal;

/**
 * Escaping for text that comes from a run summary. Every string a summary holds (task names,
 * parameter values, metric names, log lines) may be hostile, so nothing from it reaches the page
 * without passing through {@link #text} or {@link #attr}.
 */
public final class Html {
  private Html() {}

  /** Escapes for element content and for quoted attribute values alike. */
  public static String text(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder out = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      String replacement = replacement(c);
      if (replacement == null) {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(value.length() + 16).append(value, 0, i);
      }
      out.append(replacement);
    }
    return out == null ? value : out.toString();
  }

  /** Same as {@link #text}: attribute values are always double-quoted and escaped the same way. */
  public static String attr(String value) {
    return text(value);
  }

  /** Appends {@code value} escaped. */
  public static StringBuilder append(StringBuilder out, String value) {
    return out.append(text(value));
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
    switch (c) {
      case '&':
        return "&amp;";
      case '<':
        return "&lt;";
      case '>':
        return "&gt;";
      case '"':
        return "&quot;";
      case '\'':
        return "&#39;";
      case '\t':
      case '\n':
        return null;
      case '\r':
        return "";
      default:
        // Control characters are parse errors in HTML (and NUL is dropped unpredictably): show a
        // replacement character so that the reader still sees something was there.
        if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0xfffe || c == 0xffff) {
          return "\ufffd";
        }
        return null;
    }
  }
}
