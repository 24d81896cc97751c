package io.kfpci.report.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FormatTest {
  @Test
  void escapesEveryCharacterThatMeansSomethingInHtml() {
    assertThat(Html.text("<a href=\"x\" title='y'>&amp;</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
    assertThat(Html.text("tab\tnew\nline\rnul\u0000bell\u0007c1\u0085")).isEqualTo("tab\tnew\nlinenul\ufffdbell\ufffdc1\ufffd");
    assertThat(Html.text("plain \u00e9t\u00e9 \ud83d\ude80")).isEqualTo("plain \u00e9t\u00e9 \ud83d\ude80");
  }

  @Test
  void shortensWithoutSplittingACharacter() {
    assertThat(Html.shorten("abcdef", 6)).isEqualTo("abcdef");
    assertThat(Html.shorten("abcdefg", 6)).isEqualTo("abcde\u2026");
    assertThat(Html.shorten("abcd\ud83d\ude80xyz", 6)).isEqualTo("abcd\u2026");
  }

  @Test
  void durationsReadLikeAPersonWouldSayThem() {
    assertThat(Format.duration(Duration.ofMillis(420))).isEqualTo("0.4s");
    assertThat(Format.duration(Duration.ofMillis(9_960))).isEqualTo("10.0s");
    assertThat(Format.duration(Duration.ofSeconds(42))).isEqualTo("42s");
    assertThat(Format.duration(Duration.ofSeconds(185))).isEqualTo("3m 05s");
    assertThat(Format.duration(Duration.ofSeconds(7_380))).isEqualTo("2h 03m");
    assertThat(Format.duration(Instant.EPOCH, null)).isEmpty();
    assertThat(Format.offset(Instant.EPOCH, Instant.EPOCH.plusSeconds(12))).isEqualTo("+12s");
    assertThat(Format.time(Instant.parse("2025-06-01T10:15:02.345Z"))).isEqualTo("2025-06-01 10:15:02 UTC");
  }

  @Test
  void numbersKeepSixSignificantDigitsAndIntegersStayWhole() {
    assertThat(Format.number(200)).isEqualTo("200");
    assertThat(Format.number(0.915)).isEqualTo("0.915");
    assertThat(Format.number(0.123456789)).isEqualTo("0.123457");
    assertThat(Format.number(-0.0093)).isEqualTo("-0.0093");
    assertThat(Format.number(1.5e-7)).isEqualTo("1.5E-7");
    assertThat(Format.number(Double.NaN)).isEqualTo("NaN");
    assertThat(Format.bytes(-1)).isEqualTo("unknown");
    assertThat(Format.bytes(512)).isEqualTo("512 B");
    assertThat(Format.bytes(1_834_502)).isEqualTo("1.7 MiB");
    assertThat(Svg.num(12.04)).isEqualTo("12");
    assertThat(Svg.num(-0.26)).isEqualTo("-0.3");
    assertThat(Svg.num(3.25)).isEqualTo("3.3");
  }
}
