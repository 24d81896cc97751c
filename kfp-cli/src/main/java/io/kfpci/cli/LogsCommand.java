package io.kfpci.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kfpci.artifacts.RunMetadata;
import io.kfpci.artifacts.RunMetadataReader;
import io.kfpci.artifacts.TaskPod;
import io.kfpci.client.KfpClient;
import io.kfpci.remote.logs.ApiServerLogArchive;
import io.kfpci.remote.logs.ArchivedLogSource;
import io.kfpci.remote.logs.LogCursor;
import io.kfpci.remote.logs.LogLine;
import io.kfpci.remote.logs.LogMirror;
import io.kfpci.remote.logs.LogSink;
import io.kfpci.remote.logs.ObjectStoreLogArchive;
import io.kfpci.remote.logs.PodLogs;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kfpci logs RUN_ID [--task T] [--follow]}: the {@code main} container logs of a remote
 * run's tasks, each line once and labelled with its task, live from the pods (with {@code --pods})
 * and, once they are gone, from the API server's {@code main-logs} artifact or the archived
 * {@code main.log} in the object store.
 */
@Command(name = "logs",
    description = "Print the logs of a KFP run's tasks: live from their pods, else from the archives KFP keeps"
        + " (the API server's main-logs artifact, main.log in the object store). Pods are found through the ML"
        + " Metadata store, as the KFP UI finds them.")
final class LogsCommand implements Callable<Integer> {
  /** Between two passes of --follow: the API server and the store are asked once per pass. */
  static final Duration FOLLOW_INTERVAL = Duration.ofSeconds(2);

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "RUN_ID", description = "The KFP run id.")
  String runId;

  @Option(names = "--task", paramLabel = "TASK",
      description = "Only this task: a task id (for-loop-2[1]/train) or a task name (train: every iteration).")
  String task;

  @Option(names = "--follow", description = "Keep printing until the run has ended and every log is complete.")
  boolean follow;

  @Mixin MetadataStoreMixin store;

  @Option(names = "--pods", description = "Read live logs from the pods through Kubernetes; --kubeconfig or --context"
      + " without --mlmd-via-kubernetes implies it.")
  boolean pods;

  @Mixin KubeconfigOptions kube;

  @Mixin EndpointOptions endpoint;

  @Mixin LogArchiveOptions archive;

  @Override
  public Integer call() throws Exception {
    boolean json = endpoint.json();
    boolean kfp = endpoint.endpoint != null || endpoint.viaKubernetes || EndpointOptions.env.get("KF_PIPELINES_ENDPOINT") != null;
    if (follow && !kfp) {
      throw new IllegalArgumentException("--follow needs the KFP endpoint (--endpoint URL or $KF_PIPELINES_ENDPOINT)"
          + " to know when the run ends");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LogSink sink = sink(out, json);
    store.require();
    // A kubeconfig names the cluster of the logs unless it is given for a port-forward (ML
    // Metadata's or the API's); either way it is the one cluster of this command.
    boolean live = pods || kube.given() && !store.viaKubernetes && !endpoint.viaKubernetes;
    try (KfpClient client = kfp ? endpoint.client(err, kube) : null;
        KubernetesClient cluster = live || store.viaKubernetes ? kube.connect() : null;
        MetadataStoreMixin.Store opened = store.open(cluster, endpoint.kfp.namespace)) {
      RunMetadataReader reader = opened.reader();
      List<ArchivedLogSource> archives = new ArrayList<>();
      if (client != null) {
        archives.add(new ApiServerLogArchive(client));
      }
      ObjectStoreLogArchive stored = archive.archive();
      if (stored != null) {
        archives.add(stored);
      }
      LogMirror mirror = new LogMirror(live ? new PodLogs(cluster) : null, archives, sink, FOLLOW_INTERVAL);
      Map<String, LogCursor> cursors = Map.of();
      while (true) {
        // The run's state first: a run seen ended before this pass has all its pods recorded.
        boolean ended = client != null && client.getRun(runId).runtimeState().isTerminal();
        RunMetadata run = reader.read(runId);
        List<TaskPod> selected = select(run.pods());
        cursors = mirror.poll(runId, selected, cursors);
        out.flush();
        Map<String, LogCursor> now = cursors;
        // A task that never got a pod (not reached, upstream failed) has no log to wait for once the run ended.
        boolean complete = selected.stream().allMatch(p -> p.podName() == null
            || now.getOrDefault(p.label(), LogCursor.START).done());
        if (!follow || ended && complete) {
          return ExitCodes.OK;
        }
        Thread.sleep(FOLLOW_INTERVAL.toMillis());
      }
    }
  }

  private List<TaskPod> select(List<TaskPod> all) {
    if (task == null) {
      return all;
    }
    List<TaskPod> chosen = all.stream().filter(p -> p.taskId().equals(task) || p.taskId().endsWith("/" + task)
        || p.taskId().startsWith(task + "[")).toList();
    if (chosen.isEmpty() && !all.isEmpty()) {
      TreeSet<String> known = new TreeSet<>();
      all.forEach(p -> known.add(p.taskId()));
      throw new IllegalArgumentException("run " + runId + " has no task '" + task + "'; its tasks: "
          + String.join(", ", known));
    }
    return chosen;
  }

  private static LogSink sink(PrintWriter out, boolean json) {
    return new LogSink() {
      @Override
      public void line(LogLine line) {
        if (json) {
          ObjectNode node = RemoteSupport.JSON.createObjectNode().put("task", line.task());
          if (line.timestamp() != null) {
            node.put("time", line.timestamp().toString());
          }
          out.println(node.put("text", line.text()).toString());
        } else {
          out.println(line.format());
        }
      }

      @Override
      public void notice(String task, String message) {
        out.println(json ? RemoteSupport.JSON.createObjectNode().put("task", task).put("notice", message).toString()
            : "[" + task + "] (" + message + ")");
      }
    };
  }
}
