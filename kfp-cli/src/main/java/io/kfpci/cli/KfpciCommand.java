package io.kfpci.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kfpci}: compile, validate and run Kubeflow Pipelines from any CI. */
@Command(
    name = "kfpci",
    mixinStandardHelpOptions = true,
    versionProvider = KfpciCommand.Version.class,
    description = "Compile, validate and run Kubeflow Pipelines v2 from Jenkins or any CI.",
    subcommands = {CompileCommand.class, ValidateCommand.class, RunCommand.class, DemoCommand.class,
        ReportCommand.class,
        MetricsCommand.class,
        ArtifactsCommand.class,
        CommandLine.HelpCommand.class})
public final class KfpciCommand {

  /** Exit codes: 0 success, 1 the pipeline or run failed, 2 bad usage. */
  static final int OK = 0;
  static final int FAILED = 1;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  static int execute(String... args) {
    CommandLine cli = commandLine();
    int code = cli.execute(args);
    // picocli's writers flush only on println; a report ends with print, and System.exit would
    // drop what is still buffered.
    cli.getOut().flush();
    cli.getErr().flush();
    return code;
  }

  /** The same command line writing to the given streams: what tests run in-process. */
  static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    return cli.execute(args);
  }

  private static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new KfpciCommand());
    cli.setExecutionExceptionHandler(new Failures());
    return cli;
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
