package io.kfpci.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.remote.logs.LogCursor;
import io.kfpci.report.RuntimeState;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to continue watching a KFP run from another process: which endpoint and run,
 * what was last reported, and per task how much of its state history was already turned into
 * events. The only thing persisted (as {@link #toJson()}, a few hundred bytes per task); a new
 * watcher made from it repeats no event and loses none.
 *
 * @param endpoint the endpoint's name (never a credential)
 * @param runState the run state last reported, or null before the first
 * @param runOffset entries of the run's {@code state_history} already reported
 * @param taskLabels the label given to each task row id: its DAG path ({@code condition-1/deploy-model},
 *     {@code for-loop-2[3]/train}; states saved by older versions hold display names, {@code name[2]}
 *     for a second row of that name, and keep them), so labels stay stable across polls
 * @param taskStates the state last reported per task row id
 * @param taskOffsets entries of each task's {@code state_history} already reported (retries add entries)
 * @param logCursors how far each task attempt's log was mirrored, by task label (see
 *     {@link io.kfpci.remote.logs.LogMirror})
 * @param terminateRequested true once this client asked the server to terminate the run: a 2.17
 *     server then ends it FAILED, which is reported as CANCELED (FACTS 1.10)
 * @param finished true once a terminal state was reported
 */
public record RemoteWatchState(String endpoint, String runId, RuntimeState runState, int runOffset,
    Map<String, String> taskLabels, Map<String, RuntimeState> taskStates, Map<String, Integer> taskOffsets,
    Map<String, LogCursor> logCursors, boolean terminateRequested, boolean finished) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FORMAT = 1;

  public RemoteWatchState {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(runId, "runId");
    taskLabels = Collections.unmodifiableMap(new LinkedHashMap<>(taskLabels));
    taskStates = Collections.unmodifiableMap(new LinkedHashMap<>(taskStates));
    taskOffsets = Collections.unmodifiableMap(new LinkedHashMap<>(taskOffsets));
    logCursors = Collections.unmodifiableMap(new LinkedHashMap<>(logCursors));
  }

  public static RemoteWatchState initial(String endpoint, String runId) {
    return new RemoteWatchState(endpoint, runId, null, 0, Map.of(), Map.of(), Map.of(), Map.of(), false, false);
  }

  public RemoteWatchState withTerminateRequested() {
    return new RemoteWatchState(endpoint, runId, runState, runOffset, taskLabels, taskStates, taskOffsets, logCursors,
        true, finished);
  }

  public RemoteWatchState withLogCursors(Map<String, LogCursor> cursors) {
    return new RemoteWatchState(endpoint, runId, runState, runOffset, taskLabels, taskStates, taskOffsets, cursors,
        terminateRequested, finished);
  }

  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("kind", "kfp");
    root.put("endpoint", endpoint);
    root.put("run_id", runId);
    if (runState != null) {
      root.put("run_state", runState.name());
    }
    root.put("run_offset", runOffset);
    ObjectNode tasks = root.putObject("tasks");
    taskLabels.forEach((id, label) -> {
      ObjectNode t = tasks.putObject(id);
      t.put("label", label);
      RuntimeState s = taskStates.get(id);
      if (s != null) {
        t.put("state", s.name());
      }
      t.put("offset", taskOffsets.getOrDefault(id, 0));
    });
    if (!logCursors.isEmpty()) {
      ObjectNode logs = root.putObject("logs");
      logCursors.forEach((task, c) -> {
        ObjectNode l = logs.putObject(task);
        if (c.last() != null) {
          l.put("last", c.last().toString());
        }
        l.put("at_last", c.atLast());
        l.put("lines", c.lines());
        l.put("done", c.done());
      });
    }
    root.put("terminate_requested", terminateRequested);
    root.put("finished", finished);
    return root.toString();
  }

  public static RemoteWatchState fromJson(String json) throws RemoteWatchException {
    try {
      JsonNode root = JSON.readTree(json);
      if (root == null || !root.isObject() || root.path("format").asInt() != FORMAT || !"kfp".equals(root.path("kind").asText())) {
        throw new IllegalArgumentException("not a remote watch state of format " + FORMAT);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      Map<String, RuntimeState> states = new LinkedHashMap<>();
      Map<String, Integer> offsets = new LinkedHashMap<>();
      root.path("tasks").fields().forEachRemaining(e -> {
        labels.put(e.getKey(), e.getValue().path("label").asText());
        if (e.getValue().hasNonNull("state")) {
          states.put(e.getKey(), RuntimeState.valueOf(e.getValue().get("state").asText()));
        }
        offsets.put(e.getKey(), e.getValue().path("offset").asInt());
      });
      Map<String, LogCursor> logs = new LinkedHashMap<>();
      root.path("logs").fields().forEachRemaining(e -> logs.put(e.getKey(), new LogCursor(
          e.getValue().hasNonNull("last") ? Instant.parse(e.getValue().get("last").asText()) : null,
          e.getValue().path("at_last").asInt(), e.getValue().path("lines").asLong(), e.getValue().path("done").asBoolean())));
      String endpoint = root.path("endpoint").asText("");
      String runId = root.path("run_id").asText("");
      if (endpoint.isEmpty() || runId.isEmpty()) {
        throw new IllegalArgumentException("missing endpoint or run_id");
      }
      return new RemoteWatchState(endpoint, runId,
          root.hasNonNull("run_state") ? RuntimeState.valueOf(root.get("run_state").asText()) : null,
          root.path("run_offset").asInt(), labels, states, offsets, logs,
          root.path("terminate_requested").asBoolean(), root.path("finished").asBoolean());
    } catch (java.io.IOException | RuntimeException e) {
      throw new RemoteWatchException("the saved remote watch state is damaged (" + e.getMessage() + ")", e);
    }
  }
}
