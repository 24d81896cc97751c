package io.kfpci.artifacts.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.artifacts.ClassificationMetricsSummary;
import io.kfpci.artifacts.ExecutionState;
import io.kfpci.artifacts.RunMetadata;
import io.kfpci.artifacts.TaskExecution;
import io.kfpci.artifacts.TaskPod;
import io.kfpci.artifacts.internal.GrpcMetadataStore.TypedArtifact;
import io.kfpci.artifacts.internal.mlmd.Artifact;
import io.kfpci.artifacts.internal.mlmd.Event;
import io.kfpci.artifacts.internal.mlmd.Execution;
import io.kfpci.artifacts.internal.mlmd.Value;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.MetricSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the raw MLMD records of one run into {@link RunMetadata}. Pure: no I/O, so it is tested on
 * exactly what a real store returned.
 *
 * <p>Task ids follow docs/run-summary.md: the path of {@code task_name}s from the root DAG
 * execution (an execution without a {@code parent_dag_id} in the run), where a ParallelFor
 * iteration, which the driver names {@code <loop>_idx_<i>} with {@code iteration_index = i},
 * becomes {@code <loop>[i]} and replaces the loop's own segment: {@code for-loop-2[3]/train}.
 */
public final class RunMetadataAssembler {
  static final String METRICS = "system.Metrics";
  static final String EXECUTOR_LOGS = "executor-logs";
  /** Keys the launcher adds to every artifact's custom properties; not part of the SDK's metadata. */
  static final String DISPLAY_NAME = "display_name";
  static final String STORE_SESSION_INFO = "store_session_info";
  private static final Pattern ITERATION = Pattern.compile("(.+)_idx_(\\d+)");

  private RunMetadataAssembler() {
  }

  public static RunMetadata assemble(String runId, List<Execution> executions, List<Event> events,
      List<TypedArtifact> artifacts) {
    Map<Long, Execution> byId = new HashMap<>();
    for (Execution e : executions) {
      byId.put(e.getId(), e);
    }
    Map<Long, TypedArtifact> artifactById = new HashMap<>();
    for (TypedArtifact a : artifacts) {
      artifactById.put(a.artifact().getId(), a);
    }
    Map<Long, String> taskIds = new HashMap<>();
    for (Execution e : executions) {
      taskIds.put(e.getId(), taskId(e, byId));
    }

    // Latest execution per task id (a retried task may be recorded more than once), with counts.
    Map<String, Execution> latest = new TreeMap<>();
    Map<String, Integer> counts = new HashMap<>();
    for (Execution e : executions) {
      String id = taskIds.get(e.getId());
      if (id.isEmpty()) {
        continue; // the root DAG: the run itself
      }
      counts.merge(id, 1, Integer::sum);
      latest.merge(id, e, (a, b) -> a.getId() >= b.getId() ? a : b);
    }

    Map<Long, String> logUris = new HashMap<>();
    List<MetricSummary> metrics = new ArrayList<>();
    List<ClassificationMetricsSummary> classification = new ArrayList<>();
    List<ArtifactSummary> outputs = new ArrayList<>();
    for (Event event : events) {
      if (event.getType() != Event.Type.OUTPUT || !event.hasPath() || event.getPath().getStepsCount() == 0) {
        continue;
      }
      Execution producer = byId.get(event.getExecutionId());
      TypedArtifact typed = artifactById.get(event.getArtifactId());
      if (producer == null || typed == null) {
        continue;
      }
      String taskId = taskIds.get(producer.getId());
      if (taskId.isEmpty() || latest.get(taskId) != producer) {
        continue; // outputs of the root DAG, or of a superseded attempt
      }
      String output = event.getPath().getSteps(0).getKey();
      Artifact artifact = typed.artifact();
      if (output.equals(EXECUTOR_LOGS)) {
        logUris.put(producer.getId(), artifact.getUri());
        continue;
      }
      Map<String, JsonNode> metadata = metadata(artifact, output);
      outputs.add(new ArtifactSummary(output, typed.typeName(), artifact.getUri(), null, -1, null, metadata,
          taskId));
      if (typed.typeName().equals(METRICS)) {
        for (Map.Entry<String, Value> p : new TreeMap<>(artifact.getCustomPropertiesMap()).entrySet()) {
          if (p.getKey().equals(DISPLAY_NAME) || p.getKey().equals(STORE_SESSION_INFO)) {
            continue;
          }
          OptionalDouble v = MlmdValues.toDouble(p.getValue());
          if (v.isPresent()) {
            metrics.add(new MetricSummary(taskId, output, p.getKey(), v.getAsDouble()));
          }
        }
      } else if (typed.typeName().equals("system.ClassificationMetrics")
          || typed.typeName().equals("system.SlicedClassificationMetrics")) {
        ObjectNode whole = JsonNodeFactory.instance.objectNode();
        metadata.forEach(whole::set);
        classification.add(new ClassificationMetricsSummary(taskId, output, typed.typeName(), whole));
      }
    }

    List<TaskExecution> tasks = new ArrayList<>();
    for (Map.Entry<String, Execution> entry : latest.entrySet()) {
      Execution e = entry.getValue();
      String cachedFrom = string(e, "cached_execution_id");
      ExecutionState state = state(e.getLastKnownState());
      Value iteration = e.getCustomPropertiesMap().get("iteration_index");
      tasks.add(new TaskExecution(entry.getKey(), nonNull(string(e, "task_name")), e.getId(), e.getType(), state,
          state == ExecutionState.CACHED || (cachedFrom != null && !cachedFrom.isEmpty()),
          cachedFrom == null || cachedFrom.isEmpty() ? null : cachedFrom,
          iteration != null && iteration.hasIntValue() ? Integer.valueOf((int) iteration.getIntValue()) : null,
          string(e, "pod_name"), string(e, "namespace"), logUris.get(e.getId()), counts.get(entry.getKey())));
    }
    // Every container execution is an attempt with its own pod (FACTS 4.2): a retry that
    // re-created its execution keeps the earlier pod's log reachable.
    Map<String, List<Execution>> attempts = new TreeMap<>();
    for (Execution e : executions) {
      String id = taskIds.get(e.getId());
      if (!id.isEmpty() && !e.getType().equals("system.DAGExecution")) {
        attempts.computeIfAbsent(id, k -> new ArrayList<>()).add(e);
      }
    }
    List<TaskPod> pods = new ArrayList<>();
    attempts.forEach((id, list) -> {
      list.sort(Comparator.comparingLong(Execution::getId));
      for (int i = 0; i < list.size(); i++) {
        Execution e = list.get(i);
        String cachedFrom = string(e, "cached_execution_id");
        boolean cached = e.getLastKnownState() == Execution.State.CACHED || cachedFrom != null && !cachedFrom.isEmpty();
        pods.add(new TaskPod(id, i, e.getId(), emptyToNull(string(e, "pod_name")), emptyToNull(string(e, "namespace")),
            cached ? (cachedFrom == null || cachedFrom.isEmpty() ? "?" : cachedFrom) : null));
      }
    });
    outputs.sort(Comparator.comparing(ArtifactSummary::producerTaskId).thenComparing(ArtifactSummary::name));
    metrics.sort(Comparator.comparing(MetricSummary::taskId).thenComparing(MetricSummary::output)
        .thenComparing(MetricSummary::name));
    classification.sort(Comparator.comparing(ClassificationMetricsSummary::taskId)
        .thenComparing(ClassificationMetricsSummary::output));
    return new RunMetadata(runId, tasks, metrics, classification, outputs, pods);
  }

