package io.kfpci.ir.internal;

import java.io.StringReader;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.Constant;

/**
 * SnakeYAML's reader over a document already in memory. SnakeYAML's own reader keeps a window
 * from the start of the current token and copies it whole each time it reads 1 KiB more, so one
 * token, comment or line of n characters costs n²/1024 copies: an 8 MiB line took over a minute.
 * Here the whole document is one array and every operation is O(1) or O(length), so loading is
 * linear in the file size. The behaviour (positions, line breaks, the BOM not counting as a
 * column) is that of SnakeYAML 2.x's StreamReader; the printable-character check it does while
 * reading is done before parsing by {@link TreeReader}, with the real line and column.
 * Not thread-safe, like the reader it replaces.
 */
final class LinearStreamReader extends StreamReader {
  private static final String NAME = "'reader'";

  private final int[] data;
  private int pointer;
  private int index;
  private int documentIndex;
  private int line;
  private int column;

  LinearStreamReader(int[] codePoints) {
    super(new StringReader("")); // the superclass's buffering is never used
    this.data = codePoints;
  }

  @Override
  public Mark getMark() {
    return new Mark(NAME, index, line, column, data, pointer);
  }

  @Override
  public void forward() {
    forward(1);
  }

  @Override
  public void forward(int length) {
    for (int i = 0; i < length && pointer < data.length; i++) {
      int c = data[pointer++];
      index++;
      documentIndex++;
      if (Constant.LINEBR.has(c) || (c == '\r' && pointer < data.length && data[pointer] != '\n')) {
        line++;
        column = 0;
      } else if (c != 0xFEFF) {
        column++;
      }
    }
  }

  @Override
  public int peek() {
    return pointer < data.length ? data[pointer] : 0;
  }

  @Override
  public int peek(int offset) {
    long at = (long) pointer + offset;
    return at < data.length ? data[(int) at] : 0;
  }

  @Override
  public String prefix(int length) {
    if (length == 0 || pointer >= data.length) {
      return "";
    }
    return new String(data, pointer, Math.min(length, data.length - pointer));
  }

  @Override
  public String prefixForward(int length) {
    String prefix = prefix(length);
    pointer += length;
    index += length;
    documentIndex += length;
    column += length;
    return prefix;
  }

  @Override
  public int getColumn() {
    return column;
  }

  @Override
  public int getDocumentIndex() {
    return documentIndex;
  }

  @Override
  public void resetDocumentIndex() {
    documentIndex = 0;
  }

  @Override
  public int getIndex() {
    return index;
  }

  @Override
  public int getLine() {
    return line;
  }
}
