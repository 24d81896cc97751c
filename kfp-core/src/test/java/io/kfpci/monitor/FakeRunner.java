package io.kfpci.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfpci.report.MetricSummary;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the local runner with the same contract (docs/run-summary.md): it writes
 * runner.json, rewrites summary.json atomically at every state change, appends "[task-id] "
 * lines to run.log (its state changes as "[task-id] -- STATE" and "[run] -- STATE", as the local
 * runner does), and on SIGTERM stops its running task's process, runs the exit handler and ends
 * CANCELED. What it does is scripted by a small JSON file, its one argument:
 *
 * <pre>
 * {"run_dir": "...", "run_id": "...", "exit_handler": "cleanup", "ignore_sigterm": false,
 *  "tasks": [{"id": "train", "lines": 3, "line_millis": 100, "metrics": {"accuracy": 0.9},
 *             "child_process": true, "die": false, "fail": false}]}
 * </pre>
 *
 * Every task execution is also appended to executions.log, so a test can prove nothing ran twice.
 */
public final class FakeRunner {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path runDir;
  private final String runId;
  private final Instant created = Instant.now();
  private final Map<String, TaskSummary> tasks = new LinkedHashMap<>();
  private volatile boolean cancelRequested;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private Process child;

  private FakeRunner(Path runDir, String runId) {
    this.runDir = runDir;
    this.runId = runId;
  }

  public static void main(String[] args) throws Exception {
    JsonNode spec = JSON.readTree(Path.of(args[0]).toFile());
    FakeRunner runner = new FakeRunner(Path.of(spec.get("run_dir").asText()), spec.path("run_id").asText("fake-run"));
    runner.run(spec);
  }

