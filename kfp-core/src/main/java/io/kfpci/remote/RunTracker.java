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
 */
public final class RunTracker {
  private RunTracker() {}

  /** The events of one observation and the state to persist once they are handled. */
  public record Advance(List<RunEvent> events, RemoteWatchState state) {
    public Advance {
      events = List.copyOf(events);
    }
  }

  public static boolean isPipelineTask(TaskDetail task) {
    String name = task.displayName() == null ? "" : task.displayName();
    return !name.isEmpty() && !name.equals("executor") && !name.endsWith("-driver");
  }

  public static Advance advance(RemoteWatchState state, Run run) {
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
    List<TaskDetail> tasks = run.tasks().stream().filter(RunTracker::isPipelineTask)
        .sorted(Comparator.comparing((TaskDetail t) -> t.startTime() == null ? Instant.MAX : t.startTime())
            .thenComparing(t -> t.taskId() == null ? "" : t.taskId()))
        .toList();
    for (TaskDetail task : tasks) {
      String id = task.taskId();
      if (id == null) {
        continue;
      }
      String label = labels.get(id);
      if (label == null) {
        int n = labelUse.merge(task.displayName(), 1, Integer::sum);
        label = n == 1 ? task.displayName() : task.displayName() + "[" + n + "]";
        labels.put(id, label);
      }
      RuntimeState last = taskStates.get(id);
      int offset = offsets.getOrDefault(id, 0);
      List<StateChange> th = task.stateHistory();
      for (int i = offset; i < th.size(); i++) {
        RuntimeState s = th.get(i).runtimeState();
        if (s != null && s != last) {
          events.add(new RunEvent.TaskStateChanged(label, last, s, false, ""));
          last = s;
        }
      }
      offsets.put(id, Math.max(offset, th.size()));
      RuntimeState now = task.runtimeState();
      if (now != null && now != last) {
        events.add(new RunEvent.TaskStateChanged(label, last, now, false, ""));
        last = now;
      }
      if (last != null) {
        taskStates.put(id, last);
      }
    }

    boolean finished = state.finished();
    if (reported != null && reported.isTerminal() && reported != runState) {
      events.add(new RunEvent.RunStateChanged(runState, reported, errorOf(run, reported, state.terminateRequested())));
      runState = reported;
    }
    if (runState != null && runState.isTerminal()) {
      finished = true;
    }
    return new Advance(events, new RemoteWatchState(state.endpoint(), state.runId(), runState, runOffset, labels,
        taskStates, offsets, state.terminateRequested(), finished));
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

  private static String base(String label) {
    int b = label.indexOf('[');
    return b < 0 ? label : label.substring(0, b);
  }
}
