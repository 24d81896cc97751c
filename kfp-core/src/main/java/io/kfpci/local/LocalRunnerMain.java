package io.kfpci.local;

import io.kfpci.KfpException;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.problem.Problem;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RuntimeState;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Jenkins-free entry point of the local runner, started as a detached process on an agent:
 * {@code java -cp kfp-core.jar:... io.kfpci.local.LocalRunnerMain RUN_SPEC.json}. It runs the spec
 * ({@link LocalRunSpec}, JSON) and writes the run directory as docs/run-summary.md describes; a
 * watcher follows summary.json and run.log. Exit code 0 only when the run SUCCEEDED, 1 when it
 * failed or was canceled, 2 when the spec or the pipeline is unusable (nothing ran).
 *
 * <p>SIGTERM (or Ctrl-C) cancels: a shutdown hook asks the runner to cancel and waits until the
 * run has stopped its tasks, run its exit handlers and written its final summary.
 */
public final class LocalRunnerMain {
  /** How long a signal waits for exit handlers and the final summary before the JVM goes. */
  static final Duration CANCEL_GRACE = Duration.ofMinutes(10);

  private LocalRunnerMain() {}

  public static void main(String[] args) {
    LocalRunner[] started = new LocalRunner[1];
    int code = run(args, System.out, System.err, started);
    if (started[0] == null || !started[0].stoppedBySignal()) {
      System.exit(code);
    }
    // A signal is being handled: the JVM exits once the shutdown hook has finished.
  }

  static int run(String[] args, PrintStream out, PrintStream err, LocalRunner[] started) {
    if (args.length != 1) {
      err.println("usage: LocalRunnerMain RUN_SPEC.json");
      return 2;
    }
    LocalRunner runner;
    try {
      LocalRunSpec spec = LocalRunSpec.read(Path.of(args[0]));
      runner = LocalRunner.prepare(spec, new RunListener() {
        @Override
        public void line(String line) {
          out.println(line);
        }
      });
    } catch (InvalidPipelineException e) {
      for (Problem p : e.problems()) {
        err.println(p.headline());
      }
      return 2;
    } catch (KfpException | IOException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("interrupted before the run started");
      return 2;
    }
    started[0] = runner;
    out.println("run " + runner.runId() + " in " + runner.runDirectory());
    try {
      RunSummary summary = runner.runWithSignalHandling(CANCEL_GRACE);
      out.println("run " + summary.runId() + " " + summary.state()
          + (summary.error() != null ? ": " + summary.error() : ""));
      return summary.state() == RuntimeState.SUCCEEDED ? 0 : 1;
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }
}
