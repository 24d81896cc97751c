package io.kfpci.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kfpci}: compile, validate and run Kubeflow Pipelines from any CI. */
@Command(
    name = "kfpci",
    mixinStandardHelpOptions = true,
    versionProvider = KfpciCommand.Version.class,
    description = "Compile, validate and run Kubeflow Pipelines v2 from Jenkins or any CI.",
    subcommands = {CompileCommand.class, ValidateCommand.class, DemoCommand.class, ReportCommand.class,
        CommandLine.HelpCommand.class})
public final class KfpciCommand {

  /** Exit codes: 0 success, 1 the pipeline or run failed, 2 bad usage. */
  static final int OK = 0;
  static final int FAILED = 1;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  static int execute(String... args) {
    CommandLine cli = new CommandLine(new KfpciCommand());
    cli.setExecutionExceptionHandler(new Failures());
    return cli.execute(args);
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
