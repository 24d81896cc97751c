package io.kfpci.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.client.KfpApi.Run;
import io.kfpci.client.KfpApi.TaskDetail;
import io.kfpci.client.KfpConnection;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The run summary (docs/run-summary.md) of a KFP run, so the report page, {@code kfpci report} and
 * the plugin's run view read remote runs as they read local ones. Location kind {@code kfp}, root =
 * the endpoint URL, {@code ui_url} = the run in the KFP UI. Tasks come from the watch's labels;
 * logs, artifacts and metrics stay empty until they are fetched (the next step).
 */
public final class RemoteSummaries {
  private static final Instant UNSET = Instant.parse("1970-01-01T00:00:00Z");
  private static final Instant ZERO = Instant.parse("0001-01-01T00:00:00Z");

  private RemoteSummaries() {}

  public static RunSummary summary(Run run, RemoteWatchState state, KfpConnection connection, String pipelineName) {
    RuntimeState runState = state.runState() != null ? state.runState()
        : run.runtimeState() != null ? run.runtimeState() : RuntimeState.PENDING;
    Instant created = time(run.createdAt()) != null ? run.createdAt() : Instant.now();
    Instant started = run.stateHistory().stream().filter(h -> h.runtimeState() == RuntimeState.RUNNING)
        .map(h -> time(h.updateTime())).filter(t -> t != null).findFirst().orElse(null);
    Map<String, JsonNode> params = run.runtimeConfig() == null || run.runtimeConfig().parameters() == null
        ? Map.of() : run.runtimeConfig().parameters();
    List<TaskSummary> tasks = new ArrayList<>();
    for (TaskDetail t : run.tasks()) {
      String label = state.taskLabels().get(t.taskId());
      if (label == null) {
        continue;
      }
      RuntimeState s = state.taskStates().getOrDefault(t.taskId(), RuntimeState.PENDING);
      String kind = t.displayName().matches("(condition|for-loop|exit-handler|condition-branches)-\\d+.*") ? "dag" : "container";
      int brace = label.indexOf('[');
      Integer iteration = null;
      if (brace > 0 && label.endsWith("]")) {
        iteration = Integer.parseInt(label.substring(brace + 1, label.length() - 1)) - 1;
      }
      tasks.add(new TaskSummary(label, t.displayName(), "", "", kind, iteration, s, time(t.startTime()),
          s.isTerminal() ? time(t.endTime()) : null, s == RuntimeState.SKIPPED ? 0 : 1, false, "", List.of(), Map.of(),
          List.of(), List.of(), "", List.of(), null,
          t.error() != null && t.error().message() != null ? t.error().message() : null));
    }
    String error = null;
    if (runState == RuntimeState.FAILED) {
      error = run.error() != null && run.error().message() != null && !run.error().message().isBlank()
          ? run.error().message() : "the run failed on KFP; see the KFP UI for the failed step";
    } else if (runState == RuntimeState.CANCELED && state.terminateRequested()) {
      error = "terminated on request";
    }
    return new RunSummary(RunSummary.FORMAT_VERSION, pipelineName, run.runId(), runState, created, started,
        runState.isTerminal() ? time(run.finishedAt()) : null, params,
        new RunSummary.Location("kfp", connection.endpoint().toString(), connection.runUiUrl(run.runId())),
        error, tasks, List.of());
  }

  /** The server writes 1970 or year 1 for "not yet" (FACTS 1.10). */
  private static Instant time(Instant t) {
    return t == null || t.equals(UNSET) || t.equals(ZERO) ? null : t;
  }
}
