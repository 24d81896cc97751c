package io.kfpci.emulator;

/**
 * Thrown by a {@link RunExecutor} that cannot start a run; the emulator answers CreateRun with 500.
 * Not a kfp-core {@code KfpException}: this test-support module cannot depend on kfp-core, whose
 * own tests use it.
 */
public final class SubmissionRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  public SubmissionRefusedException(String message) {
    super(message);
  }
}
