package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Control characters from input never reach the console raw. */
class ConsoleWriterTest {

  @Test
  void escapesControlCharactersButKeepsLineBreaksAndTabs() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintWriter out = ConsoleWriter.of(bytes, StandardCharsets.UTF_8);

    out.print("a\u001b[31mred\u0007\tb\r\nc\rd\u0085e\u202ef\u007f\n");
    out.print("split\r");
    out.print("\nend\r");
    out.close();

    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
        "a\\x1b[31mred\\x07\tb\r\nc\\x0dd\\x85e\\u202ef\\x7f\nsplit\r\nend\\x0d");
  }

  @Test
  void nothingReachesTheStreamBeforeAFlush() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintWriter out = ConsoleWriter.of(bytes, StandardCharsets.UTF_8);

    out.println("error: something");
    assertThat(bytes.size()).as("buffered like the real console").isZero();
    out.flush();

    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("error: something\n");
  }

  @Test
  void escapeOfAString() {
    assertThat(ConsoleWriter.escape("x\u001b]0;title\u0007y\r\n")).isEqualTo("x\\x1b]0;title\\x07y\r\n");
  }
}
