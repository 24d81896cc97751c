package io.kfpci.cli;

/**
 * Every exit code of {@code kfpci}, in one place (documented in docs/cli.md). Every command uses
 * these and only these, so a script can tell a broken pipeline from a typo on the command line.
 * The remote commands reuse {@link #CANCELED} and {@link #SERVER}; the numbers are fixed now so that
 * scripts written today keep working when they arrive.
 */
public final class ExitCodes {
  /** The command did what it was asked: the pipeline is valid, compiled, or its run succeeded. */
  public static final int OK = 0;
  /**
   * The command ran but its subject failed: an invalid pipeline or run parameter, an input file
   * that is missing or unreadable, a compile error, a failed run, an output that cannot be written.
   */
  public static final int FAILED = 1;
  /**
   * A quality gate held only partly: a {@code warn} rule did not hold (Jenkins: UNSTABLE). Only
   * {@code kfpci gate} returns it.
   */
  public static final int UNSTABLE = 2;
  /**
   * The command line is wrong: an unknown option, a missing argument, a bad option value. Nothing
   * ran. 64 (sysexits' EX_USAGE), not picocli's 2, so that it never reads as an unstable gate.
   */
  public static final int USAGE = 64;
  /** The run was canceled (a cancel request, or the run was stopped on the server). */
  public static final int CANCELED = 3;
  /** A remote command: the KFP server could not be reached, refused, or answered with an error. */
  public static final int SERVER = 4;
  /** kfpci itself was interrupted (128 + SIGINT, as shells report it). */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
