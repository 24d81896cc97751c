package io.kfpci.files;

import io.kfpci.KfpException;

/**
 * A name taken from outside (a pipeline file, a server response) that would make a path leave the
 * directory it belongs in, or that is not usable as a file name at all. Carries the field the name
 * came from, the name (control characters escaped) and why it was refused. Never retryable.
 */
public class UnsafePathException extends KfpException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String name;
  private final String reason;

  public UnsafePathException(String field, String name, String reason) {
    super(field + " '" + SafePaths.printable(name) + "' cannot be used as a file name: " + reason);
    this.field = field;
    this.name = name;
    this.reason = reason;
  }

  /** What the name is, e.g. "output parameter of component 'comp-train'". */
  public String field() {
    return field;
  }

  /** The refused name, as it was given. */
  public String name() {
    return name;
  }

  /** Why it was refused, e.g. "it contains '/'". */
  public String reason() {
    return reason;
  }
}
