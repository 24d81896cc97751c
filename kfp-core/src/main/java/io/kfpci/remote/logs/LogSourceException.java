package io.kfpci.remote.logs;

import io.kfpci.KfpException;

/** A log source (the cluster, the API server, the object store) could not be read; the message says which and why. */
public class LogSourceException extends KfpException {
  private static final long serialVersionUID = 1L;
  private final String source;

  public LogSourceException(String source, String message, Throwable cause) {
    super(message, cause);
    this.source = source;
  }

  /** Which source failed, e.g. "pod wf-system-container-impl-1 in team-a". */
  public String source() {
    return source;
  }
}
