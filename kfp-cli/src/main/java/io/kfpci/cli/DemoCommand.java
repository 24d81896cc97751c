package io.kfpci.cli;

import io.kfpci.compile.CompileRequest;
import io.kfpci.local.LocalRunSpec;
import io.kfpci.local.LocalRunner;
import io.kfpci.local.RunListener;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.MetricSummary;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import io.kfpci.compile.CompileResult;
import io.kfpci.ir.PipelineOutline;
import io.kfpci.validate.ReportWriters;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kfpci demo}: the main job of the quick start, on the embedded default. */
@Command(name = "demo", description = "Compile, validate and run the example training pipeline locally; a second run shows cache hits.")
final class DemoCommand implements Callable<Integer> {
  static final String EXAMPLE = "examples/ml_training_pipeline.py";
  static final String DATA = "examples/data/training.csv";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--home", paramLabel = "DIR", description = "The kfpci checkout holding examples/ (default: $KFPCI_HOME, else the current directory).")
  Path home;

  @Option(names = "--pipeline-root", paramLabel = "DIR", description = "Where the run goes (default: kfp-runs under the checkout).")
  Path pipelineRoot;

  @Option(names = "--parallelism", paramLabel = "N", description = "Tasks running at once (default: the number of cores).")
  int parallelism = Runtime.getRuntime().availableProcessors();

  @Option(names = "--no-cache", description = "Run every task even when a cached result exists.")
  boolean noCache;

  @Option(names = "--verbose", description = "Also print the tasks' own output, as 'kfpci run' does by default (run.log has it anyway).")
  boolean verbose;

  @Mixin PythonOptions python;

  @Override
  public Integer call() throws Exception {
    Path root = home != null ? home : Path.of(System.getenv().getOrDefault("KFPCI_HOME", "."));
    Path source = root.resolve(EXAMPLE).normalize();
    if (!Files.isRegularFile(source)) {
      throw new NoSuchFileException(source.toString(), null, "cannot find the demo's " + EXAMPLE
          + "; run the demo from the kfpci checkout, or pass --home with the checkout's directory");
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
    if (result.validation().hasErrors()) {
      out.flush();
      Failures.reportHasErrors(List.of(result.validation()), spec.commandLine().getErr());
      return ExitCodes.FAILED;
    }

    Path data = root.resolve(DATA).toAbsolutePath().normalize();
    Path runs = (pipelineRoot != null ? pipelineRoot : root.resolve("kfp-runs")).toAbsolutePath().normalize();
    out.println("==> running locally on " + root.relativize(root.resolve(DATA)) + " (tasks run on this machine;"
        + " Python components in managed venvs, created on first use)");
    out.flush();
    RunOutput console = new RunOutput(verbose ? RunOutput.Level.NORMAL : RunOutput.Level.QUIET);
    LocalRunner runner = LocalRunner.prepare(LocalRunSpec.builder().pipeline(output)
        .parameters(Map.of("data_path", data.toString())).pipelineRoot(runs).noCache(noCache).parallelism(parallelism)
        .kfpVersion(python.kfpVersion).python(python.python).cacheDirectory(python.cacheDir).build(),
        new RunListener() {
          @Override
          public void line(String line) {
            synchronized (out) {
              if (console.shows(line)) {
                out.println("    " + line);
                out.flush();
              }
            }
          }
        });
    RunSummary summary = runner.runWithSignalHandling(Duration.ofMinutes(10));
    results(summary, runner.runDirectory(), out);
    int code = RunCommand.exitCode(summary.state());
    if (code != ExitCodes.OK) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("error: the demo's run " + summary.state() + "; the results above say why, "
          + runner.runDirectory().resolve("run.log") + " has every log line (--verbose prints them)");
      err.flush();
    }
    return code;
  }

  /** What the run produced: metrics, the deploy decision, artifacts, cache use, where things are. */
  static void results(RunSummary summary, Path runDirectory, PrintWriter out) {
    out.println("==> results (run " + summary.runId() + ": " + summary.state() + ")");
    List<MetricSummary> metrics = summary.metrics();
    for (String name : List.of("test_accuracy", "test_f1")) {
      metrics.stream().filter(m -> m.name().equals(name)).findFirst().ifPresent(m ->
          out.println(String.format(Locale.ROOT, "    %-14s %.4f   (%s)", m.name(), m.value(), m.taskId())));
    }
    summary.tasks().stream().filter(t -> t.name().equals("deploy-model")).findFirst().ifPresent(deploy -> {
      String verdict = switch (deploy.state()) {
        case SUCCEEDED -> "ran: the accuracy met the threshold, the model was \"deployed\"";
        case SKIPPED -> "skipped: the accuracy is below the threshold";
        default -> deploy.state().name().toLowerCase(Locale.ROOT);
      };
      out.println("    deploy branch  " + verdict);
    });
    out.println("    artifacts:");
    for (ArtifactSummary a : summary.artifacts()) {
      String where = a.path() != null ? runDirectory.resolve(a.path()).normalize().toString()
          : a.size() < 0 && !a.metadata().isEmpty() ? "metadata only " + a.metadata() : a.uri();
      out.println("      " + a.producerTaskId() + "/" + a.name() + " (" + a.type() + ")"
          + (a.size() >= 0 ? " " + a.size() + " bytes" : "") + ": " + where);
    }
    long executors = summary.tasks().stream().filter(t -> t.kind().equals("container")
        && t.state() == RuntimeState.SUCCEEDED).count();
    long cached = summary.tasks().stream().filter(TaskSummary::cached).count();
    out.println("    cache hits     " + cached + " of " + executors + " tasks"
        + (cached == 0 ? " (run the demo again to see them)" : ""));
    for (TaskSummary t : summary.tasks()) {
      if (t.state() == RuntimeState.FAILED && t.kind().equals("container")) {
        out.println("    task '" + t.id() + "' failed" + (t.exitCode() != null ? " with exit code " + t.exitCode() : "")
            + "; its last log lines:");
        RunOutput.tail(t.id(), t.logTail(), RunOutput.Level.NORMAL).forEach(l -> out.println("      | " + l));
      }
    }
    out.println("    summary        " + runDirectory.resolve("summary.json"));
    out.println("    run log        " + runDirectory.resolve("run.log"));
    if (Files.isRegularFile(runDirectory.resolve("report.html"))) {
      out.println("    report         " + runDirectory.resolve("report.html"));
    }
    out.flush();
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
