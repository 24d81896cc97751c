package io.kfpci.problem;

/**
 * Text from a pipeline file made safe to print: a terminal must not receive the file's escape
 * sequences, a reader must not be fooled by bidirectional overrides, and XML 1.0 (JUnit reports)
 * must not receive characters it forbids even as references. Each such character becomes
 * {@code \\uXXXX}; everything else, non-ASCII letters included, is kept.
 */
public final class Printable {
  private Printable() {}

  /** {@code text} with every unsafe character escaped; the same instance when there is none. */
  public static String escape(String text) {
    if (text == null) {
      return null;
    }
    int first = firstUnsafe(text);
    if (first < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isUnsafe(text, i)) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
        if (Character.isHighSurrogate(c)) {
          out.append(text.charAt(++i)); // a valid pair: isUnsafe checked its low half
        }
      }
    }
    return out.toString();
  }

  private static int firstUnsafe(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (isUnsafe(text, i)) {
        return i;
      }
      if (Character.isHighSurrogate(text.charAt(i))) {
        i++;
      }
    }
    return -1;
  }

  /** The char at {@code i} (the start of a code point) is unsafe to print. */
  private static boolean isUnsafe(String text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
      return true; // unpaired, or a non-character XML forbids
    }
    return switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
      default -> false;
    };
  }
}
