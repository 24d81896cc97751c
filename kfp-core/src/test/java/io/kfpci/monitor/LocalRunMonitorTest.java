package io.kfpci.monitor;

import static io.kfpci.monitor.FakeRuns.follow;
import static io.kfpci.monitor.FakeRuns.launch;
import static io.kfpci.monitor.FakeRuns.logLines;
import static io.kfpci.monitor.FakeRuns.pollUntil;
import static io.kfpci.monitor.FakeRuns.taskReached;
import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detach, watch, resume and cancel protocol against a real detached child process (the fake
 * runner, which keeps the local runner's file contract).
 */
class LocalRunMonitorTest {
  @TempDir Path temp;

  private static final String THREE_TASKS = """
      {"run_id": "r1", "exit_handler": "cleanup", "run_dir": "%s", "tasks": [
        {"id": "prepare", "lines": 2, "line_millis": 60},
        {"id": "train", "lines": 3, "line_millis": 60, "metrics": {"accuracy": 0.9}},
        {"id": "for-loop-2[1]/score", "lines": 2, "line_millis": 60}]}""";

  @Test
  void watchesADetachedRunToTheEndWithEveryLineOnceAndInOrder() throws Exception {
    Path runDir = temp.resolve("root/fake-pipeline/r1");
    RunHandle handle = launch(runDir, THREE_TASKS.formatted(runDir));

    // setsid detaches right after exec; once the runner wrote runner.json it certainly has.
    List<RunEvent> early = new ArrayList<>();
    RunWatcher watcher = new RunWatcher(WatchState.initial(handle));
    pollUntil(watcher, early, seen -> attachable(runDir));
    Optional<long[]> groupAndSession = FakeRuns.groupAndSession(handle.pid());
    if (new DetachedLauncher().detachesSession() && groupAndSession.isPresent()) {
      // Its own session and process group: signals to the launcher's group do not reach it.
      assertThat(groupAndSession.get()).containsExactly(handle.pid(), handle.pid());
    }
    // A launch interrupted before its handle was saved re-attaches through runner.json.
    RunHandle attached = RunHandle.fromRunnerFile(runDir).orElseThrow();
    assertThat(attached.pid()).isEqualTo(handle.pid());
    assertThat(attached.isAlive()).isTrue();

    List<RunEvent> events = new ArrayList<>(early);
    WatchUpdate last = follow(watcher, events);

    assertThat(last.state().runState()).isEqualTo(RuntimeState.SUCCEEDED);
    assertThat(logLines(events)).containsExactly(
        "[prepare] -- RUNNING",
        "[prepare] line 1 of prepare ünïcödé",
        "[prepare] line 2 of prepare ünïcödé",
        "[prepare] -- SUCCEEDED",
        "[train] -- RUNNING",
        "[train] line 1 of train ünïcödé",
        "[train] line 2 of train ünïcödé",
        "[train] line 3 of train ünïcödé",
        "[train] -- SUCCEEDED",
        "[for-loop-2[1]/score] -- RUNNING",
        "[for-loop-2[1]/score] line 1 of for-loop-2[1]/score ünïcödé",
        "[for-loop-2[1]/score] line 2 of for-loop-2[1]/score ünïcödé",
        "[for-loop-2[1]/score] -- SUCCEEDED",
        "[cleanup] -- RUNNING",
        "[cleanup] cleaning up after succeeded",
        "[cleanup] -- SUCCEEDED",
        "[run] -- SUCCEEDED");
    // What a console shows: run.log as written, then the verdict.
    assertThat(RunConsole.lines(events)).endsWith("[run] -- SUCCEEDED", "[kfp] run: SUCCEEDED")
        .hasSize(logLines(events).size() + 1);
    for (String task : List.of("prepare", "train", "for-loop-2[1]/score", "cleanup")) {
      assertThat(events).filteredOn(e -> e instanceof RunEvent.TaskStateChanged t && t.taskId().equals(task)
          && t.to() == RuntimeState.SUCCEEDED).hasSize(1);
    }
    // A task's start is reported before its lines and its end after them.
    int trainRunning = indexOf(events, e -> e instanceof RunEvent.TaskStateChanged t && t.taskId().equals("train")
        && t.to() == RuntimeState.RUNNING);
    int trainFirstLine = indexOf(events, e -> e instanceof RunEvent.LogLine l && l.taskId().equals("train"));
    int trainDone = indexOf(events, e -> e instanceof RunEvent.TaskStateChanged t && t.taskId().equals("train")
        && t.to() == RuntimeState.SUCCEEDED);
    assertThat(trainRunning).isLessThan(trainFirstLine);
    assertThat(trainFirstLine).isLessThan(trainDone);
    assertThat(events.get(events.size() - 1)).isEqualTo(
        new RunEvent.RunStateChanged(RuntimeState.RUNNING, RuntimeState.SUCCEEDED, ""));
    assertThat(last.summary().metrics()).singleElement()
        .satisfies(m -> assertThat(m.name() + "=" + m.value()).isEqualTo("accuracy=0.9"));
    assertThat(handle.isAlive()).isFalse();
    assertThat(attached.isAlive()).isFalse();

    // Polling a finished run again reports nothing new.
    WatchUpdate again = new RunWatcher(last.state()).poll();
    assertThat(again.events()).isEmpty();
    assertThat(again.finished()).isTrue();
  }

  @Test
  void aWatcherKilledMidRunResumesFromItsSavedStateWithoutRepeatsLossesOrReruns() throws Exception {
    Path runDir = temp.resolve("root/fake-pipeline/r2");
    RunHandle handle = launch(runDir, """
        {"run_id": "r2", "run_dir": "%s", "tasks": [
          {"id": "prepare", "lines": 4, "line_millis": 40},
          {"id": "train", "lines": 12, "line_millis": 40},
          {"id": "evaluate", "lines": 4, "line_millis": 40}]}""".formatted(runDir));

    List<RunEvent> before = new ArrayList<>();
    RunWatcher first = new RunWatcher(WatchState.initial(handle));
    pollUntil(first, before, taskReached("train", RuntimeState.RUNNING));
    // The watcher dies here: only its persisted form survives, as after a controller restart.
    String saved = first.state().toJson();
    first = null;
    Thread.sleep(300);

    List<RunEvent> after = new ArrayList<>();
    WatchUpdate last = follow(new RunWatcher(WatchState.fromJson(saved)), after);

    assertThat(last.state().runState()).isEqualTo(RuntimeState.SUCCEEDED);
    List<String> seen = new ArrayList<>(logLines(before));
    seen.addAll(logLines(after));
    assertThat(seen).containsExactlyElementsOf(
        Files.readAllLines(runDir.resolve("run.log"), StandardCharsets.UTF_8));
    assertThat(seen).hasSize(20 + 3 * 2 + 1);
    List<RunEvent> all = new ArrayList<>(before);
    all.addAll(after);
    for (String task : List.of("prepare", "train", "evaluate")) {
      assertThat(all).filteredOn(e -> e instanceof RunEvent.TaskStateChanged t && t.taskId().equals(task)
          && t.to() == RuntimeState.SUCCEEDED).hasSize(1);
      assertThat(all).filteredOn(e -> e instanceof RunEvent.TaskStateChanged t && t.taskId().equals(task))
          .extracting(e -> ((RunEvent.TaskStateChanged) e).to()).doesNotHaveDuplicates();
    }
    assertThat(Files.readAllLines(runDir.resolve("executions.log"))).containsExactly("prepare", "train", "evaluate");
  }

  @Test
  void cancelStopsTheTaskTreeRunsTheExitHandlerAndEndsCanceled() throws Exception {
    Path runDir = temp.resolve("root/fake-pipeline/r3");
    RunHandle handle = launch(runDir, """
        {"run_id": "r3", "exit_handler": "cleanup", "run_dir": "%s", "tasks": [
          {"id": "train", "lines": 600, "line_millis": 50, "child_process": true},
          {"id": "evaluate", "lines": 2}]}""".formatted(runDir));
    RunWatcher watcher = new RunWatcher(WatchState.initial(handle));
    List<RunEvent> events = new ArrayList<>();
    pollUntil(watcher, events, seen -> logLines(seen).size() >= 3);
    ProcessHandle child = FakeRuns.childOf(runDir, "train").orElseThrow();

    assertThat(RunCanceller.requestCancel(handle)).isTrue();
    watcher.markCancelRequested();
    WatchUpdate last = follow(watcher, events);

    assertThat(last.state().runState()).isEqualTo(RuntimeState.CANCELED);
    assertThat(logLines(events)).contains("[train] -- CANCELED", "[cleanup] cleaning up after canceled")
        .last().isEqualTo("[run] -- CANCELED");
    assertThat(events).contains(new RunEvent.TaskStateChanged("cleanup", RuntimeState.RUNNING, RuntimeState.SUCCEEDED,
        false, ""));
    RunSummary summary = RunSummaryJson.read(runDir.resolve("summary.json"));
    assertThat(summary.state()).isEqualTo(RuntimeState.CANCELED);
    assertThat(summary.tasks()).extracting(t -> t.id() + "=" + t.state())
        .containsExactly("train=CANCELED", "evaluate=SKIPPED", "cleanup=SUCCEEDED");
    child.onExit().join();
    assertThat(child.isAlive()).isFalse();
    assertThat(handle.isAlive()).isFalse();
  }

  @Test
  void aRunnerThatIgnoresSigtermIsKilledWithItsTreeAndTheRunEndsCanceled() throws Exception {
    Path runDir = temp.resolve("root/fake-pipeline/r4");
    RunHandle handle = launch(runDir, """
        {"run_id": "r4", "ignore_sigterm": true, "run_dir": "%s", "tasks": [
          {"id": "train", "lines": 600, "line_millis": 50, "child_process": true}]}""".formatted(runDir));
    RunWatcher watcher = new RunWatcher(WatchState.initial(handle));
    List<RunEvent> events = new ArrayList<>();
    pollUntil(watcher, events, seen -> logLines(seen).size() >= 2);
    ProcessHandle child = FakeRuns.childOf(runDir, "train").orElseThrow();

    watcher.markCancelRequested();
    assertThat(RunCanceller.cancel(handle, Duration.ofMillis(500))).isFalse();

    assertThat(child.isAlive()).isFalse();
    assertThat(handle.isAlive()).isFalse();
    WatchUpdate last = follow(watcher, events);
    assertThat(last.state().runState()).isEqualTo(RuntimeState.CANCELED);
    RunSummary summary = RunSummaryJson.read(runDir.resolve("summary.json"));
    assertThat(summary.state()).isEqualTo(RuntimeState.CANCELED);
    assertThat(summary.error()).startsWith("the local runner (pid " + handle.pid() + ") ended before the run finished");
    assertThat(summary.finishedAt()).isNotNull();
  }

  @Test
  void aRunnerThatDiesEndsTheRunFailedWithTheEndOfItsStderr() throws Exception {
    Path runDir = temp.resolve("root/fake-pipeline/r5");
    // The runner's own output beside the run directory, as for a runner that creates its run directory.
    Path launchDir = temp.resolve("root/.launch/r5");
    RunHandle handle = launch(runDir, """
        {"run_id": "r5", "run_dir": "%s", "tasks": [
          {"id": "prepare", "lines": 2}, {"id": "train", "die": true}]}""".formatted(runDir), launchDir);
    assertThat(handle.stderrFile()).isEqualTo(launchDir.resolve("runner.stderr"));
    List<RunEvent> events = new ArrayList<>();
    WatchUpdate last = follow(new RunWatcher(WatchState.initial(handle)), events);

    assertThat(last.state().runState()).isEqualTo(RuntimeState.FAILED);
    assertThat(logLines(events)).containsExactly("[prepare] -- RUNNING", "[prepare] line 1 of prepare ünïcödé",
        "[prepare] line 2 of prepare ünïcödé", "[prepare] -- SUCCEEDED", "[train] -- RUNNING");
    String expected = "the local runner (pid " + handle.pid() + ") ended before the run finished; the end of "
        + "runner.stderr:\nfake runner: simulated crash in train";
    assertThat(events).last().isInstanceOfSatisfying(RunEvent.RunStateChanged.class, change -> {
      assertThat(change.to()).isEqualTo(RuntimeState.FAILED);
      assertThat(change.error()).isEqualTo(expected);
    });
    RunSummary summary = RunSummaryJson.read(runDir.resolve("summary.json"));
    assertThat(summary.state()).isEqualTo(RuntimeState.FAILED);
    assertThat(summary.error()).isEqualTo(expected);
    assertThat(RunConsole.format(events.get(events.size() - 1))).isEqualTo("[kfp] run: FAILED: " + expected);
  }

  private static boolean attachable(Path runDir) {
    try {
      return RunHandle.fromRunnerFile(runDir).isPresent();
    } catch (MonitorException e) {
      throw new AssertionError(e);
    }
  }

  private static int indexOf(List<RunEvent> events, java.util.function.Predicate<RunEvent> p) {
    for (int i = 0; i < events.size(); i++) {
      if (p.test(events.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no such event in " + events);
  }
}
