package io.kfpci.gate;

import java.util.Locale;

/** What a rule that does not hold does to the build: {@code fail} fails it, {@code warn} makes it unstable. */
public enum RuleSeverity {
  FAIL,
  WARN;

  /** The word used in rules files, JSON and the console: {@code fail} or {@code warn}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads {@code fail} or {@code warn} (any case); anything else is an error naming the choices. */
  public static RuleSeverity parse(String word, String where) throws GateException {
    if (word != null) {
      for (RuleSeverity s : values()) {
        if (s.word().equalsIgnoreCase(word.strip())) {
          return s;
        }
      }
    }
    throw new GateException(where + ": severity '" + word + "' is not one of fail, warn");
  }
}
