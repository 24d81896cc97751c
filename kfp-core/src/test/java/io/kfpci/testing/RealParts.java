package io.kfpci.testing;

import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for a test that needs something this machine may lack (the shared corpus beside the
 * repository, headless Chromium, a machine without a container engine or a GPU): on a developer's
 * machine it skips, saying why; under CI (the environment variable CI set, as .ci/run and every CI
 * service do) it fails, because a skipped test there would pass code nobody checked. Something
 * configured explicitly but unusable (a KFPCI_CHROMIUM that is not a program) is not "missing":
 * callers fail on it everywhere.
 */
public final class RealParts {
  private RealParts() {}

  /** True under CI: CI is set to anything but an empty string, "false" or "0". */
  public static boolean inCi() {
    return inCi(System.getenv());
  }

  static boolean inCi(Map<String, String> env) {
    String ci = env.get("CI");
    return ci != null && !ci.isBlank() && !ci.strip().equalsIgnoreCase("false") && !ci.strip().equals("0");
  }

  /** Skips the running test (locally) or fails it (under CI) unless {@code present}. */
  public static void require(boolean present, String why) {
    if (!present) {
      missing(why);
    }
  }

  /** Skips the running test (locally) or fails it (under CI), saying {@code why}. Never returns. */
  public static void missing(String why) {
    missing(why, System.getenv());
  }

  static void missing(String why, Map<String, String> env) {
    if (inCi(env)) {
      Assertions.fail("CI is set, so this test may not skip: " + why);
    }
    Assumptions.abort("skipped: " + why);
  }
}
