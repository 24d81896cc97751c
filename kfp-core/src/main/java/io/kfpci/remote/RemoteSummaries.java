package io.kfpci.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.artifacts.ExecutionState;
import io.kfpci.artifacts.RunMetadata;
import io.kfpci.artifacts.TaskExecution;
import io.kfpci.client.KfpApi.Run;
import io.kfpci.client.KfpApi.TaskDetail;
import io.kfpci.client.KfpConnection;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.MetricSummary;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The run summary (docs/run-summary.md) of a KFP run, so the report page, {@code kfpci report} and
 * the plugin's run view read remote runs as they read local ones. Location kind {@code kfp}, root =
 * the endpoint URL, {@code ui_url} = the run in the KFP UI. Tasks come from the watch's labels;
 * {@link #withMetadata} adds the metrics and artifacts read from ML Metadata, under the task ids a
 * local run uses, so gates and trends read remote runs as local ones.
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
      // Labels are DAG paths (condition-1/deploy-model, for-loop-2[1] for an iteration), or, from a
      // server whose node ids cannot be placed, display names with name[2] for a second row.
      int slash = label.lastIndexOf('/');
      String parent = slash < 0 ? "" : label.substring(0, slash);
      String name = t.displayName();
      Integer iteration = null;
      String kind = name.matches("for-loop-\\d+") ? "loop"
          : name.matches("(condition|exit-handler|condition-branches)-\\d+.*") ? "dag" : "container";
      java.util.regex.Matcher index = ArgoTaskPaths.ITERATION.matcher(name);
      if (index.matches()) {
        iteration = Integer.valueOf(index.group(1));
        kind = "dag";
        name = label.substring(slash + 1, label.lastIndexOf('['));
        parent = label.substring(0, label.lastIndexOf('['));
      } else if (label.startsWith(name + "[") && label.endsWith("]")) {
        iteration = Integer.parseInt(label.substring(name.length() + 1, label.length() - 1)) - 1;
      }
      tasks.add(new TaskSummary(label, name, parent, "", kind, iteration, s, time(t.startTime()),
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

  /**
   * This summary with the metrics, artifacts, cache flags and attempts of {@code metadata}. Task ids
   * become the ML Metadata ones ({@code for-loop-2[0]/score}, as a local run names them): a watch
   * label is matched exactly, else by task name in order (the watch's {@code score}, {@code score[2]}
   * rows to {@code for-loop-2[0]/score}, {@code for-loop-2[1]/score}) when both sides have as many;
   * a recorded task the watch did not show is added when it has outputs.
   */
  public static RunSummary withMetadata(RunSummary summary, RunMetadata metadata) {
    Map<String, TaskExecution> executions = new LinkedHashMap<>();
    metadata.tasks().forEach(t -> executions.put(t.taskId(), t));
    Map<String, String> idFor = new HashMap<>();
    Set<String> used = new HashSet<>();
    for (TaskSummary t : summary.tasks()) {
      if (executions.containsKey(t.id())) {
        idFor.put(t.id(), t.id());
        used.add(t.id());
      }
    }
    Map<String, List<String>> labelsByName = new TreeMap<>();
    for (TaskSummary t : summary.tasks()) {
      if (!idFor.containsKey(t.id())) {
        labelsByName.computeIfAbsent(t.id().replaceFirst("\\[\\d+]$", ""), k -> new ArrayList<>()).add(t.id());
      }
    }
    Map<String, List<String>> idsByName = new TreeMap<>();
    for (String id : executions.keySet()) {
      if (!used.contains(id)) {
        idsByName.computeIfAbsent(id.substring(id.lastIndexOf('/') + 1).replaceFirst("\\[\\d+]$", ""),
            k -> new ArrayList<>()).add(id);
      }
    }
    labelsByName.forEach((name, labels) -> {
      List<String> ids = idsByName.getOrDefault(name, List.of());
      if (ids.size() == labels.size()) {
        for (int i = 0; i < ids.size(); i++) {
          idFor.put(labels.get(i), ids.get(i));
          used.add(ids.get(i));
        }
      }
    });
    Map<String, List<MetricSummary>> metrics = new HashMap<>();
    metadata.metrics().forEach(m -> metrics.computeIfAbsent(m.taskId(), k -> new ArrayList<>()).add(m));
    Map<String, List<ArtifactSummary>> artifacts = new HashMap<>();
    metadata.artifacts().forEach(a -> artifacts.computeIfAbsent(a.producerTaskId(), k -> new ArrayList<>()).add(a));
    List<TaskSummary> tasks = new ArrayList<>();
    for (TaskSummary t : summary.tasks()) {
      String id = idFor.get(t.id());
      if (id == null) {
        tasks.add(t);
        continue;
      }
      TaskExecution e = executions.get(id);
      tasks.add(new TaskSummary(id, t.name(), t.parentId(), t.componentName(), t.kind(),
          e.iteration() != null ? e.iteration() : t.iteration(), t.state(), t.startedAt(), t.finishedAt(),
          Math.max(t.attempts(), e.executions()), t.cached() || e.cached(), t.image(), t.upstream(), t.outputParameters(),
          artifacts.getOrDefault(id, List.of()), metrics.getOrDefault(id, List.of()), t.log(), t.logTail(), t.exitCode(),
          t.error()));
    }
    for (TaskExecution e : executions.values()) {
      if (!used.contains(e.taskId()) && (metrics.containsKey(e.taskId()) || artifacts.containsKey(e.taskId()))) {
        tasks.add(new TaskSummary(e.taskId(), e.taskId().substring(e.taskId().lastIndexOf('/') + 1), "", "",
            "container", e.iteration(), state(e.state()), null, null, e.executions(), e.cached(), "", List.of(), Map.of(),
            artifacts.get(e.taskId()), metrics.get(e.taskId()), "", List.of(), null, null));
      }
    }
    return new RunSummary(summary.formatVersion(), summary.pipelineName(), summary.runId(), summary.state(),
        summary.createdAt(), summary.startedAt(), summary.finishedAt(), summary.parameters(), summary.location(),
        summary.error(), tasks, summary.gates(), summary.outputs());
  }

  private static RuntimeState state(ExecutionState s) {
    return switch (s) {
      case COMPLETE, CACHED -> RuntimeState.SUCCEEDED;
      case FAILED -> RuntimeState.FAILED;
      case CANCELED -> RuntimeState.SKIPPED; // the driver marks a task that was not triggered CANCELED (FACTS 5.3)
      case RUNNING -> RuntimeState.RUNNING;
      case NEW, UNKNOWN -> RuntimeState.PENDING;
    };
  }

  /** The server writes 1970 or year 1 for "not yet" (FACTS 1.10). */
  private static Instant time(Instant t) {
    return t == null || t.equals(UNSET) || t.equals(ZERO) ? null : t;
  }
}
