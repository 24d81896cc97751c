package io.kfpci.client;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter for retryable failures (502, 503, 504, connection errors)
 * of idempotent calls, and for creates guarded by a look-up. Immutable.
 *
 * @param maxAttempts attempts in all, the first included (1 = never retry)
 * @param initial the cap of the first wait
 * @param max the cap of every wait
 */
public record RetryPolicy(int maxAttempts, Duration initial, Duration max) {

  /** Six attempts, waits capped at 0.5 s, 1 s, 2 s, 4 s, 8 s. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(8));

  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1));

  public RetryPolicy {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
    }
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
    }
  }

  /** The cap of the wait before attempt {@code attempt + 1} (attempt counts from 1): initial * 2^(attempt-1), at most max. */
  public Duration ceiling(int attempt) {
    long millis = initial.toMillis() << Math.min(Math.max(attempt - 1, 0), 30);
    return Duration.ofMillis(Math.min(millis, max.toMillis()));
  }

  /**
   * The wait after failed attempt {@code attempt}: uniformly random in [ceiling/2, ceiling], so
   * many clients failing together do not come back together, yet each waits a little.
   */
  public Duration delay(int attempt, RandomGenerator random) {
    long cap = ceiling(attempt).toMillis();
    long half = cap / 2;
    return Duration.ofMillis(half + (cap - half == 0 ? 0 : random.nextLong(cap - half + 1)));
  }
}
