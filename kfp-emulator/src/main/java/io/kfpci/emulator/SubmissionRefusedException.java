package io.kfpci.emulator;

import io.kfpci.KfpException;

/** Thrown by a {@link RunExecutor} that cannot start a run; the emulator answers CreateRun with 500. */
public final class SubmissionRefusedException extends KfpException {
  private static final long serialVersionUID = 1L;

  public SubmissionRefusedException(String message) {
    super(message);
  }
}
