package io.kfpci.remote;

import io.kfpci.client.KfpApi.Run;
import io.kfpci.client.KfpApi.StateChange;
import io.kfpci.client.KfpApi.TaskDetail;
import io.kfpci.monitor.RunEvent;
import io.kfpci.report.RuntimeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns a run as the server answers it into the events not reported yet, and the next
 * {@link RemoteWatchState}. Pure: same state and same answer give the same result, so a watch
 * resumed from a saved state repeats nothing and, since it replays each state history from the
 * saved offset, loses nothing either (a task that failed, was retried and succeeded between two
 * polls yields all three changes).
 *
 * <p>Tasks are the rows of {@code run_details.task_details} that stand for pipeline tasks and DAGs:
 * the Argo driver rows ({@code <task>-driver}) and executor pods ({@code executor}) are left out
 * (FACTS 1.10), since their parent DAG row carries the task's name and state.
 *
 * <p>Each task is labelled with its DAG path ({@code condition-1/deploy-model}, a ParallelFor
 * iteration {@code for-loop-2[3]} and its tasks {@code for-loop-2[3]/train}): the task id its log
 * lines, its ML Metadata records and a local run of the same pipeline use ({@link ArgoTaskPaths}).
 * A label, once given, is kept (and persisted), so a state saved by an older watch resumes with
 * the labels it had. Only when the node ids cannot be placed at all does a row fall back to its
 * display name ({@code name[2]} for a second row of that name).
 */
public final class RunTracker {
  private RunTracker() {}

  /** The events of one observation and the state to persist once they are handled. */
  public record Advance(List<RunEvent> events, RemoteWatchState state) {
    public Advance {
      events = List.copyOf(events);
    }
  }

  /**
   * Whether a task row stands for a pipeline task: its display name is a task of the IR when the
   * IR's task names are known; otherwise anything but drivers, executor pods and the root DAG.
   */
  public static boolean isPipelineTask(TaskDetail task, Set<String> taskNames) {
    String name = task.displayName() == null ? "" : task.displayName();
    if (!taskNames.isEmpty()) {
      return taskNames.contains(name);
    }
    return !name.isEmpty() && !name.equals("executor") && !name.endsWith("-driver") && !name.equals("root")
        && !name.equals("iteration-item") && !name.equals("iteration-iterations");
  }

  /**
   * The task names of every DAG of a pipeline spec (or of the {pipeline_spec, platform_spec}
   * wrapper), upstream tasks before the tasks that wait for them: the order that breaks ties
   * between events the server stamped with the same second.
   */
  public static Set<String> taskNames(JsonNode spec) {
    Set<String> names = new java.util.LinkedHashSet<>();
    if (spec == null) {
      return names;
    }
    JsonNode s = spec.has("pipeline_spec") ? spec.get("pipeline_spec") : spec;
    addInOrder(s.path("root").path("dag").path("tasks"), names);
    s.path("components").forEach(c -> addInOrder(c.path("dag").path("tasks"), names));
    return names;
  }

  private static void addInOrder(JsonNode tasks, Set<String> names) {
    Map<String, Set<String>> upstream = new LinkedHashMap<>();
    tasks.fields().forEachRemaining(e -> {
      Set<String> up = new java.util.TreeSet<>();
      e.getValue().path("dependentTasks").forEach(d -> up.add(d.asText()));
      e.getValue().findValues("producerTask").forEach(p -> up.add(p.asText()));
      up.retainAll(java.util.Set.copyOf(iterable(tasks)));
      upstream.put(e.getKey(), up);
    });
    Set<String> done = new java.util.LinkedHashSet<>();
    while (done.size() < upstream.size()) {
      boolean progressed = false;
      for (Map.Entry<String, Set<String>> e : upstream.entrySet()) {
        if (!done.contains(e.getKey()) && done.containsAll(e.getValue())) {
          done.add(e.getKey());
          progressed = true;
        }
      }
      if (!progressed) {
        // A cycle the validator would have refused: keep the rest in file order.
        done.addAll(upstream.keySet());
      }
    }
    names.addAll(done);
  }

  private static List<String> iterable(JsonNode tasks) {
    List<String> out = new ArrayList<>();
    tasks.fieldNames().forEachRemaining(out::add);
    return out;
  }

  public static Advance advance(RemoteWatchState state, Run run) {
    return advance(state, run, Set.of());
  }

