package io.kfpci.cli;

import io.kfpci.local.Engine;
import io.kfpci.local.LocalRunSpec;
import io.kfpci.local.LocalRunner;
import io.kfpci.local.RunListener;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import io.kfpci.validate.RunParameters;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kfpci run --local FILE}: runs a pipeline on this machine with the local runner. A thin
 * adapter: options become a {@link LocalRunSpec}, run.log lines go to the console.
 */
@Command(name = "run", description = "Run a pipeline (.py or compiled IR) locally, with the KFP launcher contract.")
final class RunCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "0..1", description = "The pipeline: a .py file (compiled first) or compiled IR.")
  Path file;

  @Option(names = "--local", description = "Run on this machine (the only target in this build).")
  boolean local;

  @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A run parameter; checked against the pipeline's inputs before anything runs.")
  List<String> params = new ArrayList<>();

  @Option(names = "--function", paramLabel = "NAME", description = "For a .py file: the @dsl.pipeline function (default: the only one).")
  String function;

  @Option(names = "--pipeline-root", paramLabel = "DIR", description = "Where runs live: DIR/<pipeline>/<run-id>/ (default: ${DEFAULT-VALUE}).")
  Path pipelineRoot = Path.of("kfp-runs");

  @Option(names = "--run-id", paramLabel = "ID", description = "Name of the run directory (default: time and a random suffix).")
  String runId;

  @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue an interrupted run; tasks that finished are not run again.")
  Path resume;

  @Option(names = "--no-cache", description = "Run every task, even when a cached result exists.")
  boolean noCache;

  @Option(names = "--parallelism", paramLabel = "N", description = "Tasks running at once (default: the number of cores, ${DEFAULT-VALUE}).")
  int parallelism = Runtime.getRuntime().availableProcessors();

  @Option(names = "--engine", paramLabel = "ENGINE", description = "local (default: on this machine), podman or docker (in the task's image).")
  String engine = "local";

  @Option(names = "--strict-resources", description = "Fail a task that asks for more GPUs than this machine has (default: warn).")
  boolean strictResources;

  @Option(names = "--summary", paramLabel = "OUT.json", description = "Also write the run summary here.")
  Path summaryOut;

  @Option(names = {"-q", "--quiet"}, description = "Print state changes only, not the tasks' output (run.log has everything).")
  boolean quiet;

  @Option(names = "--no-compile-cache", description = "Compile a .py file even when its cached IR is still valid.")
  boolean noCompileCache;

  @Mixin PythonOptions python;

  @Override
  public Integer call() throws Exception {
    if (resume == null && file == null) {
      throw new IllegalArgumentException("give a pipeline FILE to run, or --resume RUN_DIR");
    }
    if (resume == null && !local) {
      throw new IllegalArgumentException("only --local runs are available in this build: kfpci run --local " + file);
    }
    LocalRunSpec.Builder builder = LocalRunSpec.builder().pipeline(file).function(function)
        .parameters(RunParameters.parseAssignments(params)).pipelineRoot(pipelineRoot).runId(runId).resume(resume)
        .noCache(noCache).parallelism(parallelism).engine(Engine.parse(engine)).strictResources(strictResources)
        .kfpVersion(python.kfpVersion).python(python.python).cacheDirectory(python.cacheDir)
        .compileCache(!noCompileCache);
    PrintWriter out = spec.commandLine().getOut();
    LocalRunner runner = LocalRunner.prepare(builder.build(), new RunListener() {
      @Override
      public void line(String line) {
        if (!quiet || isStateLine(line)) {
          synchronized (out) {
            out.println(line);
            out.flush();
          }
        }
      }
    });
    out.println("run " + runner.runId() + " of " + runner.pipelineName() + " in " + runner.runDirectory());
    out.flush();
    RunSummary summary = runner.runWithSignalHandling(Duration.ofMinutes(10));
    if (summaryOut != null) {
      RunSummaryJson.write(summary, summaryOut);
    }
    report(summary, runner.runDirectory(), out);
    return summary.state() == RuntimeState.SUCCEEDED ? KfpciCommand.OK : KfpciCommand.FAILED;
  }

  /** A state change ("[task] -- STATE ...") rather than a task's own output. */
  static boolean isStateLine(String line) {
    return line.matches("\\[[^\\]]*] -- (PENDING|RUNNING|SUCCEEDED|SKIPPED|FAILED|CANCELING|CANCELED)\\b.*")
        || line.startsWith("[run] -- ");
  }

  /** The end of a run: its state, and for each failed task its exit code and last log lines. */
  static void report(RunSummary summary, Path runDirectory, PrintWriter out) {
    out.println();
    out.println("run " + summary.runId() + " " + summary.state()
        + (summary.error() != null && summary.state() == RuntimeState.FAILED ? ": " + summary.error() : ""));
    for (TaskSummary task : summary.tasks()) {
      if (task.state() == RuntimeState.FAILED && !task.kind().equals("dag") && !task.kind().equals("loop")) {
        out.println("task '" + task.id() + "' failed" + (task.exitCode() != null ? " with exit code " + task.exitCode() : "")
            + (task.logTail().isEmpty() ? "" : "; its last " + task.logTail().size() + " log lines:"));
        task.logTail().forEach(l -> out.println("  | " + l));
      }
    }
    out.println("summary: " + runDirectory.resolve("summary.json"));
    Path report = runDirectory.resolve("report.html");
    if (Files.isRegularFile(report)) {
      out.println("report:  " + report);
    }
    out.flush();
  }
}