  private void run(JsonNode spec) throws IOException, InterruptedException {
    Files.createDirectories(runDir);
    // Renamed into place like the real runner's, so a watcher never reads half of it.
    Path runnerTemp = runDir.resolve("runner.json.tmp");
    Files.writeString(runnerTemp, "{\"pid\": " + ProcessHandle.current().pid()
        + ", \"run_id\": \"" + runId + "\", \"started_at\": \"" + created + "\"}\n");
    Files.move(runnerTemp, runDir.resolve("runner.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    boolean ignoreSigterm = spec.path("ignore_sigterm").asBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        if (ignoreSigterm) {
          // A runner stuck in its shutdown: neither cancels nor exits until it is killed.
          Thread.sleep(Long.MAX_VALUE);
        }
        cancelRequested = true;
        stopped.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    List<JsonNode> steps = new ArrayList<>();
    spec.path("tasks").forEach(steps::add);
    for (JsonNode step : steps) {
      tasks.put(step.get("id").asText(), task(step.get("id").asText(), RuntimeState.PENDING, List.of(), null));
    }
    String exitHandler = spec.path("exit_handler").asText("");
    if (!exitHandler.isEmpty()) {
      tasks.put(exitHandler, task(exitHandler, RuntimeState.PENDING, List.of(), null));
    }
    write(RuntimeState.RUNNING, null);
    RuntimeState outcome = RuntimeState.SUCCEEDED;
    String error = null;
    for (JsonNode step : steps) {
      String id = step.get("id").asText();
      if (outcome != RuntimeState.SUCCEEDED) {
        tasks.put(id, task(id, RuntimeState.SKIPPED, List.of(), null));
        continue;
      }
      if (cancelRequested) {
        outcome = RuntimeState.CANCELED;
        tasks.put(id, task(id, RuntimeState.CANCELED, List.of(), null));
        continue;
      }
      RuntimeState result = runTask(step, id);
      if (result == RuntimeState.CANCELED) {
        outcome = RuntimeState.CANCELED;
      } else if (result == RuntimeState.FAILED) {
        outcome = RuntimeState.FAILED;
        error = "task " + id + " failed";
      }
    }
    if (outcome == RuntimeState.CANCELED) {
      write(RuntimeState.CANCELING, null);
    }
    if (!exitHandler.isEmpty()) {
      // Exit handlers run whatever happened before, as in KFP.
      tasks.put(exitHandler, task(exitHandler, RuntimeState.RUNNING, List.of(), null));
      write(outcome == RuntimeState.CANCELED ? RuntimeState.CANCELING : RuntimeState.RUNNING, null);
      log(exitHandler, "-- RUNNING");
      log(exitHandler, "cleaning up after " + outcome.name().toLowerCase());
      Files.writeString(runDir.resolve("executions.log"), exitHandler + "\n", StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      tasks.put(exitHandler, task(exitHandler, RuntimeState.SUCCEEDED, List.of(), null));
      write(outcome == RuntimeState.CANCELED ? RuntimeState.CANCELING : RuntimeState.RUNNING, null);
      log(exitHandler, "-- SUCCEEDED");
    }
    log("run", "-- " + outcome.name());
    write(outcome, error);
    Files.writeString(runDir.resolve("report.html"), "<!doctype html><title>" + runId + "</title>\n");
    stopped.countDown();
    if (!cancelRequested) {
      System.exit(outcome == RuntimeState.SUCCEEDED ? 0 : 1);
    }
  }

  private RuntimeState runTask(JsonNode step, String id) throws IOException, InterruptedException {
    tasks.put(id, task(id, RuntimeState.RUNNING, List.of(), null));
    write(RuntimeState.RUNNING, null);
    log(id, "-- RUNNING");
    Files.writeString(runDir.resolve("executions.log"), id + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    if (step.path("die").asBoolean()) {
      System.err.println("fake runner: simulated crash in " + id);
      Runtime.getRuntime().halt(3);
    }
    if (step.path("child_process").asBoolean()) {
      child = new ProcessBuilder("sleep", "600").start();
      // Renamed into place, so a test never reads a half-written pid.
      Path pidTemp = runDir.resolve(id + ".child.pid.tmp");
      Files.writeString(pidTemp, String.valueOf(child.pid()));
      Files.move(pidTemp, runDir.resolve(id + ".child.pid"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    int lines = step.path("lines").asInt(2);
    long pause = step.path("line_millis").asLong(50);
    for (int i = 1; i <= lines; i++) {
      if (cancelRequested) {
        stopChild();
        tasks.put(id, task(id, RuntimeState.CANCELED, List.of(), "canceled"));
        log(id, "-- CANCELED");
        return RuntimeState.CANCELED;
      }
      log(id, "line " + i + " of " + id + " ünïcödé");
      Thread.sleep(pause);
    }
    stopChild();
    if (step.path("fail").asBoolean()) {
      log(id, "Traceback: simulated failure");
      tasks.put(id, task(id, RuntimeState.FAILED, List.of(), "exit code 1"));
      write(RuntimeState.RUNNING, null);
      log(id, "-- FAILED: exit code 1");
      return RuntimeState.FAILED;
    }
    List<MetricSummary> metrics = new ArrayList<>();
    step.path("metrics").fields().forEachRemaining(e ->
        metrics.add(new MetricSummary(id, "metrics", e.getKey(), e.getValue().asDouble())));
    tasks.put(id, task(id, RuntimeState.SUCCEEDED, metrics, null));
    write(RuntimeState.RUNNING, null);
    log(id, "-- SUCCEEDED");
    return RuntimeState.SUCCEEDED;
  }

  private void stopChild() throws InterruptedException {
    if (child != null) {
      child.destroy();
      child.waitFor();
      child = null;
    }
  }

  private void log(String taskId, String text) throws IOException {
    Files.writeString(runDir.resolve("run.log"), "[" + taskId + "] " + text + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private TaskSummary task(String id, RuntimeState state, List<MetricSummary> metrics, String error) {
    return new TaskSummary(id, id, "", "comp-" + id, "container", null, state, null, null,
        state == RuntimeState.PENDING ? 0 : 1, false, "python:3.11-slim", List.of(), Map.of(), List.of(), metrics,
        id + "/task.log", List.of(), null, error);
  }

  private void write(RuntimeState state, String error) throws IOException {
    RunSummary summary = new RunSummary(RunSummary.FORMAT_VERSION, "fake-pipeline", runId, state, created, created,
        state.isTerminal() ? Instant.now() : null, Map.of(), new RunSummary.Location("local", runDir.toString(), null),
        error, new ArrayList<>(tasks.values()), List.of());
    RunSummaryJson.write(summary, runDir.resolve("summary.json"));
  }
}
