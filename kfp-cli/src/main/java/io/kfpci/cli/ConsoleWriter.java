package io.kfpci.cli;

import java.io.BufferedWriter;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.Locale;

/**
 * The console writers of kfpci. Everything the CLI prints goes through one of these, so text taken
 * from input (file names, messages, task output) never reaches the terminal with raw control
 * characters: an escape sequence in a pipeline name cannot recolour, hide or rewrite the console.
 * Line breaks and tabs pass; every other C0/C1 control character, DEL and the Unicode bidirectional
 * overrides are written as {@code \xNN} or {@code \\uNNNN}. A {@code \r} passes only as part of
 * {@code \r\n}.
 */
final class ConsoleWriter extends FilterWriter {
  private boolean pendingCarriageReturn;

  private ConsoleWriter(Writer out) {
    super(out);
  }

  /**
   * A buffered, escaping writer on a stream, flushed explicitly (never on each print): the entry
   * point flushes at the end, and the run's progress lines flush themselves.
   */
  static PrintWriter of(OutputStream stream, Charset charset) {
    return new PrintWriter(new ConsoleWriter(new BufferedWriter(new OutputStreamWriter(stream, charset))), false);
  }

  /** The console's charset: what the JVM uses for its standard streams. */
  static Charset consoleCharset() {
    // stdout.encoding from Java 19, sun.stdout.encoding before; else the platform's, as System.out uses.
    String name = System.getProperty("stdout.encoding",
        System.getProperty("sun.stdout.encoding", System.getProperty("native.encoding")));
    try {
      return name == null ? Charset.defaultCharset() : Charset.forName(name);
    } catch (IllegalArgumentException e) {
      return Charset.defaultCharset();
    }
  }

  /** The same escaping for a single string, e.g. for tests and messages built elsewhere. */
  static String escape(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        b.append(c);
      } else {
        append(b, c);
      }
    }
    return b.toString();
  }

  private static void append(StringBuilder b, char c) {
    if (c == '\n' || c == '\t' || !isControl(c)) {
      b.append(c);
    } else if (c < 0x100) {
      b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
    } else {
      b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
    }
  }

  private static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f)
        || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
  }

  @Override
  public void write(int c) throws IOException {
    write(new char[] {(char) c}, 0, 1);
  }

  @Override
  public void write(char[] chars, int offset, int length) throws IOException {
    StringBuilder b = new StringBuilder(length + 8);
    for (int i = offset; i < offset + length; i++) {
      char c = chars[i];
      if (pendingCarriageReturn) {
        pendingCarriageReturn = false;
        if (c == '\n') {
          b.append('\r');
        } else {
          append(b, '\r');
        }
      }
      if (c == '\r') {
        pendingCarriageReturn = true; // decided by the next character, which may come in the next call
      } else {
        append(b, c);
      }
    }
    out.write(b.toString());
  }

  @Override
  public void write(String text, int offset, int length) throws IOException {
    write(text.toCharArray(), offset, length);
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (pendingCarriageReturn) {
      pendingCarriageReturn = false;
      out.write("\\x0d");
    }
    out.close();
  }
}
