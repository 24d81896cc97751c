package io.kfpci.remote.logs;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ContainerResource;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.Loggable;
import io.kfpci.artifacts.TaskPod;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Reads the {@code main} container log of an executor pod through fabric8, with the kubelet's
 * timestamps, from where a {@link LogCursor} left off. One call reads one stream to its end (or
 * its drop); the caller decides whether to reconnect from the pod's {@link #status}.
 */
public final class PodLogs {
  /** The container KFP runs user code in (FACTS 4.1; the UI's POD_LOG_CONTAINER_NAME default). */
  public static final String CONTAINER = "main";
  /** A longer line is cut here (and marked) so a hostile log cannot exhaust memory. */
  static final int MAX_LINE_BYTES = 64 * 1024;

  /** What the pod is doing, as far as its log is concerned. */
  public enum PodStatus {
    /** Pending or running: more may come. */
    RUNNING,
    /** The main container ended: one last read gets the rest. */
    TERMINATED,
    /** The pod no longer exists: only an archive can have its log. */
    GONE
  }

  /** A stream read to its end: the cursor after it and whether the stream broke off (an I/O failure). */
  public record Read(LogCursor cursor, boolean dropped, String dropReason) {}

  private final KubernetesClient client;

  public PodLogs(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  public PodStatus status(TaskPod pod) throws LogSourceException {
    try {
      Pod p = client.pods().inNamespace(pod.namespace()).withName(pod.podName()).get();
      if (p == null) {
        return PodStatus.GONE;
      }
      if (p.getStatus() == null) {
        return PodStatus.RUNNING;
      }
      String phase = p.getStatus().getPhase();
      if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
        return PodStatus.TERMINATED;
      }
      if (p.getStatus().getContainerStatuses() != null) {
        for (ContainerStatus c : p.getStatus().getContainerStatuses()) {
          if (CONTAINER.equals(c.getName()) && c.getState() != null && c.getState().getTerminated() != null) {
            return PodStatus.TERMINATED;
          }
        }
      }
      return PodStatus.RUNNING;
    } catch (KubernetesClientException e) {
      throw failure(pod, "reading the pod", e);
    }
  }

