package io.kfpci.cli;

/**
 * Exit codes of the commands that talk to a KFP server (docs/remote.md): 0 success, 1 the run
 * failed, 2 bad usage (refused before any call), 3 the run was canceled, 4 the server or the
 * connection failed (unreachable, 401/403, an error answer).
 */
final class RemoteExitCodes {
  static final int SUCCESS = 0;
  static final int RUN_FAILED = 1;
  static final int USAGE = 2;
  static final int RUN_CANCELED = 3;
  static final int SERVER_ERROR = 4;

  private RemoteExitCodes() {}
}
