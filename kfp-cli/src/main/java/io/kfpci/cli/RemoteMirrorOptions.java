package io.kfpci.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kfpci.KfpException;
import io.kfpci.artifacts.MetadataStoreUnavailableException;
import io.kfpci.artifacts.RunMetadata;
import io.kfpci.artifacts.RunMetadataReader;
import io.kfpci.artifacts.RunNotInMetadataStoreException;
import io.kfpci.client.KfpClient;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What {@code kfpci submit --wait} and {@code kfpci watch} mirror besides states: with
 * {@code --mlmd} (or {@code --mlmd-via-kubernetes}), the metrics and artifacts of the run (into the
 * summary, and a metrics table at the end); with {@code --pods} as well, the tasks' logs, one pass
 * per poll of the watch.
 */
final class RemoteMirrorOptions {
  @Mixin MetadataStoreMixin store;

  @Option(names = "--pods", description = "Stream the tasks' logs from their pods through Kubernetes (needs --mlmd or"
      + " --mlmd-via-kubernetes); --kubeconfig or --context without --mlmd-via-kubernetes or --via-kubernetes"
      + " implies it.")
  boolean pods;

  @Mixin KubeconfigOptions kube;

  /** Where archived logs are read once a pod is gone (after the API server's main-logs artifact). */
  @Mixin LogArchiveOptions archive;

  /**
   * True when the command reaches the KFP API through a port-forward (--via-kubernetes): a
   * kubeconfig is then given for that forward, and implies no log streaming. Set by the command
   * from its endpoint options before {@link #validate} and {@link #open}.
   */
  boolean apiViaKubernetes;

  /**
   * Whether to stream logs. A kubeconfig names the cluster of the logs unless it is given for a
   * port-forward (ML Metadata's or the API's), which needs one too.
   */
  boolean logs() {
    return pods || kube.given() && !store.viaKubernetes && !apiViaKubernetes;
  }

  /** Refuses options that cannot work together, before anything is submitted. */
  void validate() {
    if (!store.given() && logs()) {
      throw new IllegalArgumentException("--pods needs --mlmd HOST:PORT or --mlmd-via-kubernetes: the tasks' pods are"
          + " found in ML Metadata");
    }
  }

  /**
   * The mirror for one watch, or null when no option asks for one.
   *
   * @param namespace KFP's namespace, for --mlmd-via-kubernetes
   */
  Mirror open(KfpClient client, String namespace, RemoteWatchState start, PrintWriter out, PrintWriter err)
      throws KfpException {
    validate();
    if (!store.given()) {
      return null;
    }
    // Built first: a bad object store setting is refused before anything is opened.
    List<ArchivedLogSource> archives = new ArrayList<>(List.of(new ApiServerLogArchive(client)));
    ObjectStoreLogArchive stored = archive.archive();
    if (stored != null) {
      archives.add(stored);
    }
    KubernetesClient cluster = logs() || store.viaKubernetes ? kube.connect() : null;
    Mirror mirror = null;
    try {
      MetadataStoreMixin.Store opened;
      try {
        opened = store.open(cluster, namespace);
      } catch (MetadataStoreUnavailableException e) {
        // As when the store stops answering mid-watch: the run is watched to its end without metrics.
        err.println("warning: metrics and artifacts unavailable: " + e.getMessage());
        err.flush();
        mirror = new Mirror(null, e.getMessage(), cluster, false, archives, start, out, err);
        return mirror;
      }
      mirror = new Mirror(opened, null, cluster, logs(), archives, start, out, err);
      return mirror;
    } finally {
      if (mirror == null && cluster != null) {
        cluster.close();
      }
    }
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
    private final MetadataStoreMixin.Store store;
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

    /**
     * @param store the open store, or null when it could not be opened
     * @param failure why the store could not be opened, or null
     * @param cluster a Kubernetes client (of the logs or the port-forward) or null; closed with the mirror
     * @param streamLogs whether to follow the pods' logs through {@code cluster}
     */
    Mirror(MetadataStoreMixin.Store store, String failure, KubernetesClient cluster, boolean streamLogs,
        List<ArchivedLogSource> archives, RemoteWatchState start, PrintWriter out, PrintWriter err) {
      this.store = store;
      this.reader = store == null ? null : store.reader();
      this.unavailable = failure;
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
      this.logs = streamLogs ? new LogMirror(new PodLogs(cluster), archives, sink, Duration.ZERO) : null;
    }

    /** One pass: the run's records, then what is new in its logs. Called with {@code out} locked, one at a time. */
    void poll() throws InterruptedException {
      if (reader == null) {
        return; // said once when it failed to open
      }
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
      try {
        if (store != null) {
          store.close();
        }
      } finally {
        if (cluster != null) {
          cluster.close();
        }
      }
    }
  }
}
