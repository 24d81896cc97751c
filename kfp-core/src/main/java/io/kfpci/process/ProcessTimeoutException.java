package io.kfpci.process;

import io.kfpci.KfpException;
import java.time.Duration;

/** A child process ran past its deadline and was killed with its descendants. */
public class ProcessTimeoutException extends KfpException {
  private static final long serialVersionUID = 1L;

  public ProcessTimeoutException(String what, Duration timeout) {
    super(what + " did not finish within " + timeout.toSeconds() + " s and was stopped");
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
