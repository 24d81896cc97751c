package io.kfpci.python;

import io.kfpci.KfpException;

/** A managed Python environment could not be created or completed. */
public class PythonEnvironmentException extends KfpException {
  private static final long serialVersionUID = 1L;

  public PythonEnvironmentException(String message) {
    super(message);
  }

  public PythonEnvironmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
