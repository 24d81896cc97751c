package io.kfpci.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void ceilingsDoubleUpToTheMaximum() {
    RetryPolicy p = new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(8));
    assertThat(p.ceiling(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(p.ceiling(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.ceiling(4)).isEqualTo(Duration.ofSeconds(4));
    assertThat(p.ceiling(5)).isEqualTo(Duration.ofSeconds(8));
    assertThat(p.ceiling(40)).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void delaysAreJitteredBetweenHalfAndTheCeiling() {
    RetryPolicy p = RetryPolicy.DEFAULT;
    SplittableRandom random = new SplittableRandom(42);
    long min = Long.MAX_VALUE;
    long max = 0;
    java.util.Set<Long> distinct = new java.util.HashSet<>();
    for (int i = 0; i < 2000; i++) {
      long d = p.delay(3, random).toMillis();
      min = Math.min(min, d);
      max = Math.max(max, d);
      distinct.add(d);
    }
    assertThat(min).isGreaterThanOrEqualTo(1000);
    assertThat(max).isLessThanOrEqualTo(2000);
    assertThat(distinct.size()).isGreaterThan(500);
  }

  @Test
  void invalidPoliciesAreRefused() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(1)))
        .hasMessage("maxAttempts must be at least 1, not 0");
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessage("need 0 < initial <= max, got PT2S and PT1S");
  }
}
