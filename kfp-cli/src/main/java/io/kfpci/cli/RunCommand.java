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
import io.kfpci.problem.InvalidPipelineException;
import java.io.IOException;
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

  @Option(names = "--local", description = "Run on this machine (without it: on the KFP endpoint of $KF_PIPELINES_ENDPOINT, as kfpci submit --wait).")
  boolean local;

  @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A run parameter; checked against the pipeline's inputs before anything runs.")
  List<String> params = new ArrayList<>();

  @Option(names = "--function", paramLabel = "NAME", description = "For a .py file: the @dsl.pipeline function (default: the only one).")
  String function;

  @Option(names = "--pipeline-root", paramLabel = "DIR", description = "Where runs live: DIR/<pipeline>/<run-id>/ (default: ${DEFAULT-VALUE}).")
  Path pipelineRoot = Path.of("kfp-runs");

  @Option(names = "--run-id", paramLabel = "ID", description = "Name of the run directory (default: time and a random suffix).")
  String runId;

  @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue an interrupted run; tasks that finished are not run again. The pipeline, its"
      + " parameters, root, run id and kfp version come from RUN_DIR/spec.json; --no-cache, --parallelism, --engine,"
      + " --strict-resources, --python and --cache-dir from this command line.")
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

  @Option(names = "--secret-param", paramLabel = "NAME", description = "A run parameter whose value is secret: masked in the console, logs, summary and report, and not saved for --resume (give it again). Names ending in _password, _token or _secret are secret anyway.")
  List<String> secretParams = new ArrayList<>();

  @Option(names = "--inherit-env", description = "Give tasks this machine's whole environment (default: a minimal one, see docs/local-runner.md).")
  boolean inheritEnv;

  @Option(names = {"-q", "--quiet"}, description = "Print state changes, warnings and retries only, not the tasks' output (run.log has everything).")
  boolean quiet;

  @Option(names = "--verbose", description = "Print everything run.log gets, including the KFP executor's input dump,"
      + " and the Python traceback of a failed compile.")
  boolean verbose;

  @Option(names = "--no-compile-cache", description = "Compile a .py file even when its cached IR is still valid.")
  boolean noCompileCache;

  @Mixin PythonOptions python;

  /** What a resumed run takes from its spec.json, not from the command line. */
  private static final List<String> RESUME_FROM_SPEC =
      List.of("--param", "--function", "--pipeline-root", "--run-id", "--kfp-version");

  @Override
  public Integer call() throws Exception {
    if (resume == null && file == null) {
      throw new IllegalArgumentException("give a pipeline FILE to run, or --resume RUN_DIR");
    }
    if (resume != null) {
      List<String> refused = RESUME_FROM_SPEC.stream()
          .filter(o -> spec.commandLine().getParseResult().hasMatchedOption(o)).toList();
      if (file != null || !refused.isEmpty()) {
        throw new IllegalArgumentException("--resume continues the run as its spec.json says; leave out "
            + (file != null ? "FILE" + (refused.isEmpty() ? "" : " and ") : "") + String.join(", ", refused));
      }
    }
    if (resume == null && !local) {
      return RemoteRun.submitAndWait(spec, file, params, function, pipelineRoot);
    }
    if (summaryOut != null) {
      Outputs.checkWritableFile(summaryOut, "--summary");
    }
    LocalRunSpec.Builder builder = LocalRunSpec.builder().pipeline(file).function(function)
        .parameters(RunParameters.parseAssignments(params)).pipelineRoot(pipelineRoot).runId(runId).resume(resume)
        .noCache(noCache).parallelism(parallelism).engine(Engine.parse(engine)).strictResources(strictResources)
        .kfpVersion(python.kfpVersion).python(python.python).cacheDirectory(python.cacheDir)
        .secretParameters(secretParams).inheritEnvironment(inheritEnv).compileCache(!noCompileCache);
    PrintWriter out = spec.commandLine().getOut();
    RunOutput console = new RunOutput(RunOutput.level(quiet, verbose));
    LocalRunner runner;
    try {
      runner = LocalRunner.prepare(builder.build(), new RunListener() {
        @Override
        public void line(String line) {
          synchronized (out) {
            if (console.shows(line)) {
              out.println(line);
              out.flush();
            }
          }
        }
      });
    } catch (InvalidPipelineException e) {
      throw file != null && file.toString().endsWith(".py") ? Outputs.againstSource(e, file) : e;
    }
    synchronized (out) {
      out.println("run " + runner.runId() + " of " + runner.pipelineName() + " in " + runner.runDirectory());
      out.flush();
    }
    RunSummary summary = runner.runWithSignalHandling(Duration.ofMinutes(10));
    report(summary, runner.runDirectory(), RunOutput.level(false, verbose), out);
    int code = exitCode(summary.state());
    if (code != ExitCodes.OK) {
      // The report above is on stdout; say on stderr too that the command failed, and where to look.
      PrintWriter err = spec.commandLine().getErr();
      err.println("error: run " + summary.runId() + " " + summary.state()
          + (summary.error() != null && summary.state() == RuntimeState.FAILED ? ": " + summary.error() : "")
          + "; the log lines above say why, " + runner.runDirectory().resolve("run.log") + " has them all");
      err.flush();
    }
    if (code == ExitCodes.FAILED) {
      missingRelativePaths(params, spec.commandLine().getErr());
    }
    if (summaryOut != null) {
      try {
        RunSummaryJson.write(summary, summaryOut);
      } catch (IOException e) {
        PrintWriter err = spec.commandLine().getErr();
        // The write goes through a temporary file; the reason matters, not its name.
        String why = e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null ? fs.getReason()
            : Failures.describe(e);
        err.println("error: the run " + summary.state() + ", but its summary could not be copied to --summary "
            + summaryOut + ": " + why + ". The summary is in "
            + runner.runDirectory().resolve("summary.json"));
        err.flush();
        return code == ExitCodes.OK ? ExitCodes.FAILED : code;
      }
    }
    return code;
  }

  /**
   * After a failed run: the -p values that look like relative paths but name nothing under the
   * current directory, which is where relative paths are resolved (docs/cli.md). A task that
   * cannot find its input usually says so only as a Python traceback.
   */
  static void missingRelativePaths(List<String> assignments, PrintWriter err) {
    Path here = Path.of("").toAbsolutePath();
    for (String assignment : assignments) {
      int eq = assignment.indexOf('=');
      String value = eq < 0 ? "" : assignment.substring(eq + 1).strip();
      if (value.isEmpty() || value.contains("://") || !(value.contains("/") || value.matches(".*\\.[A-Za-z0-9]{1,8}"))) {
        continue;
      }
      try {
        Path path = Path.of(value);
        if (!path.isAbsolute() && !Files.exists(here.resolve(path))) {
          err.println("note: -p " + assignment + " is a relative path; relative paths are resolved against the"
              + " current directory " + here + ", and there is no " + value + " there");
        }
      } catch (java.nio.file.InvalidPathException e) {
        // Not a path after all.
      }
    }
    err.flush();
  }

  /** A run's final state as the exit code: succeeded 0, canceled 3, anything else failed 1. */
  static int exitCode(RuntimeState state) {
    return switch (state) {
      case SUCCEEDED -> ExitCodes.OK;
      case CANCELED -> ExitCodes.CANCELED;
      default -> ExitCodes.FAILED;
    };
  }

  /** The end of a run: its state, and for each failed task its exit code and last log lines. */
  static void report(RunSummary summary, Path runDirectory, RunOutput.Level level, PrintWriter out) {
    out.println();
    out.println("run " + summary.runId() + " " + summary.state()
        + (summary.error() != null && summary.state() == RuntimeState.FAILED ? ": " + summary.error() : ""));
    for (TaskSummary task : summary.tasks()) {
      if (task.state() == RuntimeState.FAILED && !task.kind().equals("dag") && !task.kind().equals("loop")) {
        // The same filter as the live output: the KFP executor's input dump would fill the tail.
        List<String> tail = RunOutput.tail(task.id(), task.logTail(), level);
        out.println("task '" + task.id() + "' failed" + (task.exitCode() != null ? " with exit code " + task.exitCode() : "")
            + (tail.isEmpty() ? "" : "; its last " + tail.size() + " log lines"
                + (tail.size() < task.logTail().size() ? " (without the KFP executor's own; run.log has them)" : "") + ":"));
        tail.forEach(l -> out.println("  | " + l));
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
