package io.kfpci.problem;

import java.util.Objects;

/**
 * A place in a source file, 1-based like editors and compilers print it. A line of 0 means the
 * whole file (for problems such as "file too large" that have no better place).
 */
public record SourcePosition(String file, int line, int column) {

  public SourcePosition {
    file = Printable.escape(Objects.requireNonNull(file, "file")); // archive member names are input too
    if (line < 0 || column < 0) {
      throw new IllegalArgumentException("line and column must be >= 0");
    }
  }

  public static SourcePosition wholeFile(String file) {
    return new SourcePosition(file, 0, 0);
  }

  @Override
  public String toString() {
    if (line == 0) {
      return file;
    }
    return file + ":" + line + ":" + column;
  }
}
