package io.kfpci.monitor.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads whole lines of a growing file from a byte offset. A line is handed out only once its
 * newline is written, so the offset after a read is always at a line start and a reader that
 * resumes from it neither repeats nor loses a line. Stateless.
 */
public final class LogTail {
  private LogTail() {}

  /**
   * Lines read and where the next read starts.
   *
   * @param more true when the read stopped at its size limit before the end of the file
   */
  public record Chunk(List<String> lines, long nextOffset, boolean more) {}

  /**
   * Reads at most {@code maxBytes} from {@code offset}. A missing file reads as empty.
   *
   * @param final_ true when nothing will be appended any more: a last line without a newline is
   *     then returned too
   */
  public static Chunk read(Path file, long offset, int maxBytes, boolean final_) throws IOException {
    if (maxBytes < 4) {
      throw new IllegalArgumentException("maxBytes must be at least 4");
    }
    long size;
    try {
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      return new Chunk(List.of(), offset, false);
    }
    if (size <= offset) {
      return new Chunk(List.of(), offset, false);
    }
    int want = (int) Math.min(maxBytes, size - offset);
    ByteBuffer buffer = ByteBuffer.allocate(want);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.position(offset);
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // keep reading until the buffer is full or the file ends
      }
    }
    byte[] bytes = buffer.array();
    int length = buffer.position();
    boolean atEnd = offset + length >= size;
    int end = lastNewline(bytes, length) + 1;
    if (end == 0) {
      if (length == maxBytes) {
        // One line longer than a whole read: hand it out in pieces rather than never.
        end = utf8Boundary(bytes, length);
      } else if (final_ && atEnd) {
        end = length;
      } else {
        return new Chunk(List.of(), offset, false);
      }
    } else if (final_ && atEnd && end < length) {
      end = length;
    }
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < end; i++) {
      if (bytes[i] == '\n') {
        lines.add(decode(bytes, start, i));
        start = i + 1;
      }
    }
    if (start < end) {
      lines.add(decode(bytes, start, end));
    }
    // "More" means unread complete data, not a half-written last line: that waits for its newline.
    return new Chunk(lines, offset + end, !atEnd);
  }

  private static int lastNewline(byte[] bytes, int length) {
    for (int i = length - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** The largest cut at or before {@code length} that does not split a UTF-8 sequence. */
  static int utf8Boundary(byte[] bytes, int length) {
    int lead = length;
    // Continuation bytes are 10xxxxxx; a sequence is at most four bytes long.
    while (lead > 0 && length - lead < 3 && (bytes[lead - 1] & 0xC0) == 0x80) {
      lead--;
    }
    if (lead == 0 || (bytes[lead - 1] & 0xC0) != 0xC0) {
      return length;
    }
    int first = bytes[lead - 1] & 0xFF;
    int needed = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : 2;
    int have = length - (lead - 1);
    return have >= needed || lead - 1 == 0 ? length : lead - 1;
  }

  private static String decode(byte[] bytes, int from, int to) {
    int end = to;
    if (end > from && bytes[end - 1] == '\r') {
      end--;
    }
    return new String(bytes, from, end - from, StandardCharsets.UTF_8);
  }

  /**
   * Splits a run.log line into its task id and text: {@code [for-loop-2[3]/train] epoch 1} is
   * task {@code for-loop-2[3]/train}. Brackets inside the id must balance; a line without a
   * well-formed prefix belongs to the runner itself (task id "").
   */
  public static String[] splitTaskPrefix(String line) {
    if (line.isEmpty() || line.charAt(0) != '[') {
      return new String[] {"", line};
    }
    int depth = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
        if (depth == 0) {
          String id = line.substring(1, i);
          if (id.isEmpty() || id.chars().anyMatch(Character::isWhitespace)) {
            return new String[] {"", line};
          }
          if (i + 1 == line.length()) {
            return new String[] {id, ""};
          }
          if (line.charAt(i + 1) == ' ') {
            return new String[] {id, line.substring(i + 2)};
          }
          return new String[] {"", line};
        }
      }
    }
    return new String[] {"", line};
  }
}
