package io.kfpci.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An immutable path to a node of a pipeline document, as a list of keys and indices. It is the key
 * of {@link SourceMap} and prints as a JSON path, e.g. {@code $.components['comp-a'].executorLabel}.
 *
 * <p>A path is its last segment plus a link to its parent, with the hash computed once: the loader
 * makes one for every node of a file, so extending a path must not copy it.
 */
public final class FieldPath {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  public static final FieldPath ROOT = new FieldPath(null, null, 0, 1);

  private final FieldPath parent;
  private final Object segment;
  private final int depth;
  /** The hash of {@link #segments()} as a List would compute it. */
  private final int hash;

  private FieldPath(FieldPath parent, Object segment, int depth, int hash) {
    this.parent = parent;
    this.segment = segment;
    this.depth = depth;
    this.hash = hash;
  }

  public static FieldPath of(Object... segments) {
    FieldPath path = ROOT;
    for (Object s : segments) {
      path = s instanceof Integer i ? path.index(i) : path.key(String.valueOf(s));
    }
    return path;
  }

  public FieldPath key(String key) {
    return append(key);
  }

  public FieldPath index(int index) {
    return append(index);
  }

  private FieldPath append(Object next) {
    return new FieldPath(this, next, depth + 1, 31 * hash + next.hashCode());
  }

  /** The path one level up; the root's parent is the root. */
  public FieldPath parent() {
    return isRoot() ? this : parent;
  }

  public boolean isRoot() {
    return depth == 0;
  }

  /** The keys (String) and indices (Integer) from the root down. */
  public List<Object> segments() {
    List<Object> out = new ArrayList<>(depth);
    for (FieldPath p = this; !p.isRoot(); p = p.parent) {
      out.add(p.segment);
    }
    Collections.reverse(out);
    return Collections.unmodifiableList(out);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("$");
    for (Object s : segments()) {
      if (s instanceof Integer) {
        out.append('[').append(s).append(']');
      } else if (IDENTIFIER.matcher((String) s).matches()) {
        out.append('.').append(s);
      } else {
        out.append("['").append(((String) s).replace("\\", "\\\\").replace("'", "\\'")).append("']");
      }
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FieldPath other) || hash != other.hash || depth != other.depth) {
      return false;
    }
    for (FieldPath a = this, b = other; a != b; a = a.parent, b = b.parent) {
      if (!a.segment.equals(b.segment)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
