package io.kfpci.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher's decisions on hand-written run directories, without a runner process. */
class RunWatcherTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path temp;

  private final MutableClock clock = new MutableClock();

  private Path runDir() throws Exception {
    return Files.createDirectories(temp.resolve("root/my-pipeline/run-7"));
  }

  /** A handle on this very JVM: a runner that stays alive for the whole test. */
  private RunHandle aliveHandle(Path runDir) {
    ProcessHandle self = ProcessHandle.current();
    return new RunHandle(runDir, self.pid(), self.info().startInstant().orElse(null));
  }

  private static RunHandle deadHandle(Path runDir) throws Exception {
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    return new RunHandle(runDir, process.pid(), process.toHandle().info().startInstant().orElse(T0));
  }

  private static void summary(Path runDir, RuntimeState run, String error, TaskSummary... tasks) throws Exception {
    RunSummaryJson.write(new RunSummary(1, "my-pipeline", "run-7", run, T0, T0, run.isTerminal() ? T0.plusSeconds(5) : null,
        Map.of(), new RunSummary.Location("local", runDir.toString(), null), error, List.of(tasks), List.of()),
        runDir.resolve("summary.json"));
  }

  private static TaskSummary task(String id, RuntimeState state) {
    return new TaskSummary(id, id, "", "comp-" + id, "container", null, state, null, null, 1, false, "", List.of(),
        Map.of(), List.of(), List.of(), "", List.of(), null, state == RuntimeState.FAILED ? "exit code 2" : null);
  }

  private static void log(Path runDir, String text) throws Exception {
    Files.writeString(runDir.resolve("run.log"), text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void reportsStartsBeforeLinesAndEndsAfterThem() throws Exception {
    Path runDir = runDir();
    summary(runDir, RuntimeState.RUNNING, null, task("prepare", RuntimeState.SUCCEEDED), task("train", RuntimeState.RUNNING),
        task("evaluate", RuntimeState.PENDING));
    log(runDir, "[prepare] read 300 rows\n[train] epoch 1\n");
    RunWatcher watcher = new RunWatcher(WatchState.initial(aliveHandle(runDir)), clock, 1024);

    WatchUpdate update = watcher.poll();

    assertThat(update.events()).containsExactly(
        new RunEvent.RunStateChanged(null, RuntimeState.RUNNING, ""),
        new RunEvent.TaskStateChanged("train", null, RuntimeState.RUNNING, false, ""),
        new RunEvent.LogLine("prepare", "read 300 rows"),
        new RunEvent.LogLine("train", "epoch 1"),
        new RunEvent.TaskStateChanged("prepare", null, RuntimeState.SUCCEEDED, false, ""));
    assertThat(update.finished()).isFalse();
    assertThat(watcher.poll().events()).isEmpty();

    // A known pending task that logs before the summary says it runs is reported running first.
    log(runDir, "[evaluate] -- RUNNING (attempt 1)\n");
    assertThat(watcher.poll().events()).containsExactly(
        new RunEvent.TaskStateChanged("evaluate", RuntimeState.PENDING, RuntimeState.RUNNING, false, ""),
        new RunEvent.LogLine("evaluate", "-- RUNNING (attempt 1)"));
  }

  @Test
  void holdsTaskEndsBackUntilTheLogBeforeThemIsRead() throws Exception {
    Path runDir = runDir();
    summary(runDir, RuntimeState.RUNNING, null, task("train", RuntimeState.FAILED));
    log(runDir, "[train] 0123456789\n[train] Traceback\n");
    RunWatcher watcher = new RunWatcher(WatchState.initial(aliveHandle(runDir)), clock, 24);

    WatchUpdate first = watcher.poll();
    assertThat(first.moreLog()).isTrue();
    assertThat(first.events()).containsExactly(
        new RunEvent.RunStateChanged(null, RuntimeState.RUNNING, ""),
        new RunEvent.LogLine("train", "0123456789"));

    WatchUpdate second = watcher.poll();
    assertThat(second.moreLog()).isFalse();
    assertThat(second.events()).containsExactly(
        new RunEvent.LogLine("train", "Traceback"),
        new RunEvent.TaskStateChanged("train", null, RuntimeState.FAILED, false, "exit code 2"));
  }

  @Test
  void aTerminalRunWhoseRunnerLingersFinishesAfterTheGracePeriod() throws Exception {
    Path runDir = runDir();
    summary(runDir, RuntimeState.SUCCEEDED, null, task("train", RuntimeState.SUCCEEDED));
    RunWatcher watcher = new RunWatcher(WatchState.initial(aliveHandle(runDir)), clock, 1024);

    WatchUpdate first = watcher.poll();
    assertThat(first.events()).endsWith(new RunEvent.RunStateChanged(null, RuntimeState.SUCCEEDED, ""));
    assertThat(first.finished()).isFalse();
    clock.advance(RunWatcher.LINGER.minusSeconds(1));
    assertThat(watcher.poll().finished()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    WatchUpdate last = watcher.poll();
    assertThat(last.finished()).isTrue();
    assertThat(last.events()).isEmpty();
    assertThat(last.state().runState()).isEqualTo(RuntimeState.SUCCEEDED);
  }

  @Test
  void aRunnerGoneWithoutASummaryEndsFailedAndTheSummaryIsWrittenForIt() throws Exception {
    Path runDir = runDir();
    Files.writeString(runDir.resolve("runner.stderr"), "Error: could not find or load main class\n\n");
    RunHandle handle = deadHandle(runDir);
    RunWatcher watcher = new RunWatcher(WatchState.initial(handle), clock, 1024);

    WatchUpdate update = watcher.poll();

    String expected = "the local runner (pid " + handle.pid() + ") ended before the run finished; the end of "
        + "runner.stderr:\nError: could not find or load main class";
    assertThat(update.finished()).isTrue();
    assertThat(update.events()).containsExactly(new RunEvent.RunStateChanged(null, RuntimeState.FAILED, expected));
    RunSummary written = RunSummaryJson.read(runDir.resolve("summary.json"));
    assertThat(written.pipelineName()).isEqualTo("my-pipeline");
    assertThat(written.runId()).isEqualTo("run-7");
    assertThat(written.state()).isEqualTo(RuntimeState.FAILED);
    assertThat(written.error()).isEqualTo(expected);
    assertThat(update.summary()).isEqualTo(written);
  }

  @Test
  void aRunnerGoneAfterACancelRequestEndsCanceledAndKeepsItsLastLine() throws Exception {
    Path runDir = runDir();
    summary(runDir, RuntimeState.RUNNING, null, task("train", RuntimeState.RUNNING));
    log(runDir, "[train] epoch 3 (no newline, killed)");
    RunWatcher watcher = new RunWatcher(WatchState.initial(deadHandle(runDir)), clock, 1024);
    watcher.markCancelRequested();

    WatchUpdate update = watcher.poll();

    assertThat(update.events()).contains(new RunEvent.LogLine("train", "epoch 3 (no newline, killed)"));
    assertThat(update.events()).last().isInstanceOfSatisfying(RunEvent.RunStateChanged.class,
        change -> assertThat(change.to()).isEqualTo(RuntimeState.CANCELED));
    assertThat(RunSummaryJson.read(runDir.resolve("summary.json")).tasks()).singleElement()
        .satisfies(t -> assertThat(t.state()).isEqualTo(RuntimeState.RUNNING));
  }

  @Test
  void aDamagedSummaryIsAnErrorAndLeavesTheStateAsItWas() throws Exception {
    Path runDir = runDir();
    Files.writeString(runDir.resolve("summary.json"), "{\"format_version\": 99, \"pipeline_name\": \"p\"}");
    RunWatcher watcher = new RunWatcher(WatchState.initial(aliveHandle(runDir)), clock, 1024);
    WatchState before = watcher.state();
    org.assertj.core.api.Assertions.assertThatThrownBy(watcher::poll)
        .isInstanceOf(MonitorException.class)
        .satisfies(e -> assertThat(((MonitorException) e).isRetryable()).isFalse())
        .hasMessageContaining("summary.json");
    assertThat(watcher.state()).isSameAs(before);
  }

  @Test
  void followSleepsOnlyWhenNothingIsLeftToRead() throws Exception {
    Path runDir = runDir();
    summary(runDir, RuntimeState.SUCCEEDED, null, task("a", RuntimeState.SUCCEEDED));
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      text.append("[a] line ").append(i).append('\n');
    }
    log(runDir, text.toString());
    List<RunEvent> events = new ArrayList<>();
    WatchUpdate last = new RunWatcher(WatchState.initial(deadHandle(runDir)), clock, 64)
        .follow(events::add, PollBackoff.DEFAULT);
    assertThat(events).filteredOn(e -> e instanceof RunEvent.LogLine).hasSize(50);
    assertThat(last.state().runState()).isEqualTo(RuntimeState.SUCCEEDED);
  }

  private static final class MutableClock extends Clock {
    private Instant now = T0;

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
