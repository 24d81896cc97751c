package io.kfpci.remote.logs;

import io.kfpci.artifacts.TaskPod;
import java.util.Optional;

/**
 * Where a task's {@code main} log is kept after Argo deleted its pod (about an hour after the run,
 * FACTS 4.3): the API server's {@code main-logs} artifact, the archived {@code main.log} object.
 */
public interface ArchivedLogSource {
  /** A short name for messages, e.g. "the API server's main-logs artifact". */
  String name();

  /**
   * The whole archived log of the pod, or empty when this source has none for it.
   *
   * @throws LogSourceException the source could not be asked (unreachable, denied)
   */
  Optional<byte[]> read(String runId, TaskPod pod) throws LogSourceException, InterruptedException;
}
