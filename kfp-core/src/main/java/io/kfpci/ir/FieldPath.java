package io.kfpci.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An immutable path to a node of a pipeline document, as a list of keys and indices. It is the key
 * of {@link SourceMap} and prints as a JSON path, e.g. {@code $.components['comp-a'].executorLabel}.
 */
public final class FieldPath {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  public static final FieldPath ROOT = new FieldPath(List.of());

  private final List<Object> segments;
  private final int hash;

  private FieldPath(List<Object> segments) {
    this.segments = segments;
    this.hash = segments.hashCode();
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

  private FieldPath append(Object segment) {
    List<Object> next = new ArrayList<>(segments.size() + 1);
    next.addAll(segments);
    next.add(segment);
    return new FieldPath(List.copyOf(next));
  }

  /** The path one level up; the root's parent is the root. */
  public FieldPath parent() {
    return segments.isEmpty() ? this : new FieldPath(segments.subList(0, segments.size() - 1));
  }

  public boolean isRoot() {
    return segments.isEmpty();
  }

  public List<Object> segments() {
    return segments;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("$");
    for (Object s : segments) {
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
    return o instanceof FieldPath other && hash == other.hash && segments.equals(other.segments);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
