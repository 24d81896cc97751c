package io.kfpci.local.internal;

import io.kfpci.KfpException;

/**
 * A name or URI taken from the pipeline (or from what a task wrote) would make the runner touch a
 * path outside the run: nothing was created, written or deleted for it. Carries the field it came
 * from and the offending value; never retryable.
 */
public final class UnsafePathException extends KfpException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String value;

  public UnsafePathException(String field, String value, String why) {
    super(field + " '" + RunPaths.printable(value) + "' " + why);
    this.field = field;
    this.value = value;
  }

  /** What the value is, e.g. "output parameter name of component 'comp-a'". */
  public String field() {
    return field;
  }

  public String value() {
    return value;
  }
}
