package io.kfpci.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A command line that does not parse: the problem, a suggestion for a mistyped option, and where
 * the help is; exit {@link ExitCodes#USAGE}. The whole usage text would bury the one line that
 * matters, so it is left to {@code --help}.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    PrintWriter err = cli.getErr();
    if (e instanceof UnmatchedArgumentException unmatched && cli.getParent() == null && !unmatched.getUnmatched().isEmpty()
        && !unmatched.getUnmatched().get(0).startsWith("-")) {
      err.println("error: unknown command '" + unmatched.getUnmatched().get(0) + "'; the commands are: "
          + String.join(", ", cli.getSubcommands().keySet()));
    } else {
      err.println("error: " + e.getMessage());
    }
    if (e instanceof UnmatchedArgumentException unmatched) {
      UnmatchedArgumentException.printSuggestions(unmatched, err);
    }
    err.println("Run '" + cli.getCommandSpec().qualifiedName() + " --help' for the options.");
    err.flush();
    return ExitCodes.USAGE;
  }
}
