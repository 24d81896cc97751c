package io.kfpci.client;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.report.RuntimeState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The KFP v2beta1 REST values, as the server's protojson gateway writes them: snake_case keys,
 * int64 fields as JSON strings, absent fields for empty values. Response records tolerate fields
 * they do not know (a newer server adds some); request records ({@code Create...Request}) hold
 * only fields the 2.x server knows, because an unknown request field is a 400 there.
 */
public final class KfpApi {
  private KfpApi() {}

  /** {@code GET /apis/v2beta1/healthz}: a custom handler, not the proto. */
  public record Healthz(String commitSha, String tagName, Boolean multiUser, String pipelineStore) {
    public boolean isMultiUser() {
      return Boolean.TRUE.equals(multiUser);
    }
  }

  /** google.rpc.Status, used for errors and for per-item errors in list answers. */
  public record RpcStatus(Integer code, String message, List<JsonNode> details) {}

  public record Pipeline(String pipelineId, String displayName, String name, String description,
      Instant createdAt, String namespace, Map<String, String> tags, RpcStatus error) {}

  public record PackageUrl(String pipelineUrl) {}

  public record PipelineVersion(String pipelineId, String pipelineVersionId, String displayName, String name,
      String description, Instant createdAt, PackageUrl packageUrl, String codeSourceUrl, JsonNode pipelineSpec,
      Map<String, String> tags, RpcStatus error) {}

  public record Experiment(String experimentId, String displayName, String description, Instant createdAt,
      String namespace, String storageState, Instant lastRunCreatedAt) {}

  /** The body of {@code POST /apis/v2beta1/experiments}. */
  public record CreateExperimentRequest(String displayName, String description, String namespace) {}

  /** A pipeline version to run; without a version id the server takes the latest. */
  public record PipelineVersionReference(String pipelineId, String pipelineVersionId) {}

  public record RuntimeConfig(Map<String, JsonNode> parameters, String pipelineRoot) {}

  public record StateChange(Instant updateTime, String state, RpcStatus error) {
    /** The state, or null when the server reported an entry without one. */
    public RuntimeState runtimeState() {
      return KfpApi.state(state);
    }
  }

  public record ChildTask(String taskId, String podName) {}

  /**
   * One row of {@code run_details.task_details}. On a 2.17 server this is one Argo node (FACTS 1.10):
   * drivers, DAG nodes and executor pods; {@code pod_name}, {@code parent_task_id} are never filled.
   */
  public record TaskDetail(String runId, String taskId, String displayName, Instant createTime, Instant startTime,
      Instant endTime, String state, RpcStatus error, String parentTaskId, List<StateChange> stateHistory,
      String podName, List<ChildTask> childTasks) {
    public TaskDetail {
      stateHistory = stateHistory == null ? List.of() : List.copyOf(stateHistory);
      childTasks = childTasks == null ? List.of() : List.copyOf(childTasks);
    }

    public RuntimeState runtimeState() {
      return KfpApi.state(state);
    }
  }

  public record RunDetails(String pipelineContextId, String pipelineRunContextId, List<TaskDetail> taskDetails) {
    public RunDetails {
      taskDetails = taskDetails == null ? List.of() : List.copyOf(taskDetails);
    }
  }

  /** A run as the server answers it. */
  public record Run(String experimentId, String runId, String displayName, String description, String storageState,
      PipelineVersionReference pipelineVersionReference, JsonNode pipelineSpec, RuntimeConfig runtimeConfig,
      String serviceAccount, Instant createdAt, Instant scheduledAt, Instant finishedAt, String state, RpcStatus error,
      RunDetails runDetails, String recurringRunId, List<StateChange> stateHistory) {
    public Run {
      stateHistory = stateHistory == null ? List.of() : List.copyOf(stateHistory);
    }

    /** The state, or null while the server does not know it yet (an absent field, FACTS 1.10). */
    public RuntimeState runtimeState() {
      return KfpApi.state(state);
    }

    public List<TaskDetail> tasks() {
      return runDetails == null ? List.of() : runDetails.taskDetails();
    }
  }