  /**
   * The artifact's metadata as the SDK wrote it: every custom property but the launcher's
   * {@code store_session_info}, and its {@code display_name} when that is just the output name.
   */
  private static Map<String, JsonNode> metadata(Artifact artifact, String output) {
    Map<String, JsonNode> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, Value> p : new TreeMap<>(artifact.getCustomPropertiesMap()).entrySet()) {
      if (p.getKey().equals(STORE_SESSION_INFO)) {
        continue;
      }
      if (p.getKey().equals(DISPLAY_NAME) && p.getValue().getStringValue().equals(output)) {
        continue;
      }
      metadata.put(p.getKey(), MlmdValues.toJson(p.getValue()));
    }
    return metadata;
  }

  private static String taskId(Execution e, Map<Long, Execution> byId) {
    List<String> segments = new ArrayList<>();
    Execution current = e;
    int guard = 0;
    while (current != null && guard++ < 1000) {
      Long parent = parentId(current);
      if (parent == null || !byId.containsKey(parent)) {
        // The root DAG execution names the run, not a task: leave it out of the path, unless this
        // execution is not a DAG and so cannot be the root (its parent is simply not in the run).
        if (!current.getType().equals("system.DAGExecution") || current.getCustomPropertiesMap()
            .containsKey("task_name") && !nonNull(string(current, "task_name")).isEmpty()) {
          segments.add(0, segment(current));
        }
        break;
      }
      segments.add(0, segment(current));
      current = byId.get(parent);
    }
    // A loop iteration "for-loop-2[3]" stands for its loop DAG "for-loop-2": drop the loop's segment.
    List<String> path = new ArrayList<>();
    for (String s : segments) {
      int bracket = s.lastIndexOf('[');
      if (bracket > 0 && s.endsWith("]") && !path.isEmpty()
          && path.get(path.size() - 1).equals(s.substring(0, bracket))) {
        path.remove(path.size() - 1);
      }
      path.add(s);
    }
    return String.join("/", path);
  }

  private static String segment(Execution e) {
    String name = nonNull(string(e, "task_name"));
    if (name.isEmpty()) {
      name = nonNull(string(e, "display_name"));
    }
    if (name.isEmpty()) {
      name = "execution-" + e.getId();
    }
    Value index = e.getCustomPropertiesMap().get("iteration_index");
    if (index != null && index.hasIntValue()) {
      Matcher m = ITERATION.matcher(name);
      String loop = m.matches() && Long.parseLong(m.group(2)) == index.getIntValue() ? m.group(1) : name;
      return loop + "[" + index.getIntValue() + "]";
    }
    return name;
  }

  private static Long parentId(Execution e) {
    Value v = e.getCustomPropertiesMap().get("parent_dag_id");
    if (v == null) {
      return null;
    }
    if (v.hasIntValue()) {
      return v.getIntValue();
    }
    if (v.hasStringValue()) {
      try {
        return Long.parseLong(v.getStringValue());
      } catch (NumberFormatException ignored) {
        return null; // not an id: treat as no parent
      }
    }
    return null;
  }

  private static String string(Execution e, String key) {
    Value v = e.getCustomPropertiesMap().get(key);
    if (v == null) {
      return null;
    }
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> Long.toString(v.getIntValue());
      default -> null;
    };
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  private static ExecutionState state(Execution.State state) {
    return switch (state) {
      case UNKNOWN -> ExecutionState.UNKNOWN;
      case NEW -> ExecutionState.NEW;
      case RUNNING -> ExecutionState.RUNNING;
      case COMPLETE -> ExecutionState.COMPLETE;
      case FAILED -> ExecutionState.FAILED;
      case CACHED -> ExecutionState.CACHED;
      case CANCELED -> ExecutionState.CANCELED;
    };
  }
}
