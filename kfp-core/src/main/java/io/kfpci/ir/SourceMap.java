package io.kfpci.ir;

import io.kfpci.problem.SourcePosition;
import java.util.Map;

/**
 * Where each node of a loaded document came from. Paths use the canonical (lowerCamel) field names
 * of the IR, whatever spelling the file used, so checks can ask for a field by its IR name.
 */
public final class SourceMap {
  private final String file;
  private final Map<FieldPath, SourcePosition> positions;

  public SourceMap(String file, Map<FieldPath, SourcePosition> positions) {
    this.file = file;
    this.positions = Map.copyOf(positions);
  }

  public String file() {
    return file;
  }

  /**
   * The position of {@code path}, or of its nearest ancestor present in the file (a missing field
   * is reported at the object that should hold it).
   */
  public SourcePosition positionOf(FieldPath path) {
    FieldPath at = path;
    while (true) {
      SourcePosition found = positions.get(at);
      if (found != null) {
        return found;
      }
      if (at.isRoot()) {
        return new SourcePosition(file, 1, 1);
      }
      at = at.parent();
    }
  }

  public boolean contains(FieldPath path) {
    return positions.containsKey(path);
  }
}
