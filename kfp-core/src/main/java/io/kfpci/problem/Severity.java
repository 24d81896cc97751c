package io.kfpci.problem;

import java.util.Locale;

/** How bad a problem is; only {@link #ERROR} makes a command fail. */
public enum Severity {
  ERROR,
  WARNING,
  INFO;

  /** The lower-case word used in text and JSON output. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
