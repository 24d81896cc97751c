package io.kfpci.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.RunSummary;
import io.kfpci.report.TaskSummary;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import io.minio.errors.MinioException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What the KFP driver and launcher publish for a run on a real cluster (FACTS.md 4 and 5), done
 * with the real parts a test has: the task's output files uploaded to the object store under
 * {@code <pipeline root>/<pipeline>/<run id>/<task>/<uuid>/<output>} through the MinIO SDK; the
 * executions (custom properties {@code task_name}, {@code display_name}, {@code pod_name},
 * {@code namespace}, {@code image}, {@code parent_dag_id}), OUTPUT events and artifacts (every
 * metadata key a custom property, plus {@code display_name} and {@code store_session_info}) in
 * the real ML Metadata store, in the run's {@code system.PipelineRun} context; and the executor pod,
 * Succeeded or Failed, with the task's log lines stamped the way the kubelet stamps them, on the
 * Kubernetes mock server.
 *
 * <p>Unlike the launcher, a container execution is recorded once, when its task has ended (not
 * pre-published RUNNING first): the executor reports the task to the emulator only after that.
 */
final class LauncherStandIn implements LocalBackedRunExecutor.Launcher {
  static final String NAMESPACE = "kubeflow";
  static final String BUCKET = "mlpipeline";
  /** The launcher's default pipeline root (FACTS 5.2), used when the run sets none. */
  static final String DEFAULT_PIPELINE_ROOT = "minio://" + BUCKET + "/v2/artifacts";
  private static final String SESSION = "{\"Provider\":\"minio\",\"Params\":{\"endpoint\":\"seaweedfs.kubeflow:9000\","
      + "\"region\":\"minio\",\"secretName\":\"mlpipeline-minio-artifact\",\"disableSSL\":\"true\"}}";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final MlmdStoreProcess store;
  private final MinioClient objects;
  private final KubernetesMockServer cluster;

  LauncherStandIn(MlmdStoreProcess store, MinioClient objects, KubernetesMockServer cluster) {
    this.store = store;
    this.objects = objects;
    this.cluster = cluster;
  }

  /** {@code <pipeline root>/<pipeline>/<run id>}: the run context's {@code pipeline_root}. */
  static String runRoot(LocalBackedRunExecutor.StartedRun run) {
    String root = run.submission().pipelineRoot().isEmpty() ? DEFAULT_PIPELINE_ROOT : run.submission().pipelineRoot();
    return root.replaceAll("/+$", "") + "/" + run.pipelineName() + "/" + run.runId();
  }

  @Override
  public void runStarted(LocalBackedRunExecutor.StartedRun run) {
    ObjectNode root = execution(run, "", "system.DAGExecution", "RUNNING");
    custom(root, "display_name", NODES.textNode(run.pipelineName()));
    store.record(document(run, root));
  }

  @Override
  public void dagStarted(LocalBackedRunExecutor.StartedRun run, TaskSummary dag) {
    ObjectNode execution = execution(run, dag.id(), "system.DAGExecution", "RUNNING");
    execution.put("parent", key(run, dag.parentId()));
    custom(execution, "task_name", NODES.textNode(dag.name()));
    custom(execution, "display_name", NODES.textNode(dag.name()));
    store.record(document(run, execution));
  }

  @Override
  public void containerEnded(LocalBackedRunExecutor.StartedRun run, TaskSummary task, String podName)
      throws IOException {
    ObjectNode execution = execution(run, task.id(), task.kind().equals("importer") ? "system.ImporterExecution"
        : "system.ContainerExecution", state(task.state()));
    execution.put("parent", key(run, task.parentId()));
    custom(execution, "task_name", NODES.textNode(task.name()));
    custom(execution, "display_name", NODES.textNode(task.name()));
    custom(execution, "pod_name", NODES.textNode(podName));
    custom(execution, "pod_uid", NODES.textNode(UUID.nameUUIDFromBytes(podName.getBytes(StandardCharsets.UTF_8)).toString()));
    custom(execution, "namespace", NODES.textNode(NAMESPACE));
    custom(execution, "image", NODES.textNode(task.image()));
    ArrayNode outputs = execution.putArray("outputs");
    if (task.state() == io.kfpci.report.RuntimeState.SUCCEEDED) {
      // On failure the launcher registers no outputs (only executor-logs, which this run does not publish).
      String uuid = UUID.randomUUID().toString();
      for (ArtifactSummary a : task.artifacts()) {
        String uri = runRoot(run) + "/" + task.name() + "/" + uuid + "/" + a.name();
        upload(run.runDirectory(), a, uri);
        ObjectNode out = outputs.addObject().put("name", a.name()).put("type", a.type()).put("uri", uri);
        ObjectNode custom = out.putObject("custom");
        for (Map.Entry<String, JsonNode> m : a.metadata().entrySet()) {
          custom.set(m.getKey(), value(m.getValue()));
        }
        if (!a.metadata().containsKey("display_name")) {
          custom.set("display_name", value(NODES.textNode(a.name())));
        }
        custom.set("store_session_info", value(NODES.textNode(SESSION)));
      }
    }
    // The pod before the record that names it: a watcher finding the execution finds its pod too.
    pod(podName, task, run.runDirectory());
    store.record(document(run, execution));
  }

