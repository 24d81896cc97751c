package io.kfpci.emulator;

/**
 * The emulator could not start: no swagger where it looked, or the port is taken. Unchecked, unlike
 * kfp-core's {@code KfpException} family, because {@link KfpEmulator#start()} is test support whose
 * signature the client's tests code against; a test that cannot start it simply fails (or skips).
 */
public final class EmulatorStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EmulatorStartException(String message) {
    super(message);
  }

  public EmulatorStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
