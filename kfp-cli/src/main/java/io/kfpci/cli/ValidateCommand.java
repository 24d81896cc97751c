package io.kfpci.cli;

import io.kfpci.validate.ReportWriters;
import io.kfpci.validate.RunParameters;
import io.kfpci.validate.ValidationReport;
import io.kfpci.validate.Validator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kfpci validate}: structural and semantic checks, plus a preflight of run parameters. */
@Command(name = "validate", description = "Validate compiled pipelines (YAML, JSON, .zip, .tar.gz), and optionally run parameters.")
final class ValidateCommand implements Callable<Integer> {
  enum Format { text, json, junit }

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Pipeline packages to check.")
  List<Path> files;

  @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A run parameter to check against the pipeline's inputs.")
  List<String> params = new ArrayList<>();

  @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), json or junit.")
  Format format = Format.text;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report here (the text summary still goes to the console).")
  Path output;

  @Override
  public Integer call() throws Exception {
    Map<String, String> given = RunParameters.parseAssignments(params);
    List<ValidationReport> reports = new ArrayList<>();
    for (Path file : files) {
      reports.add(Validator.validate(file, given));
    }
    String rendered = switch (format) {
      case text -> ReportWriters.text(reports);
      case json -> ReportWriters.json(reports);
      case junit -> ReportWriters.junit(reports);
    };
    var out = spec.commandLine().getOut();
    if (output != null) {
      if (output.toAbsolutePath().getParent() != null) {
        Files.createDirectories(output.toAbsolutePath().getParent());
      }
      Files.writeString(output, rendered, StandardCharsets.UTF_8);
      out.print(ReportWriters.text(reports));
      out.println("report written to " + output);
    } else {
      out.print(rendered);
    }
    if (reports.stream().anyMatch(ValidationReport::hasErrors)) {
      out.flush();
      Failures.reportHasErrors(reports, spec.commandLine().getErr());
      return ExitCodes.FAILED;
    }
    return ExitCodes.OK;
  }
}
