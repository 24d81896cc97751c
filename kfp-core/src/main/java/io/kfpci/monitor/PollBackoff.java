package io.kfpci.monitor;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait between polls: short while a run shows progress, growing by {@code factor}
 * up to {@code max} while it is quiet (a long training step), back to {@code initial} as soon as
 * something happens. Immutable.
 */
public record PollBackoff(Duration initial, Duration max, double factor) {

  /** A quarter second after activity, up to 15 s when quiet, as the {@code sh} step does. */
  public static final PollBackoff DEFAULT = new PollBackoff(Duration.ofMillis(250), Duration.ofSeconds(15), 1.2);

  public PollBackoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
    }
    if (!(factor >= 1.0)) {
      throw new IllegalArgumentException("factor must be at least 1, not " + factor);
    }
  }

  /** The wait after a poll that waited {@code previous} and did ({@code active}) or did not see progress. */
  public Duration next(Duration previous, boolean active) {
    if (active) {
      return initial;
    }
    long grown = (long) Math.ceil(Math.max(previous.toMillis(), initial.toMillis()) * factor);
    return Duration.ofMillis(Math.min(grown, max.toMillis()));
  }
}
