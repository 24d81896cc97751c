package io.kfpci.remote.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-line parts of the log path: line splitting with a cap, and the kubelet's timestamps. */
class PodLogsLineTest {
  private static List<String> lines(String text, int max) throws IOException {
    PodLogs.LineReader reader = new PodLogs.LineReader(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
    List<String> out = new ArrayList<>();
    String line;
    while ((line = reader.next()) != null) {
      out.add(line);
    }
    return out;
  }

  @Test
  void linesAreSplitOnNewlineWithCrDroppedALongLineCutAndTheLastKeptWithoutNewline() throws IOException {
    assertThat(lines("a\r\nbb\n\nccccccccccc\nd€", 8)).containsExactly("a", "bb", "",
        "cccccccc [line cut at 8 bytes]", "d€");
    assertThat(lines("", 8)).isEmpty();
    String big = "x".repeat(200_000) + "\ny\n";
    assertThat(lines(big, PodLogs.MAX_LINE_BYTES)).containsExactly(
        "x".repeat(PodLogs.MAX_LINE_BYTES) + " [line cut at " + PodLogs.MAX_LINE_BYTES + " bytes]", "y");
  }

  @Test
  void kubeletTimestampsParseAsInstantParseDoes() {
    for (String s : List.of("2026-11-28T10:00:01Z", "2026-11-28T10:00:01.5Z", "2026-11-28T10:00:01.000000001Z",
        "2024-02-29T23:59:59.123456789Z", "1970-01-01T00:00:00.25Z")) {
      assertThat(PodLogs.timestamp(s)).as(s).isEqualTo(Instant.parse(s));
    }
    assertThatThrownBy(() -> PodLogs.timestamp("2026-13-28T10:00:01Z")).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> PodLogs.timestamp("2026-11-28T10:00:01.1234567890Z"))
        .isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> PodLogs.timestamp("step")).isInstanceOf(DateTimeParseException.class);
  }
}
