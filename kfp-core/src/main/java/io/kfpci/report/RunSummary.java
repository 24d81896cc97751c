package io.kfpci.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The run summary document: everything a person or a tool needs to know about one pipeline run,
 * whoever ran it (the local runner now, a KFP cluster later). Its JSON form is documented in
 * docs/run-summary.md and read by the report, the gates and the Jenkins plugin. Immutable.
 *
 * <p>Nullable fields are absent from the JSON: {@code startedAt}/{@code finishedAt} until they
 * happen, {@code error} when there is none.
 *
 * @param formatVersion {@link #FORMAT_VERSION}; readers reject newer major versions
 * @param parameters the run's parameters as typed JSON values
 * @param location where the run ran
 * @param tasks every task execution, loop iterations and nested DAGs included, in start order
 * @param gates gate verdicts over the metrics, when gates were evaluated
 * @param outputs what the pipeline itself outputs (its root DAG's outputs), or null when it
 *     declares none or the run has not produced them
 */
public record RunSummary(
    int formatVersion,
    String pipelineName,
    String runId,
    RuntimeState state,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Map<String, JsonNode> parameters,
    Location location,
    String error,
    List<TaskSummary> tasks,
    List<GateResult> gates,
    PipelineOutputs outputs) {

  public static final int FORMAT_VERSION = 1;

  public RunSummary {
    Objects.requireNonNull(pipelineName, "pipelineName");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    Objects.requireNonNull(location, "location");
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
    gates = gates == null ? List.of() : List.copyOf(gates);
  }

  /** This summary with {@code verdicts} as its gates, everything else kept. */
  public RunSummary withGates(List<GateResult> verdicts) {
    return new RunSummary(formatVersion, pipelineName, runId, state, createdAt, startedAt, finishedAt, parameters,
        location, error, tasks, verdicts, outputs);
  }

  /** A summary without pipeline outputs (format 1 documents before they were recorded). */
  public RunSummary(int formatVersion, String pipelineName, String runId, RuntimeState state, Instant createdAt,
      Instant startedAt, Instant finishedAt, Map<String, JsonNode> parameters, Location location, String error,
      List<TaskSummary> tasks, List<GateResult> gates) {
    this(formatVersion, pipelineName, runId, state, createdAt, startedAt, finishedAt, parameters, location, error,
        tasks, gates, null);
  }

  /**
   * The pipeline's own outputs: the root DAG's output parameters and artifacts, as a caller of the
   * pipeline (or a parent pipeline) would receive them.
   *
   * @param parameters output parameter values by output name
   * @param artifacts output artifacts; each {@code name} is the pipeline's output name and
   *     {@code producerTaskId} the task that wrote it
   */
  public record PipelineOutputs(Map<String, JsonNode> parameters, List<ArtifactSummary> artifacts) {
    public PipelineOutputs {
      parameters = parameters == null ? Map.of()
          : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
      artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }

    public boolean isEmpty() {
      return parameters.isEmpty() && artifacts.isEmpty();
    }
  }

  /**
   * Where a run ran.
   *
   * @param kind {@code local} or {@code kfp}
   * @param root the local run directory, or the KFP endpoint URL
   * @param uiUrl a link to the run in the KFP UI, or null
   */
  public record Location(String kind, String root, String uiUrl) {
    public Location {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(root, "root");
    }
  }

  /** Every metric of the run, in task order. */
  public List<MetricSummary> metrics() {
    return tasks.stream().flatMap(t -> t.metrics().stream()).toList();
  }

  /** Every output artifact of the run, in task order. */
  public List<ArtifactSummary> artifacts() {
    return tasks.stream().flatMap(t -> t.artifacts().stream()).toList();
  }
}
