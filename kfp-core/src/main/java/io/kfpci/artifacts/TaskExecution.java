package io.kfpci.artifacts;

import java.util.Objects;

/**
 * One task execution of a run as the ML Metadata store records it.
 *
 * @param taskId the run-summary task id: the DAG path of task names, a ParallelFor iteration
 *     written {@code loop[i]} (e.g. {@code for-loop-2[3]/train})
 * @param taskName the execution's {@code task_name} custom property as the launcher wrote it
 * @param executionId the MLMD execution id
 * @param type the execution type, e.g. {@code system.ContainerExecution}
 * @param state the last known state
 * @param cached outputs were taken from the cache (state CACHED or {@code cached_execution_id} set)
 * @param cachedExecutionId the execution the outputs came from, or null
 * @param iteration the ParallelFor iteration index of a loop iteration, or null
 * @param podName the executor pod ({@code pod_name}), or null (DAGs, cache hits)
 * @param namespace the pod's namespace, or null
 * @param logUri the {@code executor-logs} artifact URI, or null
 * @param executions how many executions the store holds for this task id (retries recorded as
 *     separate executions); the fields above describe the latest one
 */
public record TaskExecution(String taskId, String taskName, long executionId, String type, ExecutionState state,
    boolean cached, String cachedExecutionId, Integer iteration, String podName, String namespace,
    String logUri, int executions) {
  public TaskExecution {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(taskName, "taskName");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(state, "state");
  }
}
