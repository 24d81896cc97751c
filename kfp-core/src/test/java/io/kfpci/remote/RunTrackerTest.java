package io.kfpci.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kfpci.client.KfpApi;
import io.kfpci.client.internal.ApiJson;
import io.kfpci.monitor.RunEvent;
import io.kfpci.monitor.RunEvent.RunStateChanged;
import io.kfpci.monitor.RunEvent.TaskStateChanged;
import io.kfpci.report.RuntimeState;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunTrackerTest {
  private static final RuntimeState P = RuntimeState.PENDING;
  private static final RuntimeState R = RuntimeState.RUNNING;
  private static final RuntimeState S = RuntimeState.SUCCEEDED;
  private static final RuntimeState F = RuntimeState.FAILED;

  static KfpApi.Run run(String json) {
    try {
      return ApiJson.MAPPER.readValue(json.replace('\'', '"'), KfpApi.Run.class);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  static String task(String id, String name, String state, String start, String... history) {
    StringBuilder h = new StringBuilder();
    for (String s : history) {
      h.append(h.length() == 0 ? "" : ",").append("{'update_time':'2026-11-28T23:43:30Z','state':'").append(s).append("'}");
    }
    return "{'task_id':'" + id + "','display_name':'" + name + "','start_time':'" + start + "'"
        + (state == null ? "" : ",'state':'" + state + "'") + ",'state_history':[" + h + "]}";
  }

  static String runJson(String state, String history, String... tasks) {
    return "{'run_id':'r1'" + (state == null ? "" : ",'state':'" + state + "'") + ",'state_history':[" + history + "]"
        + ",'run_details':{'task_details':[" + String.join(",", tasks) + "]}}";
  }

  static String h(String state) {
    return "{'update_time':'2026-11-28T23:43:30Z','state':'" + state + "'}";
  }

  @Test
  void driversAndExecutorsAreLeftOutAndEveryChangeIsReportedOnce() {
    RemoteWatchState s0 = RemoteWatchState.initial("kfp", "r1");
    KfpApi.Run pending = run("{'run_id':'r1','state':'PENDING'}");
    RunTracker.Advance a1 = RunTracker.advance(s0, pending);
    assertThat(a1.events()).containsExactly(new RunStateChanged(null, P, ""));

    KfpApi.Run running = run(runJson("RUNNING", h("PENDING") + "," + h("RUNNING"),
        task("t1", "preprocess", "RUNNING", "2026-11-28T23:43:30Z", "RUNNING"),
        task("t2", "preprocess-driver", "SUCCEEDED", "2026-11-28T23:43:29Z", "SUCCEEDED"),
        task("t3", "executor", "RUNNING", "2026-11-28T23:43:30Z")));
    RunTracker.Advance a2 = RunTracker.advance(a1.state(), running);
    assertThat(a2.events()).containsExactly(new RunStateChanged(P, R, ""), new TaskStateChanged("preprocess", null, R, false, ""));
    // The same answer again: nothing new.
    assertThat(RunTracker.advance(a2.state(), running).events()).isEmpty();

    KfpApi.Run done = run(runJson("SUCCEEDED", h("PENDING") + "," + h("RUNNING") + "," + h("SUCCEEDED"),
        task("t1", "preprocess", "SUCCEEDED", "2026-11-28T23:43:30Z", "RUNNING", "SUCCEEDED")));
    RunTracker.Advance a3 = RunTracker.advance(a2.state(), done);
    assertThat(a3.events()).containsExactly(new TaskStateChanged("preprocess", R, S, false, ""), new RunStateChanged(R, S, ""));
    assertThat(a3.state().finished()).isTrue();
  }

  @Test
  void aRetryBetweenTwoPollsIsNotLostAndLoopIterationsGetTheirOwnLabels() {
    RemoteWatchState s0 = RemoteWatchState.initial("kfp", "r1");
    KfpApi.Run run = run(runJson("RUNNING", h("RUNNING"),
        task("b", "train", "SUCCEEDED", "2026-11-28T23:43:32Z", "RUNNING", "FAILED", "RUNNING", "SUCCEEDED"),
        task("a", "train", "RUNNING", "2026-11-28T23:43:31Z", "RUNNING")));
    RunTracker.Advance a = RunTracker.advance(s0, run);
    assertThat(a.events()).containsExactly(new RunStateChanged(null, R, ""),
        new TaskStateChanged("train", null, R, false, ""),
        new TaskStateChanged("train[2]", null, R, false, ""), new TaskStateChanged("train[2]", R, F, false, ""),
        new TaskStateChanged("train[2]", F, R, false, ""), new TaskStateChanged("train[2]", R, S, false, ""));
    assertThat(a.state().taskLabels()).containsEntry("a", "train").containsEntry("b", "train[2]");
  }

  @Test
  void aWatchResumedFromItsSavedJsonRepeatsNothing() throws Exception {
    KfpApi.Run run1 = run(runJson("RUNNING", h("RUNNING"), task("a", "train", "RUNNING", "2026-11-28T23:43:31Z", "RUNNING")));
    RunTracker.Advance a1 = RunTracker.advance(RemoteWatchState.initial("kfp", "r1"), run1);
    RemoteWatchState saved = RemoteWatchState.fromJson(a1.state().toJson());
    assertThat(saved).isEqualTo(a1.state());
    KfpApi.Run run2 = run(runJson("FAILED", h("RUNNING") + "," + h("FAILED"),
        task("a", "train", "FAILED", "2026-11-28T23:43:31Z", "RUNNING", "FAILED")));
    List<RunEvent> events = RunTracker.advance(saved, run2).events();
    assertThat(events).containsExactly(new TaskStateChanged("train", R, F, false, ""), new RunStateChanged(R, F, ""));
  }

  @Test
  void aRunTerminatedOnRequestEndsCanceledThoughTheServerSaysFailed() {
    RemoteWatchState s = RemoteWatchState.initial("kfp", "r1");
    s = RunTracker.advance(s, run(runJson("RUNNING", h("RUNNING")))).state().withTerminateRequested();
    RunTracker.Advance canceling = RunTracker.advance(s, run(runJson("CANCELING", h("RUNNING"))));
    assertThat(canceling.events()).containsExactly(new RunStateChanged(R, RuntimeState.CANCELING, ""));
    RunTracker.Advance end = RunTracker.advance(canceling.state(), run(runJson("FAILED", h("RUNNING") + "," + h("FAILED"))));
    assertThat(end.events()).containsExactly(new RunStateChanged(RuntimeState.CANCELING, RuntimeState.CANCELED, "terminated on request"));
    assertThat(end.state().finished()).isTrue();
  }

  @Test
  void eventsOfTheSameSecondAreOrderedUpstreamFirst() throws Exception {
    com.fasterxml.jackson.databind.JsonNode spec = ApiJson.MAPPER.readTree(("{'pipelineInfo':{'name':'p'},'root':{'dag':{'tasks':"
        + "{'train':{'dependentTasks':['preprocess']},'preprocess':{},'evaluate':{'inputs':{'parameters':{'m':"
        + "{'taskOutputParameter':{'producerTask':'train'}}}}}}}}}").replace('\'', '"'));
    java.util.Set<String> names = RunTracker.taskNames(spec);
    assertThat(names).containsExactly("preprocess", "train", "evaluate");
    KfpApi.Run run = run(runJson("RUNNING", h("RUNNING"),
        task("z", "evaluate", "RUNNING", "2026-11-28T23:43:30Z", "RUNNING"),
        task("y", "train", "SUCCEEDED", "2026-11-28T23:43:30Z", "RUNNING", "SUCCEEDED"),
        task("x", "preprocess", "SUCCEEDED", "2026-11-28T23:43:30Z", "RUNNING", "SUCCEEDED"),
        task("w", "root", "RUNNING", "2026-11-28T23:43:30Z", "RUNNING")));
    assertThat(RunTracker.advance(RemoteWatchState.initial("kfp", "r1"), run, names).events()).containsExactly(
        new RunStateChanged(null, R, ""),
        new TaskStateChanged("preprocess", null, R, false, ""), new TaskStateChanged("preprocess", R, S, false, ""),
        new TaskStateChanged("train", null, R, false, ""), new TaskStateChanged("train", R, S, false, ""),
        new TaskStateChanged("evaluate", null, R, false, ""));
  }

  @Test
  void aDamagedStateIsAnErrorNotAFreshStart() {
    assertThatThrownBy(() -> RemoteWatchState.fromJson("{\"format\":1,\"kind\":\"kfp\"}"))
        .isInstanceOf(RemoteWatchException.class).hasMessageContaining("missing endpoint or run_id");
    assertThatThrownBy(() -> RemoteWatchState.fromJson("not json")).isInstanceOf(RemoteWatchException.class);
  }
}
