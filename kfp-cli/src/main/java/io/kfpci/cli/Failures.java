package io.kfpci.cli;

import io.kfpci.KfpException;
import io.kfpci.compile.CompileException;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.validate.ReportWriters;
import io.kfpci.validate.ValidationReport;
import java.util.List;
import picocli.CommandLine;

/**
 * Turns exceptions into a short message and an exit code. Expected failures (our own
 * {@link KfpException}s) print their message, never a Java stack trace.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    var err = cli.getErr();
    if (e instanceof CompileException c) {
      err.println("error: " + c.getMessage());
      boolean verbose = parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
      if (verbose && !c.traceback().isEmpty()) {
        err.println(c.traceback().stripTrailing());
      } else if (!c.traceback().isEmpty()) {
        err.println("(run with --verbose for the Python traceback)");
      }
      return KfpciCommand.FAILED;
    }
    if (e instanceof InvalidPipelineException invalid) {
      err.print(ReportWriters.text(List.of(new ValidationReport(
          invalid.problems().isEmpty() ? "" : invalid.problems().get(0).position().file(), invalid.problems()))));
      return KfpciCommand.FAILED;
    }
    if (e instanceof KfpException || e instanceof IllegalArgumentException) {
      err.println("error: " + e.getMessage());
      return e instanceof IllegalArgumentException ? cli.getCommandSpec().exitCodeOnInvalidInput() : KfpciCommand.FAILED;
    }
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      err.println("interrupted");
      return 130;
    }
    if (e instanceof java.io.IOException) {
      err.println("error: " + e.getMessage());
      return KfpciCommand.FAILED;
    }
    throw new IllegalStateException(e);
  }
}
