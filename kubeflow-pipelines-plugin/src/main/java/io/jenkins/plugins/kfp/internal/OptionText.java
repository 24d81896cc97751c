package io.jenkins.plugins.kfp.internal;

/**
 * A text option as the steps and build steps keep it: a form, a script or an old config.xml may
 * give null or surrounding blanks, which mean "not given".
 */
public final class OptionText {
  private OptionText() {}

  /** The value without surrounding blanks; "" for null. */
  public static String text(String value) {
    return value == null ? "" : value.strip();
  }

  /** The value without surrounding blanks, or {@code fallback} when that leaves nothing. */
  public static String text(String value, String fallback) {
    String text = text(value);
    return text.isEmpty() ? fallback : text;
  }
}
