package io.kfpci.monitor;

import io.kfpci.KfpException;
import java.nio.file.Path;

/**
 * Launching, watching or cancelling a local run failed. Carries the run directory; a failure to
 * read a file that may be written again (an I/O error on a network file system) is retryable.
 */
public class MonitorException extends KfpException {
  private static final long serialVersionUID = 1L;

  private final String runDirectory;
  private final boolean retryable;

  public MonitorException(Path runDirectory, String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.runDirectory = runDirectory == null ? "" : runDirectory.toString();
    this.retryable = retryable;
  }

  public MonitorException(Path runDirectory, String message) {
    this(runDirectory, message, false, null);
  }

  /** The run directory concerned, "" when there is none yet. */
  public String runDirectory() {
    return runDirectory;
  }

  @Override
  public boolean isRetryable() {
    return retryable;
  }
}
