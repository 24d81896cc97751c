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
          ts = Instant.parse(raw.substring(0, space));
        } catch (DateTimeParseException notATimestamp) {
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

  /** Reads UTF-8 lines of at most {@code max} bytes (a longer line is cut and marked). */
  static final class LineReader {
    private final InputStream in;
    private final byte[] buffer;
    private int length;
    private boolean truncated;

    LineReader(InputStream in, int max) {
      this.in = new java.io.BufferedInputStream(in, 64 * 1024);
      this.buffer = new byte[max];
    }

    String next() throws IOException {
      length = 0;
      truncated = false;
      int b;
      boolean any = false;
      while ((b = in.read()) != -1) {
        any = true;
        if (b == '\n') {
          return line();
        }
        if (length < buffer.length) {
          buffer[length++] = (byte) b;
        } else {
          truncated = true;
        }
      }
      return any ? line() : null;
    }

    private String line() {
      int end = length > 0 && buffer[length - 1] == '\r' ? length - 1 : length;
      String s = new String(buffer, 0, end, StandardCharsets.UTF_8);
      return truncated ? s + " [line cut at " + buffer.length + " bytes]" : s;
    }
  }
}
