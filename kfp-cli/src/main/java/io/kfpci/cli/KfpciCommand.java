package io.kfpci.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/** {@code kfpci}: compile, validate and run Kubeflow Pipelines from any CI. */
@Command(
    name = "kfpci",
    mixinStandardHelpOptions = true,
    versionProvider = KfpciCommand.Version.class,
    description = "Compile, validate and run Kubeflow Pipelines v2 from Jenkins or any CI.",
    footer = {"", "Run 'kfpci COMMAND --help' for the options of a command; docs/cli.md has them all."},
    subcommands = {CompileCommand.class, ValidateCommand.class, RunCommand.class, DemoCommand.class,
        ReportCommand.class,
        UploadCommand.class, SubmitCommand.class, WatchCommand.class, RunsCommand.class, TerminateCommand.class,
        ScheduleCommand.class,
        GateCommand.class, DeployCommand.class, AgentPodCommand.class, PreflightCommand.class,
        MetricsCommand.class,
        ArtifactsCommand.class,
        LogsCommand.class,
        CommandLine.HelpCommand.class})
public final class KfpciCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** {@code kfpci} alone: the help, on stderr, as for any other usage error. */
  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    err.println("error: give a command, e.g. 'kfpci demo' or 'kfpci run --local FILE'");
    spec.commandLine().usage(err);
    return ExitCodes.USAGE;
  }

  public static void main(String[] args) {
    var charset = ConsoleWriter.consoleCharset();
    System.exit(execute(ConsoleWriter.of(System.out, charset), ConsoleWriter.of(System.err, charset), args));
  }

  /**
   * Runs one command line on the given writers and flushes them: what {@link #main} does, and what
   * the in-process tests call, so both share the writers' buffering and the final flush.
   */
  static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = commandLine(out, err);
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * The one way to build the command line: every command and subcommand prints to {@code out} and
   * {@code err} (picocli would otherwise give each subcommand its own, never-flushed writers), gets
   * {@code -h/--help} and the exit code list, and maps exceptions and usage errors to messages.
   */
  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new KfpciCommand());
    configure(cli);
    cli.setExecutionExceptionHandler(new Failures());
    cli.setParameterExceptionHandler(new UsageErrors());
    cli.setOut(out);
    cli.setErr(err);
    return cli;
  }

  private static void configure(CommandLine command) {
    CommandSpec spec = command.getCommandSpec();
    if (spec.findOption("--help") == null && !(command.getCommand() instanceof CommandLine.HelpCommand)) {
      spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
          .description("Show this help message and exit.").build());
    }
    if (!(command.getCommand() instanceof CommandLine.HelpCommand)) {
      spec.usageMessage().exitCodeListHeading("%nExit codes (docs/cli.md):%n").exitCodeList(exitCodeList());
    }
    command.getSubcommands().values().forEach(KfpciCommand::configure);
  }

  /** The exit codes as the help shows them; docs/cli.md has the same table. */
  static Map<String, String> exitCodeList() {
    Map<String, String> codes = new LinkedHashMap<>();
    codes.put(ExitCodes.OK + "", "success");
    codes.put(ExitCodes.FAILED + "", "failed: invalid pipeline or parameter, missing or unreadable input, "
        + "compile error, failed run, unwritable output");
    codes.put(ExitCodes.UNSTABLE + "", "unstable: a warn rule of a quality gate did not hold (kfpci gate)");
    codes.put(ExitCodes.CANCELED + "", "the run was canceled");
    codes.put(ExitCodes.SERVER + "", "server error: the KFP server could not be reached, refused, or answered with an error");
    codes.put(ExitCodes.USAGE + "", "usage error: unknown option, missing argument, bad option value");
    codes.put(ExitCodes.INTERRUPTED + "", "interrupted (Ctrl-C)");
    return codes;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = KfpciCommand.class.getPackage().getImplementationVersion();
      return new String[] {"kfpci " + (version == null ? "dev" : version)
          + " (kfp SDK " + io.kfpci.python.PythonSettings.DEFAULT_KFP_VERSION + ")"};
    }
  }
}
