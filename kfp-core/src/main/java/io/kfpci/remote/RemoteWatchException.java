package io.kfpci.remote;

import io.kfpci.KfpException;

/** Watching a KFP run failed: a damaged saved state, or a run the server no longer knows. */
public class RemoteWatchException extends KfpException {
  private static final long serialVersionUID = 1L;

  public RemoteWatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
