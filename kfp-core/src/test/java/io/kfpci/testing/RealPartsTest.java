package io.kfpci.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RealPartsTest {
  @Test
  void aMissingPartSkipsLocallyWithItsReason() {
    assertThatThrownBy(() -> RealParts.missing("no chromium", Map.of()))
        .isExactlyInstanceOf(TestAbortedException.class).hasMessage("skipped: no chromium");
    assertThatThrownBy(() -> RealParts.missing("no chromium", Map.of("CI", "false")))
        .isExactlyInstanceOf(TestAbortedException.class);
    assertThatThrownBy(() -> RealParts.missing("no chromium", Map.of("CI", "")))
        .isExactlyInstanceOf(TestAbortedException.class);
  }

  @Test
  void aMissingPartFailsUnderCi() {
    for (String ci : new String[] {"true", "1", "yes"}) {
      assertThatThrownBy(() -> RealParts.missing("no chromium", Map.of("CI", ci)))
          .isExactlyInstanceOf(AssertionFailedError.class)
          .hasMessage("CI is set, so this test may not skip: no chromium");
    }
    assertThat(RealParts.inCi(Map.of("CI", "0"))).isFalse();
  }
}
