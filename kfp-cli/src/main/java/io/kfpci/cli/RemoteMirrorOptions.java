package io.kfpci.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kfpci.KfpException;
import io.kfpci.artifacts.MetadataStoreOptions;
import io.kfpci.artifacts.RunMetadata;
import io.kfpci.artifacts.RunMetadataReader;
import io.kfpci.artifacts.RunNotInMetadataStoreException;
import io.kfpci.client.KfpClient;
import io.kfpci.k8s.Clusters;
import io.kfpci.remote.RemoteWatchState;
import io.kfpci.remote.logs.ApiServerLogArchive;
import io.kfpci.remote.logs.ArchivedLogSource;
import io.kfpci.remote.logs.ObjectStoreLogArchive;
import io.kfpci.remote.logs.LogCursor;
import io.kfpci.remote.logs.LogLine;
import io.kfpci.remote.logs.LogMirror;
import io.kfpci.remote.logs.LogSink;
import io.kfpci.remote.logs.PodLogs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * What {@code kfpci submit --wait} and {@code kfpci watch} mirror besides states: with
 * {@code --mlmd}, the metrics and artifacts of the run (into the summary, and a metrics table at
 * the end); with {@code --pods} as well, the tasks' logs, one pass per poll of the watch.
 */
final class RemoteMirrorOptions {
  @Option(names = "--mlmd", paramLabel = "HOST:PORT",
      description = "KFP's ML Metadata gRPC service: the summary gains metrics and artifacts, the watch ends with the"
          + " metrics table, and --pods finds the tasks' pods through it.")
  String mlmd;

  @Option(names = "--mlmd-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "Deadline of each call to the ML Metadata store (default: ${DEFAULT-VALUE}).")
  long mlmdTimeoutSeconds;

  @Option(names = "--pods", description = "Stream the tasks' logs from their pods through Kubernetes (needs --mlmd).")
  boolean pods;

  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig for --pods (default: $KUBECONFIG,"
      + " ~/.kube/config, or in-cluster); implies --pods.")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "CONTEXT", description = "Kubeconfig context; implies --pods.")
  String context;

  /** Where archived logs are read once a pod is gone (after the API server's main-logs artifact). */
  @picocli.CommandLine.Mixin ObjectStoreCliOptions objectStore;

  boolean logs() {
    return pods || kubeconfig != null || context != null;
  }

  /** Refuses options that cannot work together, before anything is submitted. */
  void validate() {
    if (mlmd == null && logs()) {
      throw new IllegalArgumentException("--pods needs --mlmd HOST:PORT: the tasks' pods are found in ML Metadata");
    }
  }

  /** The mirror for one watch, or null when no option asks for one. */
  Mirror open(KfpClient client, RemoteWatchState start, PrintWriter out, PrintWriter err) throws KfpException {
    validate();
    if (mlmd == null) {
      return null;
    }
    RunMetadataReader reader = RunMetadataReader.open(MetadataStoreOptions.builder().address(mlmd)
        .callDeadline(Duration.ofSeconds(mlmdTimeoutSeconds)).build());
    KubernetesClient cluster = null;
    try {
      cluster = logs() ? Clusters.connect(kubeconfig, context) : null;
    } finally {
      if (logs() && cluster == null) {
        reader.close();
      }
    }
    List<ArchivedLogSource> archives = new ArrayList<>(List.of(new ApiServerLogArchive(client)));
    if (objectStore != null && objectStore.endpoint != null) {
      archives.add(new ObjectStoreLogArchive(objectStore.builder("archived logs").build(), "private-artifacts/"));
    }
    return new Mirror(reader, cluster, archives, start, out, err);
  }

  /** The metrics table that ends a watch with --mlmd, or why there is none. */
  static void printMetrics(Mirror mirror, PrintWriter out) {
    if (mirror == null) {
      return;
    }
    if (mirror.metadata() != null) {
      MetricsCommand.text(mirror.metadata(), out);
    } else {
      out.println("metrics unavailable: " + (mirror.unavailable() != null ? mirror.unavailable()
          : "the run is not in the ML Metadata store"));
    }
  }

  /** Reads ML Metadata and mirrors logs on each poll; the failures of either never stop the watch. */
  static final class Mirror implements AutoCloseable {
    private final RunMetadataReader reader;
    private final KubernetesClient cluster;
    private final LogMirror logs;
    private final String runId;
    private final PrintWriter out;
    private final PrintWriter err;
    // Written by the mirror's thread, read by the poller's listener when it saves the summary.
    private volatile Map<String, LogCursor> cursors;
    private volatile RunMetadata metadata;
    private volatile String unavailable;
    private String logFailure;

    Mirror(RunMetadataReader reader, KubernetesClient cluster, List<ArchivedLogSource> archives, RemoteWatchState start,
        PrintWriter out, PrintWriter err) {
      this.reader = reader;
      this.cluster = cluster;
      this.runId = start.runId();
      this.out = out;
      this.err = err;
      this.cursors = start.logCursors();
      LogSink sink = new LogSink() {
        @Override
        public void line(LogLine line) {
          out.println(line.format());
        }

        @Override
        public void notice(String task, String message) {
          out.println("[" + task + "] (" + message + ")");
        }
      };
      this.logs = cluster == null ? null
          : new LogMirror(new PodLogs(cluster), archives, sink, Duration.ZERO);
    }

    /** One pass: the run's records, then what is new in its logs. Called with {@code out} locked, one at a time. */
    void poll() throws InterruptedException {
      try {
        metadata = reader.read(runId);
        unavailable = null;
      } catch (RunNotInMetadataStoreException notYet) {
        return; // the driver has not recorded the run yet
      } catch (KfpException e) {
        if (unavailable == null) {
          err.println("warning: metrics and artifacts unavailable: " + e.getMessage());
          err.flush();
        }
        unavailable = e.getMessage();
        return;
      }
      if (logs != null) {
        try {
          cursors = logs.poll(runId, metadata.pods(), cursors);
          logFailure = null;
        } catch (KfpException e) {
          if (!e.getMessage().equals(logFailure)) {
            // Once per distinct failure: the next pass tries again, without a line every 2 s.
            err.println("warning: task logs unavailable for now: " + e.getMessage());
            err.flush();
          }
          logFailure = e.getMessage();
        }
      }
      out.flush();
    }

    RemoteWatchState withCursors(RemoteWatchState state) {
      return state.withLogCursors(cursors);
    }

    /** The last records read, or null (not recorded yet, or the store unavailable: see {@link #unavailable()}). */
    RunMetadata metadata() {
      return metadata;
    }

    String unavailable() {
      return unavailable;
    }

    @Override
    public void close() {
      reader.close();
      if (cluster != null) {
        cluster.close();
      }
    }
  }
}
