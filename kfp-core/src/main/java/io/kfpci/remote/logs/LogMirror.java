package io.kfpci.remote.logs;

import io.kfpci.artifacts.TaskPod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Mirrors the {@code main} logs of a run's task attempts into a {@link LogSink}: live from the
 * pods while they exist, then from the archives, each line once.
 *
 * <p>{@link #poll} makes one pass over every attempt and returns: a watcher of many runs calls it
 * on each of its polls, so no thread is held per pod. {@link #follow} keeps a stream open per
 * attempt in turn and reconnects after a drop from the last timestamp.
 */
public final class LogMirror {
  private final PodLogs live;
  private final List<ArchivedLogSource> archives;
  private final LogSink sink;
  private final Duration reconnectPause;

  /**
   * @param live the cluster's pods, or null when no cluster is configured (archives only)
   * @param archives the sources tried in order once a pod is gone
   * @param reconnectPause how long to wait before reconnecting a stream that brought nothing new
   */
  public LogMirror(PodLogs live, List<ArchivedLogSource> archives, LogSink sink, Duration reconnectPause) {
    this.live = live;
    this.archives = List.copyOf(archives);
    this.sink = sink;
    this.reconnectPause = reconnectPause;
  }

  /**
   * One pass: mirrors what is new of every attempt without waiting for more.
   *
   * @param cursors per {@link TaskPod#label()}, from the last pass (or the saved watch state)
   * @return the cursors after this pass
   */
  public Map<String, LogCursor> poll(String runId, List<TaskPod> pods, Map<String, LogCursor> cursors)
      throws LogSourceException, InterruptedException {
    Map<String, LogCursor> next = new LinkedHashMap<>(cursors);
    for (TaskPod pod : pods) {
      next.put(pod.label(), step(runId, pod, next.getOrDefault(pod.label(), LogCursor.START), false));
    }
    return Collections.unmodifiableMap(next);
  }

  /** Mirrors every attempt to its end, following live pods (reconnecting after drops) until they end. */
  public Map<String, LogCursor> follow(String runId, List<TaskPod> pods, Map<String, LogCursor> cursors)
      throws LogSourceException, InterruptedException {
    Map<String, LogCursor> next = new LinkedHashMap<>(cursors);
    for (TaskPod pod : pods) {
      LogCursor cursor = next.getOrDefault(pod.label(), LogCursor.START);
      if (pod.cached() || pod.podName() == null) {
        // A cache hit ends at once; a task not started yet has no pod to follow (read the run again).
        next.put(pod.label(), step(runId, pod, cursor, true));
        continue;
      }
      while (!cursor.done()) {
        LogCursor after = step(runId, pod, cursor, true);
        if (!after.done() && after.equals(cursor)) {
          Thread.sleep(reconnectPause.toMillis()); // the stream brought nothing: do not spin
        }
        cursor = after;
      }
      next.put(pod.label(), cursor);
    }
    return Collections.unmodifiableMap(next);
  }

  private LogCursor step(String runId, TaskPod pod, LogCursor cursor, boolean follow)
      throws LogSourceException, InterruptedException {
    if (cursor.done()) {
      return cursor;
    }
    if (pod.cached()) {
      // As the UI does: say so instead of showing nothing (FACTS 4.2).
      sink.notice(pod.label(), "served from cache (execution " + pod.cachedExecutionId() + "): it ran no pod and has no log");
      return cursor.finished();
    }
    if (pod.podName() == null || pod.namespace() == null) {
      return cursor; // not started yet: its pod is not recorded
    }
    if (live != null) {
      PodLogs.Read read = live.read(pod, cursor, follow, sink);
      if (read != null) {
        PodLogs.PodStatus status = live.status(pod);
        if (status == PodLogs.PodStatus.TERMINATED) {
          // The main container ended: whatever a drop cut off is read once more, then the log is complete.
          PodLogs.Read rest = read.dropped() || follow ? live.read(pod, read.cursor(), false, sink) : read;
          if (rest != null && !rest.dropped()) {
            return rest.cursor().finished();
          }
          return rest == null ? fromArchives(runId, pod, read.cursor()) : rest.cursor();
        }
        if (status == PodLogs.PodStatus.RUNNING) {
          return read.cursor();
        }
        cursor = read.cursor(); // deleted while we read: the archive has the rest
      }
    }
    return fromArchives(runId, pod, cursor);
  }

  private LogCursor fromArchives(String runId, TaskPod pod, LogCursor cursor)
      throws LogSourceException, InterruptedException {
    List<String> tried = new ArrayList<>();
    for (ArchivedLogSource source : archives) {
      Optional<byte[]> log;
      try {
        log = source.read(runId, pod);
      } catch (LogSourceException e) {
        tried.add(source.name() + ": " + e.getMessage());
        continue; // the next archive may still have it
      }
      if (log.isEmpty()) {
        tried.add(source.name());
        continue;
      }
      // An archive has no timestamps: continue after the lines already mirrored live.
      long index = 0;
      long emitted = cursor.lines();
      for (String text : lines(log.get())) {
        if (index++ < cursor.lines()) {
          continue;
        }
        emitted++;
        sink.line(new LogLine(pod.label(), null, text));
      }
      return new LogCursor(cursor.last(), cursor.atLast(), emitted, true);
    }
    sink.notice(pod.label(), "pod " + pod.podName() + " is gone and no archived log was found"
        + (tried.isEmpty() ? " (no archive configured)" : " (tried " + String.join(", ", tried) + ")"));
    return cursor.finished();
  }

  static List<String> lines(byte[] bytes) {
    String all = new String(bytes, StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>(List.of(all.split("\r?\n", -1)));
    if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }
}
