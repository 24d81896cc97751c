package io.kfpci.cli;

import io.kfpci.compile.CompileRequest;
import io.kfpci.compile.CompileResult;
import io.kfpci.ir.PipelineOutline;
import io.kfpci.validate.ReportWriters;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kfpci demo}: the main job of the quick start, on the embedded default. */
@Command(name = "demo", description = "Compile and validate the example training pipeline, and describe it.")
final class DemoCommand implements Callable<Integer> {
  static final String EXAMPLE = "examples/ml_training_pipeline.py";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--home", paramLabel = "DIR", description = "The kfpci checkout holding examples/ (default: $KFPCI_HOME, else the current directory).")
  Path home;

  @Mixin PythonOptions python;

  @Override
  public Integer call() throws Exception {
    Path root = home != null ? home : Path.of(System.getenv().getOrDefault("KFPCI_HOME", "."));
    Path source = root.resolve(EXAMPLE).normalize();
    if (!Files.isRegularFile(source)) {
      throw new IllegalArgumentException("cannot find " + EXAMPLE + " under " + root.toAbsolutePath()
          + "; run the demo from the kfpci checkout or pass --home");
    }
    Path output = root.resolve("kfp-runs/demo/ml_training_pipeline.yaml").normalize();
    PrintWriter out = spec.commandLine().getOut();
    out.println("==> compiling " + EXAMPLE + " with the real kfp " + python.kfpVersion
        + " (the first run creates the managed venv; later runs reuse it)");
    out.flush();
    CompileResult result = python.compiler().compile(
        CompileRequest.builder(source).output(output).kfpVersion(python.kfpVersion).build());
    out.println("    IR written to " + root.relativize(output));
    out.println("==> validating");
    out.print(indent(ReportWriters.text(List.of(result.validation()))));
    out.println("==> pipeline");
    describe(PipelineOutline.of(result.document()), out);
    return result.validation().hasErrors() ? KfpciCommand.FAILED : KfpciCommand.OK;
  }

  static void describe(PipelineOutline outline, PrintWriter out) {
    out.println("    name: " + outline.name());
    if (!outline.description().isBlank()) {
      out.println("    description: " + outline.description().strip().lines().findFirst().orElse(""));
    }
    out.println("    inputs:");
    for (PipelineOutline.Input input : outline.inputs()) {
      out.println("      " + input.name() + ": " + input.type()
          + (input.defaultValue().isEmpty() ? (input.optional() ? " (optional)" : " (required)")
              : " = " + input.defaultValue()));
    }
    if (!outline.outputs().isEmpty()) {
      out.println("    outputs:");
      outline.outputs().forEach(o -> out.println("      " + o.name() + ": " + o.type()));
    }
    out.println("    tasks:");
    for (PipelineOutline.Task task : outline.tasks()) {
      StringBuilder line = new StringBuilder("      ").append(task.path()).append(" [").append(task.kind());
      if (!task.image().isEmpty()) {
        line.append(", ").append(task.image());
      }
      line.append(']');
      if (!task.dependsOn().isEmpty()) {
        line.append(" after ").append(String.join(", ", task.dependsOn()));
      }
      if (!task.control().isEmpty()) {
        line.append(" ").append(task.control());
      }
      out.println(line);
    }
    long gpuTasks = outline.tasks().stream().filter(t -> t.accelerator().isPresent()).count();
    out.println("    GPU requests: " + (gpuTasks == 0 ? "none" : ""));
    outline.tasks().stream().filter(t -> t.accelerator().isPresent()).forEach(t ->
        out.println("      " + t.path() + ": " + t.accelerator().get()));
  }

  private static String indent(String text) {
    return text.lines().map(l -> "    " + l + "\n").reduce("", String::concat);
  }
}
