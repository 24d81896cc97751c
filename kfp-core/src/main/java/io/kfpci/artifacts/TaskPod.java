package io.kfpci.artifacts;

import java.util.Objects;

/**
 * One attempt of a task and the pod that ran it, read the way the KFP UI reads it
 * ({@code RuntimeNodeDetailsV2.tsx getLogsInfo}): the execution's {@code pod_name} and
 * {@code namespace} custom properties, never GetRun's {@code pod_name}, which the server leaves
 * empty (FACTS 4.2).
 *
 * @param taskId the run-summary task id ({@code for-loop-2[3]/train} for a ParallelFor iteration)
 * @param attempt 0 for the first execution of the task id, 1 for a retry recorded as a second
 *     execution, and so on (ordered by execution id)
 * @param executionId the MLMD execution id
 * @param podName the executor pod, or null (a cache hit or a task that never started)
 * @param namespace the pod's namespace, or null
 * @param cachedExecutionId the execution whose outputs were reused, or null
 */
public record TaskPod(String taskId, int attempt, long executionId, String podName, String namespace,
    String cachedExecutionId) {
  public TaskPod {
    Objects.requireNonNull(taskId, "taskId");
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt < 0: " + attempt);
    }
  }

  /** The outputs were taken from the cache: there is no pod and so no log. */
  public boolean cached() {
    return cachedExecutionId != null;
  }

  /** The task id, with {@code #n} for the n-th retry so every line names the attempt it came from. */
  public String label() {
    return attempt == 0 ? taskId : taskId + " #" + attempt;
  }
}
