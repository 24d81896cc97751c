package io.kfpci.cli;

import io.kfpci.compile.CompileRequest;
import io.kfpci.compile.CompileResult;
import io.kfpci.validate.ReportWriters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kfpci compile FILE.py}: the real kfp compiler, then our validation of its output. */
@Command(name = "compile", description = "Compile a Python KFP pipeline to IR YAML with the real kfp compiler, then validate it.")
final class CompileCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE.py", description = "The pipeline's Python file.")
  Path source;

  @Option(names = "--function", paramLabel = "NAME", description = "The @dsl.pipeline function (default: the only one in the file).")
  String function;

  @Option(names = {"-o", "--output"}, paramLabel = "OUT.yaml", description = "Where to write the IR (default: FILE.yaml beside the source, e.g. train.py -> train.yaml).")
  Path output;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Compile deadline (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds = 300;

  @Option(names = "--verbose", description = "Show the Python traceback of a failed compile.")
  boolean verbose;

  @Option(names = "--no-compile-cache", description = "Compile even when the cached IR of an unchanged pipeline is still valid.")
  boolean noCompileCache;

  @Mixin PythonOptions python;

  @Override
  public Integer call() throws Exception {
    CompileRequest request = CompileRequest.builder(source).function(function).output(output)
        .kfpVersion(python.kfpVersion).timeout(Duration.ofSeconds(timeoutSeconds))
        .compileCache(!noCompileCache).build();
    CompileResult result = python.compiler().compile(request);
    var out = spec.commandLine().getOut();
    out.println("compiled " + source + " (" + result.function() + ") -> " + result.output()
        + " with kfp " + result.kfpVersion());
    if (verbose && !result.compilerOutput().isBlank()) {
      out.println(result.compilerOutput().stripTrailing());
    }
    out.print(ReportWriters.text(List.of(result.validation())));
    if (result.validation().hasErrors()) {
      out.flush();
      Failures.reportHasErrors(List.of(result.validation()), spec.commandLine().getErr());
      return ExitCodes.FAILED;
    }
    return ExitCodes.OK;
  }
}
