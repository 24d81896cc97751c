package io.kfpci.gate;

import io.kfpci.KfpException;

/**
 * A gate that cannot be evaluated as written: a rule that does not parse, a rules file that is
 * not valid, a metrics or baseline source that cannot be read. The message names the rule or the
 * file, and where in it the problem is. A rule that is evaluated and does not hold is not an
 * exception but a {@link Verdict}.
 */
public final class GateException extends KfpException {
  private static final long serialVersionUID = 1L;

  public GateException(String message) {
    super(message);
  }

  public GateException(String message, Throwable cause) {
    super(message, cause);
  }
}
