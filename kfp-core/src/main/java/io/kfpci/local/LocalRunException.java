package io.kfpci.local;

import io.kfpci.KfpException;
import java.nio.file.Path;

/** A local run could not be set up or resumed (nothing ran); names the run directory when there is one. */
public class LocalRunException extends KfpException {
  private static final long serialVersionUID = 1L;

  private final transient Path runDirectory;

  public LocalRunException(String message, Path runDirectory) {
    super(message);
    this.runDirectory = runDirectory;
  }

  public LocalRunException(String message, Path runDirectory, Throwable cause) {
    super(message, cause);
    this.runDirectory = runDirectory;
  }

  /** The run directory involved, or null. */
  public Path runDirectory() {
    return runDirectory;
  }
}