  /**
   * Reads the pod's log from the cursor to the end of one stream ({@code follow}: until the
   * container ends or the stream drops), handing each new line to the sink.
   *
   * @return the new cursor; {@code null} when the pod does not exist (any more)
   */
  public Read read(TaskPod pod, LogCursor cursor, boolean follow, LogSink sink) throws LogSourceException {
    ContainerResource container = client.pods().inNamespace(pod.namespace()).withName(pod.podName())
        .inContainer(CONTAINER).withReadyWaitTimeout(0);
    // sinceTime has second precision: ask from the last line's second, the cursor skips the rest.
    Loggable loggable = cursor.last() == null ? container.usingTimestamps()
        : container.usingTimestamps().sinceTime(cursor.last().truncatedTo(ChronoUnit.SECONDS).toString());
    Dedup dedup = new Dedup(pod.label(), cursor, sink);
    try {
      if (follow) {
        try (LogWatch watch = loggable.watchLog()) {
          return dedup.consume(watch.getOutput());
        }
      }
      try (InputStream in = loggable.getLogInputStream()) {
        return dedup.consume(in);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw failure(pod, "reading the log", e);
    } catch (IOException e) {
      // The stream broke before its end (closing it failed): what was read is kept.
      return new Read(dedup.cursor(), true, e.getMessage());
    }
  }

  private static LogSourceException failure(TaskPod pod, String what, KubernetesClientException e) {
    String source = "pod " + pod.podName() + " in " + pod.namespace();
    return new LogSourceException(source, "Kubernetes refused " + what + " of " + source + " (HTTP " + e.getCode()
        + (e.getStatus() != null && e.getStatus().getMessage() != null ? ": " + e.getStatus().getMessage() : "")
        + "): check the cluster options and that the account may get pods/log in " + pod.namespace(), e);
  }

  /** Turns timestamped kubelet lines into new {@link LogLine}s, skipping what the cursor already has. */
  static final class Dedup {
    private final String task;
    private final LogSink sink;
    private Instant last;
    private int atLast;
    private long lines;
    private int skip;

    Dedup(String task, LogCursor cursor, LogSink sink) {
      this.task = task;
      this.sink = sink;
      this.last = cursor.last();
      this.atLast = cursor.atLast();
      this.lines = cursor.lines();
      this.skip = cursor.atLast();
    }

    LogCursor cursor() {
      return new LogCursor(last, atLast, lines, false);
    }

    Read consume(InputStream in) {
      LineReader reader = new LineReader(in, MAX_LINE_BYTES);
      try {
        String raw;
        while ((raw = reader.next()) != null) {
          accept(raw);
        }
        return new Read(cursor(), false, null);
      } catch (IOException e) {
        return new Read(cursor(), true, e.getMessage());
      }
    }

    void accept(String raw) {
      int space = raw.indexOf(' ');
      Instant ts = null;
      if (space > 0) {
        try {
          ts = timestamp(raw.substring(0, space));
        } catch (DateTimeParseException | NumberFormatException notATimestamp) {
          ts = null; // a line the kubelet did not stamp: keep it whole, after the last one
        }
      }
      String text = ts == null ? raw : raw.substring(space + 1);
      if (ts == null) {
        ts = last == null ? Instant.EPOCH : last;
      }
      if (last != null && ts.isBefore(last)) {
        return;
      }
      if (last != null && ts.equals(last)) {
        if (skip > 0) {
          skip--;
          return;
        }
        atLast++;
      } else {
        last = ts;
        atLast = 1;
        skip = 0;
      }
      lines++;
      sink.line(new LogLine(task, ts, text));
    }
  }

  /**
   * Reads UTF-8 lines of at most {@code max} bytes (a longer line is cut and marked), scanning a
   * block buffer for end-of-line: the log path reads hundreds of thousands of lines per second.
   */
  static final class LineReader {
    private final InputStream in;
    private final byte[] block = new byte[64 * 1024];
    private int position;
    private int limit;
    private final byte[] line;
    private int length;
    private boolean truncated;

    LineReader(InputStream in, int max) {
      this.in = in;
      this.line = new byte[max];
    }

    String next() throws IOException {
      length = 0;
      truncated = false;
      boolean any = false;
      while (true) {
        if (position == limit) {
          limit = in.read(block, 0, block.length);
          position = 0;
          if (limit <= 0) {
            limit = 0;
            return any ? line() : null;
          }
        }
        any = true;
        int start = position;
        int end = start;
        while (end < limit && block[end] != '\n') {
          end++;
        }
        append(start, end);
        if (end < limit) {
          position = end + 1;
          return line();
        }
        position = limit;
      }
    }

    private void append(int from, int to) {
      int n = Math.min(to - from, line.length - length);
      System.arraycopy(block, from, line, length, n);
      length += n;
      if (n < to - from) {
        truncated = true;
      }
    }

    private String line() {
      int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
      String s = new String(line, 0, end, StandardCharsets.UTF_8);
      return truncated ? s + " [line cut at " + line.length + " bytes]" : s;
    }
  }

  /**
   * The kubelet's RFC 3339 timestamp ({@code 2026-11-28T10:00:01.123456789Z}) without a formatter:
   * parsing is most of the per-line cost otherwise. Anything else goes to {@link Instant#parse}.
   */
  static Instant timestamp(String s) {
    int n = s.length();
    if (n >= 20 && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T' && s.charAt(13) == ':'
        && s.charAt(16) == ':' && s.charAt(n - 1) == 'Z') {
      try {
        int year = Integer.parseInt(s, 0, 4, 10);
        int month = Integer.parseInt(s, 5, 7, 10);
        int day = Integer.parseInt(s, 8, 10, 10);
        int hour = Integer.parseInt(s, 11, 13, 10);
        int minute = Integer.parseInt(s, 14, 16, 10);
        int second = Integer.parseInt(s, 17, 19, 10);
        int nanos = 0;
        if (n > 20) {
          if (s.charAt(19) != '.' || n - 21 > 9 || n - 21 < 1) {
            return Instant.parse(s);
          }
          nanos = Integer.parseInt(s, 20, n - 1, 10);
          for (int i = n - 21; i < 9; i++) {
            nanos *= 10;
          }
        } else if (n != 20) {
          return Instant.parse(s);
        }
        if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
          return Instant.parse(s); // let the real parser reject it
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3600L + minute * 60L + second, nanos);
      } catch (NumberFormatException | java.time.DateTimeException e) {
        return Instant.parse(s);
      }
    }
    return Instant.parse(s);
  }
}
