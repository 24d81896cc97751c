package io.kfpci.cli;

import io.kfpci.KfpException;
import io.kfpci.compile.CompileException;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.problem.Problem;
import io.kfpci.problem.Severity;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;

/**
 * Turns exceptions into a message on stderr and an exit code ({@link ExitCodes}). Every path prints
 * what failed and what to do, and flushes; expected failures (our own {@link KfpException}s, I/O
 * errors) never print a Java stack trace.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    try {
      return report(e, cli, parsed, err);
    } finally {
      err.flush();
    }
  }

  private static int report(Exception e, CommandLine cli, CommandLine.ParseResult parsed, PrintWriter err) {
    String command = cli.getCommandSpec().qualifiedName();
    if (e instanceof CompileException c) {
      err.println("error: " + c.getMessage());
      boolean verbose = parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
      if (verbose && !c.traceback().isEmpty()) {
        err.println(c.traceback().stripTrailing());
      } else if (!c.traceback().isEmpty()) {
        err.println("(run with --verbose for the Python traceback)");
      }
      return ExitCodes.FAILED;
    }
    if (e instanceof InvalidPipelineException invalid) {
      long errors = 0;
      for (Problem p : invalid.problems()) {
        err.println(p.headline());
        if (!p.hint().isEmpty()) {
          err.println("    hint: " + p.hint());
        }
        errors += p.severity() == Severity.ERROR ? 1 : 0;
      }
      err.println("error: the pipeline cannot " + verb(command) + " (" + errors + (errors == 1 ? " error" : " errors")
          + " above); nothing ran. Fix the pipeline or the -p parameters; 'kfpci validate FILE -p NAME=VALUE'"
          + " checks both without running anything.");
      return ExitCodes.FAILED;
    }
    if (e instanceof IllegalArgumentException) {
      err.println("error: " + e.getMessage());
      err.println("Run '" + command + " --help' for the options.");
      return ExitCodes.USAGE;
    }
    if (e instanceof KfpException) {
      err.println("error: " + e.getMessage());
      return ExitCodes.FAILED;
    }
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      err.println("error: interrupted; nothing more was done");
      return ExitCodes.INTERRUPTED;
    }
    if (e instanceof IOException io) {
      err.println("error: " + describe(io));
      return ExitCodes.FAILED;
    }
    if (e instanceof UncheckedIOException io) {
      err.println("error: " + describe(io.getCause()));
      return ExitCodes.FAILED;
    }
    // A bug of kfpci, not of the input: say so, and keep the trace for the report.
    err.println("error: kfpci failed unexpectedly: " + e);
    err.println("This is a bug in kfpci; please report it with the command you ran and the trace below.");
    e.printStackTrace(err);
    return ExitCodes.FAILED;
  }

  /**
   * The last line on stderr of a command whose report (on stdout, perhaps JSON or JUnit) has
   * errors, so a failing command always says so where errors go.
   */
  static void reportHasErrors(java.util.List<io.kfpci.validate.ValidationReport> reports, PrintWriter err) {
    long errors = reports.stream().mapToLong(io.kfpci.validate.ValidationReport::errorCount).sum();
    long files = reports.stream().filter(io.kfpci.validate.ValidationReport::hasErrors).count();
    err.println("error: " + errors + (errors == 1 ? " error" : " errors") + " in " + files + " of " + reports.size()
        + (reports.size() == 1 ? " file" : " files") + "; each is listed with its file:line and hint"
        + " (the rules: docs/validation-rules.md)");
    err.flush();
  }

  private static String verb(String command) {
    return command.endsWith(" run") || command.endsWith(" demo") ? "run" : "be used";
  }

  /**
   * An I/O failure as a user can act on it: the file and why (the JDK's messages are often just
   * the path), and what to check.
   */
  static String describe(IOException e) {
    if (e instanceof FileSystemException fs && fs.getFile() != null) {
      String file = fs.getFile() + (fs.getOtherFile() != null ? " -> " + fs.getOtherFile() : "");
      String reason = fs.getReason();
      if (reason != null) {
        // The operating system's words ("Not a directory", "No space left on device") or ours.
        return file + ": " + reason;
      }
      if (e instanceof AccessDeniedException) {
        return file + ": permission denied; check that you may write there, or choose another path";
      }
      if (e instanceof NoSuchFileException) {
        return file + ": no such file or directory";
      }
      if (e instanceof NotDirectoryException) {
        return file + ": not a directory";
      }
      if (e instanceof FileAlreadyExistsException) {
        return file + ": already exists and is not a directory";
      }
      if (e instanceof DirectoryNotEmptyException) {
        return file + ": directory not empty";
      }
      return file + ": " + e.getClass().getSimpleName();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
