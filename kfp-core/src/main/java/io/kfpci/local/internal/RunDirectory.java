package io.kfpci.local.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The files of one local run, as docs/run-summary.md lays them out:
 * {@code <pipeline-root>/<pipeline>/<run-id>/} with summary.json, runner.json, run.log, the IR the
 * run executes (pipeline.yaml), its options (spec.json, for --resume), and one directory per task
 * holding its outputs and task.log. run.log lines are written whole and flushed at once, from any
 * thread, so a watcher tailing the file sees complete lines in order. Every path below the run
 * directory that comes from the pipeline goes through {@link RunPaths}; every line goes through
 * the run's {@link Secrets} before it reaches run.log or the console.
 */
public final class RunDirectory implements AutoCloseable {
  public static final String SUMMARY = "summary.json";
  public static final String RUNNER = "runner.json";
  public static final String RUN_LOG = "run.log";
  public static final String PIPELINE = "pipeline.yaml";
  public static final String SPEC = "spec.json";
  public static final String REPORT = "report.html";
  public static final String TASK_LOG = "task.log";

  private final Path path;
  private final Consumer<String> console;
  private final Secrets secrets;
  private BufferedWriter runLog;

  /**
   * @param console receives every run.log line as it is written (the CLI prints them)
   */
  public RunDirectory(Path path, Consumer<String> console) {
    this(path, console, Secrets.NONE);
  }

  /**
   * @param secrets the run's secret values, masked in every line logged
   */
  public RunDirectory(Path path, Consumer<String> console, Secrets secrets) {
    this.path = path.toAbsolutePath().normalize();
    this.console = console;
    this.secrets = secrets;
  }

  /** {@code <pipeline-root>/<pipeline>/<run-id>}; the pipeline name comes from the file and is checked. */
  public static Path of(Path pipelineRoot, String pipelineName, String runId) throws UnsafePathException {
    Path root = pipelineRoot.toAbsolutePath().normalize();
    Path pipeline = RunPaths.child(root, pipelineName, "pipeline name (pipelineInfo.name)");
    return RunPaths.child(pipeline, runId, "run id");
  }

  public Secrets secrets() {
    return secrets;
  }

  public Path path() {
    return path;
  }

  public Path pipelineDirectory() {
    return path.getParent();
  }

  public Path pipelineRoot() {
    return path.getParent().getParent();
  }

  public Path summaryFile() {
    return path.resolve(SUMMARY);
  }

  public Path runnerFile() {
    return path.resolve(RUNNER);
  }

  public Path pipelineFile() {
    return path.resolve(PIPELINE);
  }

  public Path specFile() {
    return path.resolve(SPEC);
  }

  public Path reportFile() {
    return path.resolve(REPORT);
  }

  public Path workspace() {
    return path.resolve("workspace");
  }

  /**
   * A task's directory: its id as a relative path (loop iterations keep their {@code [i]}), each
   * task name in it a plain name, the whole strictly inside the run directory.
   */
  public Path taskDirectory(String nodeId) throws UnsafePathException {
    return RunPaths.nodePath(path, nodeId, "task name");
  }

  public Path taskLog(String nodeId) throws UnsafePathException {
    return taskDirectory(nodeId).resolve(TASK_LOG);
  }

  /** A path relative to the run directory, with '/' separators, for the summary. */
  public String relative(Path file) {
    return path.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
  }

  /** {"pid": ..., "run_id": ..., "started_at": ...}: who to SIGTERM to cancel the run. */
  public void writeRunner(long pid, String runId, Instant startedAt) throws IOException {
    var node = JsonValues.JSON.createObjectNode();
    node.put("pid", pid);
    node.put("run_id", runId);
    node.put("started_at", startedAt.toString());
    RunFiles.writeAtomically(runnerFile(), JsonValues.write(node) + "\n", RunFiles.Mode.SHARED);
  }

  /** Appends one line to run.log (and shows it on the console). */
  public synchronized void log(String text) {
    String line = secrets.mask(text);
    try {
      if (runLog == null) {
        Files.createDirectories(path);
        runLog = RunFiles.append(path.resolve(RUN_LOG), RunFiles.Mode.SHARED);
      }
      runLog.write(line);
      runLog.write('\n');
      runLog.flush();
    } catch (IOException e) {
      // The console still gets the line; a full disk must not kill the run's bookkeeping thread.
      console.accept("[run] -- cannot write run.log: " + e.getMessage());
    }
    console.accept(line);
  }

  @Override
  public synchronized void close() throws IOException {
    if (runLog != null) {
      runLog.close();
      runLog = null;
    }
  }
}