  /**
   * The body of {@code POST /apis/v2beta1/runs}: a version reference or an inline spec (the IR, or
   * the wrapper {@code {"pipeline_spec":…,"platform_spec":…}}), never both.
   */
  public record CreateRunRequest(String experimentId, String displayName, String description,
      PipelineVersionReference pipelineVersionReference, JsonNode pipelineSpec, RuntimeConfig runtimeConfig,
      String serviceAccount) {
    public CreateRunRequest {
      if (displayName == null || displayName.isBlank()) {
        throw new IllegalArgumentException("a run needs a display name");
      }
      if ((pipelineVersionReference == null) == (pipelineSpec == null)) {
        throw new IllegalArgumentException("a run needs exactly one of a pipeline version reference and an inline pipeline spec");
      }
    }
  }

  public record CronSchedule(Instant startTime, Instant endTime, String cron) {}

  public record PeriodicSchedule(Instant startTime, Instant endTime,
      @JsonFormat(shape = JsonFormat.Shape.STRING) Long intervalSecond) {}

  public record Trigger(CronSchedule cronSchedule, PeriodicSchedule periodicSchedule) {}

  public record RecurringRun(String recurringRunId, String displayName, String description,
      PipelineVersionReference pipelineVersionReference, JsonNode pipelineSpec, RuntimeConfig runtimeConfig,
      String serviceAccount, @JsonFormat(shape = JsonFormat.Shape.STRING) Long maxConcurrency, Trigger trigger,
      String mode, String status, Boolean noCatchup, String namespace, String experimentId, Instant createdAt,
      Instant updatedAt, RpcStatus error) {
    public boolean enabled() {
      return "ENABLED".equals(status) || (status == null && "ENABLE".equals(mode));
    }
  }

  /** The body of {@code POST /apis/v2beta1/recurringruns}; {@code mode} is ENABLE or DISABLE. */
  public record CreateRecurringRunRequest(String displayName, String description, String experimentId,
      PipelineVersionReference pipelineVersionReference, RuntimeConfig runtimeConfig, String serviceAccount,
      @JsonFormat(shape = JsonFormat.Shape.STRING) Long maxConcurrency, Trigger trigger, String mode,
      Boolean noCatchup) {
    public CreateRecurringRunRequest {
      if (displayName == null || displayName.isBlank()) {
        throw new IllegalArgumentException("a recurring run needs a display name");
      }
      if (maxConcurrency != null && (maxConcurrency < 1 || maxConcurrency > 10)) {
        throw new IllegalArgumentException("max concurrency must be 1 to 10 (KFP's range), not " + maxConcurrency);
      }
    }
  }

  /** One page of a list answer; {@code nextPageToken} is null on the last page. */
  public record Page<T>(List<T> items, int totalSize, String nextPageToken) {
    public Page {
      items = List.copyOf(items);
      nextPageToken = nextPageToken == null || nextPageToken.isEmpty() ? null : nextPageToken;
    }
  }

  /** The list answers' shapes (FACTS 1.9: an empty list is {@code {}}). */
  public record ListPipelinesResponse(List<Pipeline> pipelines, int totalSize, String nextPageToken) {}

  public record ListPipelineVersionsResponse(List<PipelineVersion> pipelineVersions, int totalSize,
      String nextPageToken) {}

  public record ListExperimentsResponse(List<Experiment> experiments, int totalSize, String nextPageToken) {}

  public record ListRunsResponse(List<Run> runs, int totalSize, String nextPageToken) {}

  /** The proto field really is named {@code recurringRuns}, so the key is camelCase (FACTS 1.7). */
  public record ListRecurringRunsResponse(
      @JsonProperty("recurringRuns") @JsonAlias("recurring_runs") List<RecurringRun> recurringRuns,
      int totalSize, String nextPageToken) {}

  static RuntimeState state(String value) {
    if (value == null || value.isBlank() || value.equals("RUNTIME_STATE_UNSPECIFIED")) {
      return null;
    }
    try {
      return RuntimeState.fromApi(value);
    } catch (IllegalArgumentException e) {
      // A state a newer server invented: not known yet, rather than a failed watch.
      return null;
    }
  }
}
