package io.kfpci.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One task execution of a run.
 *
 * @param id unique in the run: the DAG path of the task, loop iterations as {@code [i]}, e.g.
 *     {@code for-loop-2[3]/train} or {@code condition-1/deploy-model}
 * @param name the task's name in its DAG (the IR task key), e.g. {@code train}
 * @param parentId the id of the enclosing DAG task (or loop iteration), "" at the top level
 * @param kind {@code container}, {@code importer}, {@code dag} (nested pipeline, condition,
 *     exit handler) or {@code loop} (a ParallelFor; its iterations are dag tasks with an index)
 * @param iteration the loop index for an iteration of a ParallelFor, else null
 * @param upstream the tasks (by id) this one waited for, with why
 * @param attempts how many times it ran (retries included); 0 when skipped or cached
 * @param log the task's log file relative to the run directory, "" when it has none
 * @param logTail the last lines of the log (at most 50), for reports that stand alone
 * @param exitCode the process exit code of the last attempt, or null
 */
public record TaskSummary(
    String id,
    String name,
    String parentId,
    String componentName,
    String kind,
    Integer iteration,
    RuntimeState state,
    Instant startedAt,
    Instant finishedAt,
    int attempts,
    boolean cached,
    String image,
    List<Edge> upstream,
    Map<String, JsonNode> outputParameters,
    List<ArtifactSummary> artifacts,
    List<MetricSummary> metrics,
    String log,
    List<String> logTail,
    Integer exitCode,
    String error) {

  public TaskSummary {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    parentId = parentId == null ? "" : parentId;
    componentName = componentName == null ? "" : componentName;
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(state, "state");
    image = image == null ? "" : image;
    upstream = upstream == null ? List.of() : List.copyOf(upstream);
    outputParameters = outputParameters == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputParameters));
    artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
    log = log == null ? "" : log;
    logTail = logTail == null ? List.of() : List.copyOf(logTail);
  }

  /** A dependency: {@code data} when this task reads an output of the other, else {@code after}. */
  public record Edge(String taskId, String kind) {
    public Edge {
      Objects.requireNonNull(taskId, "taskId");
      Objects.requireNonNull(kind, "kind");
    }
  }
}
