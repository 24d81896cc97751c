package io.kfpci.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs the kfpci command line in-process and captures what it prints. */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new KfpciCommand());
    cli.setExecutionExceptionHandler(new Failures());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The repository root: the build passes it (root pom, surefire); else the module's parent. */
  static Path repoRoot() {
    return Path.of(System.getProperty("kfpci.repo.root", "..")).toAbsolutePath().normalize();
  }

  static Path testPipeline(String name) {
    return repoRoot().resolve("kfp-core/src/test/resources/local/pipelines").resolve(name + ".py");
  }
}
