package io.kfpci.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.report.RuntimeState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a watcher needs to continue after it was discarded: the run it watches, how far it
 * read {@code run.log}, and the states it last reported. This is the only thing a caller persists
 * (as {@link #toJson()}); it holds no handles.
 *
 * @param logOffset bytes of run.log already turned into events; always at a line boundary
 * @param runState the run state last reported, or null before the first report
 * @param taskStates the state last reported per task id, in first-seen order
 * @param terminalSeenAt when a terminal run state was first seen while the runner was still alive
 *     (it may still be writing report.html), or null
 * @param cancelRequested true once someone asked the runner to cancel: a runner that then dies
 *     without a final state ended the run CANCELED, not FAILED
 * @param finished true once the run is over and its log fully read; {@code runState} is then final
 */
public record WatchState(RunHandle handle, long logOffset, RuntimeState runState,
    Map<String, RuntimeState> taskStates, Instant terminalSeenAt, boolean cancelRequested, boolean finished) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FORMAT = 1;

  public WatchState {
    Objects.requireNonNull(handle, "handle");
    if (logOffset < 0) {
      throw new IllegalArgumentException("logOffset must not be negative");
    }
    taskStates = Collections.unmodifiableMap(new LinkedHashMap<>(taskStates));
  }

  /** The state of a run nobody has looked at yet. */
  public static WatchState initial(RunHandle handle) {
    return new WatchState(handle, 0, null, Map.of(), null, false, false);
  }

  /** This state, noting that cancellation was requested. */
  public WatchState withCancelRequested() {
    return new WatchState(handle, logOffset, runState, taskStates, terminalSeenAt, true, finished);
  }

  /** A compact JSON document to persist; {@link #fromJson} reads it back. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("run_dir", handle.runDirectory().toString());
    root.put("pid", handle.pid());
    if (!handle.outputDirectory().equals(handle.runDirectory())) {
      root.put("output_dir", handle.outputDirectory().toString());
    }
    if (handle.processStart() != null) {
      root.put("process_start", handle.processStart().toString());
    }
    root.put("log_offset", logOffset);
    if (runState != null) {
      root.put("run_state", runState.name());
    }
    ObjectNode tasks = root.putObject("task_states");
    taskStates.forEach((id, state) -> tasks.put(id, state.name()));
    if (terminalSeenAt != null) {
      root.put("terminal_seen_at", terminalSeenAt.toString());
    }
    root.put("cancel_requested", cancelRequested);
    root.put("finished", finished);
    return root.toString();
  }

  /** Reads {@link #toJson()}'s output; a damaged document is an error, not a fresh start. */
  public static WatchState fromJson(String json) throws MonitorException {
    try {
      JsonNode root = JSON.readTree(json);
      if (root == null || !root.isObject() || root.path("format").asInt() != FORMAT) {
        throw new IllegalArgumentException("not a watch state of format " + FORMAT);
      }
      RunHandle handle = new RunHandle(Path.of(text(root, "run_dir")), root.path("pid").asLong(),
          root.hasNonNull("process_start") ? Instant.parse(root.get("process_start").asText()) : null,
          root.hasNonNull("output_dir") ? Path.of(root.get("output_dir").asText()) : null);
      Map<String, RuntimeState> tasks = new LinkedHashMap<>();
      root.path("task_states").fields().forEachRemaining(e -> tasks.put(e.getKey(), RuntimeState.valueOf(e.getValue().asText())));
      return new WatchState(handle, root.path("log_offset").asLong(),
          root.hasNonNull("run_state") ? RuntimeState.valueOf(root.get("run_state").asText()) : null,
          tasks,
          root.hasNonNull("terminal_seen_at") ? Instant.parse(root.get("terminal_seen_at").asText()) : null,
          root.path("cancel_requested").asBoolean(), root.path("finished").asBoolean());
    } catch (java.io.IOException | RuntimeException e) {
      throw new MonitorException(null, "the saved watch state is damaged (" + e.getMessage() + "): " + abbreviate(json),
          false, e);
    }
  }

  private static String text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || !node.isTextual() || node.asText().isEmpty()) {
      throw new IllegalArgumentException("missing " + field);
    }
    return node.asText();
  }

  private static String abbreviate(String s) {
    return s == null ? "null" : s.length() <= 200 ? s : s.substring(0, 197) + "...";
  }
}
