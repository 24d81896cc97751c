package io.kfpci.local.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The run-level values behind the runtime placeholders ({@code {{$.pipeline_job_name}}} and
 * friends), with the shapes the KFP backend gives them, so a component that reads one cannot tell
 * a local run from a cluster:
 *
 * <ul>
 *   <li>job name: the run's display name; {@code kfp.Client} names a run "&lt;pipeline&gt;
 *       &lt;time&gt;", and the local run id is that time with a suffix;
 *   <li>job resource name: the Argo Workflow's name, which the backend generates from the
 *       pipeline name plus a suffix ({@code generateName: <pipeline>-});
 *   <li>job uuid: a UUID (the Workflow's uid on a cluster), stable for the run id;
 *   <li>task uuid: the driver gives the MLMD execution id of the DAG the task runs in, a decimal
 *       number, the same for every task of one DAG; locally a stable number per DAG scope;
 *   <li>create and schedule times: RFC 3339 in UTC to the second; a run that was not scheduled
 *       has its schedule time equal to its creation time;
 *   <li>workspace path: a real directory of the run ({@code <run dir>/workspace}), where a cluster
 *       mounts the workspace volume.
 * </ul>
 *
 * Immutable.
 *
 * @param runDirectory the run directory; the workspace lives inside it
 */
public record RunValues(String pipelineName, String runId, Instant createdAt, Path runDirectory) {
  private static final String WORKSPACE = "{{$.workspace_path}}";

  public RunValues {
    Objects.requireNonNull(pipelineName, "pipelineName");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(runDirectory, "runDirectory");
  }

  public String jobName() {
    return pipelineName + " " + runId;
  }

  public String jobResourceName() {
    return pipelineName + "-" + runId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
  }

  public String jobUuid() {
    return UUID.nameUUIDFromBytes(runId.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** The id of the DAG a task runs in ("" is the root DAG), as a decimal number. */
  public String taskUuid(String scopeId) {
    String digest = PythonEnvironments.sha256(runId + "\u0000" + scopeId);
    return Long.toString(Long.parseLong(digest.substring(0, 12), 16));
  }

  public String createTime() {
    return DateTimeFormatter.ISO_INSTANT.format(createdAt.truncatedTo(ChronoUnit.SECONDS));
  }

  public String scheduleTime() {
    return createTime();
  }

  public Path workspace() {
    return runDirectory.resolve("workspace");
  }

  /**
   * A task input's constant as the driver resolves it (resolve.go, runtime value constants): a
   * string containing {@code {{$.workspace_path}}} gets the workspace path in its place; a string
   * that is exactly one of the job, task or time placeholders becomes its value; anything else
   * (including a placeholder inside a longer string) is left as it is.
   *
   * @param taskName the task's key in its DAG
   * @param scopeId the id of the DAG the task runs in
   */
  public Optional<String> resolveConstant(JsonNode constant, String taskName, String scopeId) {
    if (constant == null || !constant.isTextual()) {
      return Optional.empty();
    }
    String text = constant.textValue();
    if (text.contains(WORKSPACE)) {
      return Optional.of(text.replace(WORKSPACE, workspace().toString()));
    }
    return Optional.ofNullable(switch (text) {
      case "{{$.pipeline_job_name}}" -> jobName();
      case "{{$.pipeline_job_resource_name}}" -> jobResourceName();
      case "{{$.pipeline_job_uuid}}" -> jobUuid();
      case "{{$.pipeline_task_name}}" -> taskName;
      case "{{$.pipeline_task_uuid}}" -> taskUuid(scopeId);
      case "{{$.pipeline_job_create_time_utc}}" -> createTime();
      case "{{$.pipeline_job_schedule_time_utc}}" -> scheduleTime();
      default -> null;
    });
  }
}
