package io.kfpci.local.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.report.RuntimeState;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one attempt of an executor node ended, as a worker thread reports it to the coordinator.
 *
 * @param state SUCCEEDED, FAILED or CANCELED
 * @param cached the outputs came from the cache; nothing ran
 * @param exitCode the process exit code, or null when no process ran (or it was killed)
 * @param error why it failed, without the task name (the coordinator adds it)
 */
public record Outcome(RuntimeState state, boolean cached, Integer exitCode, String error,
    Map<String, JsonNode> outputParameters, Map<String, List<Artifact>> outputArtifacts, List<String> logTail) {

  public Outcome {
    Objects.requireNonNull(state, "state");
    // Kept in the component's order: the summary lists outputs as the component declares them.
    outputParameters = outputParameters == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputParameters));
    outputArtifacts = outputArtifacts == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputArtifacts));
    logTail = logTail == null ? List.of() : List.copyOf(logTail);
  }

  /**
   * True for the exit code of a process ended by SIGHUP, SIGINT or SIGTERM (128 + signal): what a
   * cancel sent to the whole process group (Ctrl-C, a CI job's SIGTERM) does to a task.
   */
  public static boolean isCancelSignal(Integer exitCode) {
    return exitCode != null && (exitCode == 129 || exitCode == 130 || exitCode == 143);
  }

  public static Outcome failed(Integer exitCode, String error, List<String> logTail) {
    return new Outcome(RuntimeState.FAILED, false, exitCode, error, null, null, logTail);
  }

  public static Outcome canceled(Integer exitCode, List<String> logTail) {
    return new Outcome(RuntimeState.CANCELED, false, exitCode, "canceled", null, null, logTail);
  }
}
