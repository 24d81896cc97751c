package io.kfpci.monitor;

import io.kfpci.KfpException;
import io.kfpci.monitor.internal.LogTail;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Follows one local run through its run directory: each {@link #poll()} reads summary.json and
 * the new complete lines of run.log and reports what changed since the {@link WatchState} it was
 * made from. A watcher can be dropped at any moment and re-created from the last persisted state.
 *
 * <p>Not thread-safe: one thread polls a watcher at a time. It holds no open files between polls.
 *
 * <p>How a run ends: the run is finished once the runner process is gone and run.log is read to
 * its end. A runner that exits without writing a terminal state (killed, crashed) ends the run
 * FAILED, or CANCELED when it was canceling, and the watcher writes that final state into
 * summary.json so every later reader agrees. A runner that wrote a terminal state but lingers
 * (still writing its report) is given {@link #LINGER} before the run counts as finished anyway.
 */
public final class RunWatcher {
  /** At most this much of run.log is read per poll, so one poll stays short and small. */
  static final int MAX_LOG_BYTES = 256 * 1024;
  static final Duration LINGER = Duration.ofSeconds(30);
  private static final int STDERR_TAIL_LINES = 20;

  private final Clock clock;
  private final int maxLogBytes;
  private WatchState state;

  public RunWatcher(WatchState state) {
    this(state, Clock.systemUTC(), MAX_LOG_BYTES);
  }

  RunWatcher(WatchState state, Clock clock, int maxLogBytes) {
    this.state = state;
    this.clock = clock;
    this.maxLogBytes = maxLogBytes;
  }

  /** The state after the last poll: persist it once that poll's events are handled. */
  public WatchState state() {
    return state;
  }

  /**
   * Notes that cancellation was requested (see {@link RunCanceller}), so that a runner dying
   * without a final state ends the run CANCELED. Persist {@link #state()} afterwards.
   */
  public void markCancelRequested() {
    state = state.withCancelRequested();
  }

  /** Reads what is new. Throws without changing the state, so a failed poll can simply be retried. */
  public WatchUpdate poll() throws MonitorException {
    RunHandle handle = state.handle();
    if (state.finished()) {
      return new WatchUpdate(List.of(), state, readSummary(handle), false);
    }
    // Liveness first: a summary read after the runner was seen dead is its last word.
    boolean alive = handle.isAlive();
    RunSummary summary = readSummary(handle);
    LogTail.Chunk chunk;
    try {
      chunk = LogTail.read(handle.logFile(), state.logOffset(), maxLogBytes, !alive);
    } catch (IOException e) {
      throw new MonitorException(handle.runDirectory(), "cannot read " + handle.logFile() + ": " + e.getMessage(), true, e);
    }

    // The summary was read before the log, so a task it shows finished wrote all its lines before
    // the log was read: report the end after those lines. A line from a known task not yet seen
    // running (it started after the summary was read) implies that it runs. A partial log read
    // (more to come) holds the ends back until the lines before them are out.
    boolean drained = !chunk.more();
    Map<String, RuntimeState> tasks = new LinkedHashMap<>(state.taskStates());
    List<RunEvent> events = new ArrayList<>();
    List<TaskSummary> ended = new ArrayList<>();
    RuntimeState runState = summary == null ? null : summary.state();
    if (runState != null && !runState.isTerminal() && runState != state.runState()) {
      events.add(new RunEvent.RunStateChanged(state.runState(), runState, ""));
    }
    if (summary != null) {
      for (TaskSummary task : summary.tasks()) {
        RuntimeState before = tasks.get(task.id());
        if (before == task.state() || (before == null && task.state() == RuntimeState.PENDING)) {
          tasks.putIfAbsent(task.id(), task.state());
          continue;
        }
        if (task.state().isTerminal()) {
          ended.add(task);
        } else {
          tasks.put(task.id(), task.state());
          events.add(new RunEvent.TaskStateChanged(task.id(), before, task.state(), task.cached(), task.error()));
        }
      }
    }
    for (String line : chunk.lines()) {
      String[] parts = LogTail.splitTaskPrefix(line);
      String taskId = parts[0];
      RuntimeState before = tasks.get(taskId);
      if (before == RuntimeState.PENDING) {
        tasks.put(taskId, RuntimeState.RUNNING);
        events.add(new RunEvent.TaskStateChanged(taskId, before, RuntimeState.RUNNING, false, ""));
      }
      events.add(new RunEvent.LogLine(taskId, parts[1]));
    }
    if (drained) {
      for (TaskSummary task : ended) {
        RuntimeState before = tasks.put(task.id(), task.state());
        events.add(new RunEvent.TaskStateChanged(task.id(), before, task.state(), task.cached(), task.error()));
      }
    }

    String error = summary == null || summary.error() == null ? "" : summary.error();
    Instant terminalSeenAt = state.terminalSeenAt();
    boolean finished = false;
    if (!alive) {
      if (drained) {
        finished = true;
        if (runState == null || !runState.isTerminal()) {
          RuntimeState last = runState != null ? runState : state.runState();
          runState = last == RuntimeState.CANCELING || state.cancelRequested()
              ? RuntimeState.CANCELED : RuntimeState.FAILED;
          error = describeDeath(handle);
          summary = writeFinalState(handle, summary, runState, error);
        }
      }
    } else if (runState != null && runState.isTerminal()) {
      Instant now = clock.instant();
      terminalSeenAt = terminalSeenAt != null ? terminalSeenAt : now;
      finished = drained && Duration.between(terminalSeenAt, now).compareTo(LINGER) >= 0;
    }
    RuntimeState reported = state.runState();
    if (runState != null && runState.isTerminal() && drained && runState != reported) {
      events.add(new RunEvent.RunStateChanged(reported, runState, runState.isSuccess() ? "" : error));
      reported = runState;
    } else if (runState != null && !runState.isTerminal()) {
      reported = runState;
    }
    state = new WatchState(handle, chunk.nextOffset(), reported, tasks,
        terminalSeenAt, state.cancelRequested(), finished);
    return new WatchUpdate(events, state, summary, chunk.more());
  }

  /**
   * Polls until the run is finished, handing every event to {@code sink} and waiting between
   * polls as {@code backoff} says: for callers that may block (the CLI, a freestyle build).
   * Interrupting the thread stops the watching, not the run.
   */
  public WatchUpdate follow(Consumer<RunEvent> sink, PollBackoff backoff) throws MonitorException, InterruptedException {
    Duration delay = backoff.initial();
    while (true) {
      WatchUpdate update = poll();
      update.events().forEach(sink);
      if (update.finished()) {
        return update;
      }
      delay = backoff.next(delay, update.active());
      if (!update.moreLog()) {
        Thread.sleep(delay.toMillis());
      }
    }
  }

  private static RunSummary readSummary(RunHandle handle) throws MonitorException {
    Path file = handle.summaryFile();
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new MonitorException(handle.runDirectory(), "cannot read " + file + ": " + e.getMessage(), true, e);
    }
    try {
      return RunSummaryJson.fromJson(json, file.toString());
    } catch (KfpException e) {
      throw new MonitorException(handle.runDirectory(), e.getMessage(), false, e);
    }
  }

  private static String describeDeath(RunHandle handle) {
    StringBuilder message = new StringBuilder("the local runner (pid ").append(handle.pid())
        .append(") ended before the run finished");
    List<String> tail = tail(handle.stderrFile());
    if (!tail.isEmpty()) {
      message.append("; the end of ").append(DetachedLauncher.STDERR_FILE).append(":\n")
          .append(String.join("\n", tail));
    }
    return message.toString();
  }

  private static List<String> tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(l -> !l.isBlank()).toList();
      return lines.subList(Math.max(0, lines.size() - STDERR_TAIL_LINES), lines.size());
    } catch (IOException e) {
      // No stderr file (or unreadable): the death message stands without it.
      return List.of();
    }
  }

  /** Records a state the runner could not write itself, so every reader of summary.json agrees. */
  private RunSummary writeFinalState(RunHandle handle, RunSummary last, RuntimeState finalState, String error)
      throws MonitorException {
    Instant now = clock.instant();
    Path runDir = handle.runDirectory();
    RunSummary updated = last != null
        ? new RunSummary(last.formatVersion(), last.pipelineName(), last.runId(), finalState, last.createdAt(),
            last.startedAt(), now, last.parameters(), last.location(), error, last.tasks(), last.gates(),
            last.outputs())
        : new RunSummary(RunSummary.FORMAT_VERSION,
            runDir.getParent() == null ? "" : String.valueOf(runDir.getParent().getFileName()),
            String.valueOf(runDir.getFileName()), finalState, now, null, now, Map.of(),
            new RunSummary.Location("local", runDir.toString(), null), error, List.of(), List.of());
    try {
      RunSummaryJson.write(updated, handle.summaryFile());
    } catch (IOException e) {
      throw new MonitorException(runDir, "cannot record the final state in " + handle.summaryFile() + ": "
          + e.getMessage(), true, e);
    }
    return updated;
  }
}