  public static Advance advance(RemoteWatchState state, Run run, Set<String> taskNames) {
    List<RunEvent> events = new ArrayList<>();
    RuntimeState runState = state.runState();
    int runOffset = state.runOffset();
    List<StateChange> history = run.stateHistory();
    RuntimeState reported = reportedRunState(run, state.terminateRequested());
    // The run's own history first (PENDING, RUNNING), its final state after the tasks.
    for (int i = runOffset; i < history.size(); i++) {
      RuntimeState s = history.get(i).runtimeState();
      if (s != null && !s.isTerminal() && s != runState) {
        events.add(new RunEvent.RunStateChanged(runState, s, ""));
        runState = s;
      }
    }
    runOffset = Math.max(runOffset, history.size());
    if (reported != null && !reported.isTerminal() && reported != runState) {
      events.add(new RunEvent.RunStateChanged(runState, reported, ""));
      runState = reported;
    }

    Map<String, String> labels = new LinkedHashMap<>(state.taskLabels());
    Map<String, RuntimeState> taskStates = new LinkedHashMap<>(state.taskStates());
    Map<String, Integer> offsets = new LinkedHashMap<>(state.taskOffsets());
    Map<String, Integer> labelUse = new HashMap<>();
    labels.values().forEach(l -> labelUse.merge(base(l), 1, Integer::sum));
    List<TaskDetail> tasks = run.tasks().stream()
        .filter(t -> isPipelineTask(t, taskNames) || ArgoTaskPaths.isIteration(t.displayName()))
        .sorted(Comparator.comparing((TaskDetail t) -> t.startTime() == null ? Instant.MAX : t.startTime())
            .thenComparing(t -> t.taskId() == null ? "" : t.taskId()))
        .toList();
    // Task events sorted by when they happened (stable: rows in start order break ties).
    record Timed(Instant at, int order, RunEvent event) {}
    List<String> rank = new ArrayList<>(taskNames);
    List<Timed> taskEvents = new ArrayList<>();
    List<TaskDetail> unlabeled = tasks.stream().filter(t -> t.taskId() != null && !labels.containsKey(t.taskId())).toList();
    Map<String, String> paths = unlabeled.isEmpty() ? Map.of() : ArgoTaskPaths.paths(run.tasks(), unlabeled);
    boolean placeable = paths != null;
    paths = paths == null ? Map.of() : paths;
    boolean ended = reported != null && reported.isTerminal();
    for (TaskDetail task : tasks) {
      String id = task.taskId();
      if (id == null) {
        continue;
      }
      String label = labels.get(id);
      if (label == null) {
        label = paths.get(id);
        if (label != null && label.isEmpty()) {
          continue; // the workflow's node or an Argo level: no task of the pipeline
        }
        if (label == null && placeable && !ended) {
          // The run's nodes can be placed, this one not yet (its children are not reported yet):
          // it gets its path at a later poll rather than a name that would differ from its logs'.
          continue;
        }
        if (label == null && ArgoTaskPaths.isIteration(task.displayName())) {
          continue; // an Argo level without a place is no task of the pipeline
        }
        if (label == null) {
          // Node ids that do not follow Argo's rule: the display name, name[2] for its second row.
          int n = labelUse.merge(task.displayName(), 1, Integer::sum);
          label = n == 1 ? task.displayName() : task.displayName() + "[" + n + "]";
        }
        labels.put(id, label);
      }
      RuntimeState last = taskStates.get(id);
      int offset = offsets.getOrDefault(id, 0);
      List<StateChange> th = task.stateHistory();
      for (int i = offset; i < th.size(); i++) {
        RuntimeState s = th.get(i).runtimeState();
        if (s != null && s != last) {
          taskEvents.add(new Timed(orMax(th.get(i).updateTime()), rank.indexOf(task.displayName()),
              new RunEvent.TaskStateChanged(label, last, s, false, "")));
          last = s;
        }
      }
      offsets.put(id, Math.max(offset, th.size()));
      RuntimeState now = task.runtimeState();
      if (now != null && now != last) {
        Instant at = now.isTerminal() && task.endTime() != null ? task.endTime() : task.startTime();
        taskEvents.add(new Timed(orMax(at), rank.indexOf(task.displayName()),
            new RunEvent.TaskStateChanged(label, last, now, false, "")));
        last = now;
      }
      if (last != null) {
        taskStates.put(id, last);
      }
    }

    taskEvents.stream().sorted(Comparator.comparing(Timed::at).thenComparingInt(Timed::order)).forEach(t -> events.add(t.event()));
    boolean finished = state.finished();
    if (reported != null && reported.isTerminal() && reported != runState) {
      events.add(new RunEvent.RunStateChanged(runState, reported, errorOf(run, reported, state.terminateRequested())));
      runState = reported;
    }
    if (runState != null && runState.isTerminal()) {
      finished = true;
    }
    return new Advance(events, new RemoteWatchState(state.endpoint(), state.runId(), runState, runOffset, labels,
        taskStates, offsets, state.logCursors(), state.terminateRequested(), finished));
  }

  /**
   * The state to report: what the server says, except that a run this client asked to terminate
   * and that then ended FAILED (all a 2.17 server does) is CANCELED.
   */
  public static RuntimeState reportedRunState(Run run, boolean terminateRequested) {
    RuntimeState s = run.runtimeState();
    if (terminateRequested && s == RuntimeState.FAILED) {
      return RuntimeState.CANCELED;
    }
    return s;
  }

  private static String errorOf(Run run, RuntimeState state, boolean terminateRequested) {
    if (state == RuntimeState.CANCELED && terminateRequested) {
      return "terminated on request";
    }
    if (state == RuntimeState.FAILED) {
      return run.error() != null && run.error().message() != null ? run.error().message() : "";
    }
    return "";
  }

  private static Instant orMax(Instant t) {
    // Unset times come as year 1 or 1970 (FACTS 1.10): such an event sorts after the dated ones.
    return t == null || t.getEpochSecond() <= 0 ? Instant.MAX : t;
  }

  private static String base(String label) {
    int b = label.indexOf('[');
    return b < 0 ? label : label.substring(0, b);
  }
}