  @Override
  public void dagEnded(LocalBackedRunExecutor.StartedRun run, TaskSummary dag) {
    store.record(document(run, execution(run, dag.id(), "system.DAGExecution", state(dag.state()))));
  }

  @Override
  public void runEnded(LocalBackedRunExecutor.StartedRun run, RunSummary summary) {
    store.record(document(run, execution(run, "", "system.DAGExecution", state(summary.state()))));
  }

  /** The task's log lines, as the kubelet serves them with {@code timestamps=true}. */
  static List<String> logLines(Path runDirectory, TaskSummary task) throws IOException {
    if (task.log().isEmpty()) {
      return List.of();
    }
    // Framed as the kubelet frames them: by '\n' only (a '\r' before it is dropped by the reader too).
    String text = Files.readString(runDirectory.resolve(task.log()));
    List<String> lines = new java.util.ArrayList<>();
    for (String line : text.split("\n", -1)) {
      lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1); // after the last newline
    }
    return lines;
  }

  private void pod(String name, TaskSummary task, Path runDirectory) throws IOException {
    String base = "/api/v1/namespaces/" + NAMESPACE + "/pods/" + name;
    Instant start = task.startedAt();
    StringBuilder log = new StringBuilder();
    List<String> lines = logLines(runDirectory, task);
    for (int i = 0; i < lines.size(); i++) {
      // One microsecond apart: distinct, ordered stamps, as a log written over time has.
      log.append(start.plusNanos(1000L * i)).append(' ').append(lines.get(i)).append('\n');
    }
    String phase = task.state() == io.kfpci.report.RuntimeState.SUCCEEDED ? "Succeeded" : "Failed";
    cluster.expect().get().withPath(base).andReturn(200, new PodBuilder().withNewMetadata().withName(name)
        .withNamespace(NAMESPACE).endMetadata().withNewStatus().withPhase(phase).endStatus().build()).always();
    cluster.expect().get().withPath(base + "/log?pretty=false&container=main&timestamps=true")
        .andReturn(200, log.toString()).always();
  }

  private void upload(Path runDirectory, ArtifactSummary a, String uri) throws IOException {
    if (a.path() == null) {
      return; // no local file (Metrics usually): the launcher only warns
    }
    String prefix = DEFAULT_PIPELINE_ROOT.substring(0, ("minio://" + BUCKET + "/").length());
    if (!uri.startsWith(prefix)) {
      throw new IllegalArgumentException("this stand-in uploads to bucket " + BUCKET + " only, not " + uri);
    }
    String key = uri.substring(prefix.length());
    Path local = runDirectory.resolve(a.path());
    if (Files.isDirectory(local)) {
      try (Stream<Path> files = Files.walk(local)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          put(key + "/" + local.relativize(f).toString().replace('\\', '/'), f);
        }
      }
    } else if (Files.isRegularFile(local)) {
      put(key, local);
    }
  }

  private void put(String key, Path file) throws IOException {
    try {
      objects.uploadObject(UploadObjectArgs.builder().bucket(BUCKET).object(key).filename(file.toString()).build());
    } catch (MinioException | GeneralSecurityException e) {
      throw new IOException("uploading " + file + " to " + BUCKET + "/" + key + " failed: " + e.getMessage(), e);
    }
  }

  private static String key(LocalBackedRunExecutor.StartedRun run, String taskId) {
    return run.runId() + "/" + taskId;
  }

  private static ObjectNode execution(LocalBackedRunExecutor.StartedRun run, String taskId, String type, String state) {
    return NODES.objectNode().put("key", key(run, taskId)).put("type", type).put("state", state);
  }

  private static void custom(ObjectNode execution, String name, JsonNode v) {
    ObjectNode custom = execution.has("custom") ? (ObjectNode) execution.get("custom") : execution.putObject("custom");
    custom.set(name, value(v));
  }

  private static ObjectNode document(LocalBackedRunExecutor.StartedRun run, ObjectNode execution) {
    ObjectNode doc = NODES.objectNode();
    doc.putArray("runs").addObject().put("pipeline", run.pipelineName()).put("run_id", run.runId())
        .put("pipeline_root", runRoot(run)).putArray("executions").add(execution);
    return doc;
  }

  /** A metadata value as the launcher's toMLMDArtifact stores it (FACTS 5.1), as an MLMD Value in proto JSON. */
  static ObjectNode value(JsonNode v) {
    ObjectNode out = NODES.objectNode();
    if (v.isNumber()) {
      out.put("double_value", v.asDouble());
    } else if (v.isBoolean()) {
      out.put("int_value", v.asBoolean() ? 1 : 0);
    } else if (v.isArray()) {
      out.putObject("struct_value").set("list", v);
    } else if (v.isObject()) {
      out.set("struct_value", v);
    } else {
      out.put("string_value", v.asText());
    }
    return out;
  }

  private static String state(io.kfpci.report.RuntimeState state) {
    return switch (state) {
      case SUCCEEDED -> "COMPLETE";
      case FAILED -> "FAILED";
      case SKIPPED, CANCELED, CANCELING -> "CANCELED";
      case PENDING, RUNNING, PAUSED -> "RUNNING";
    };
  }
}
