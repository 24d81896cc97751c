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

  /** A row with Argo's child node ids, as a 2.17 server lists them. */
  static String node(String id, String name, String state, String start, List<String> children, String... history) {
    String row = task(id, name, state, start, history);
    StringBuilder c = new StringBuilder();
    children.forEach(n -> c.append(c.length() == 0 ? "" : ",").append("{'pod_name':'").append(n).append("'}"));
    return row.substring(0, row.length() - 1) + ",'child_tasks':[" + c + "]}";
  }

  /** Argo's node id of the node named {@code wf.path} (Workflow.NodeID). */
  static String nodeId(String wf, String path) {
    return wf + "-" + Integer.toUnsignedString(ArgoTaskPaths.fnv1a(wf + "." + path));
  }

  @Test
  void nestedTasksOfARecordedRealServerRunAreLabelledWithTheirDagPath() throws Exception {
    java.nio.file.Path file = io.kfpci.testing.RepoPaths.repoRoot()
        .resolve("../shared/kfp/real-server-2.17.0/exchanges/runs-15-get-run-A-SUCCEEDED.json").normalize();
    io.kfpci.testing.RealParts.require(java.nio.file.Files.isRegularFile(file),
        "../shared/kfp/real-server-2.17.0 is not beside the repository root");
    KfpApi.Run recorded = ApiJson.MAPPER.treeToValue(
        ApiJson.MAPPER.readTree(file.toFile()).path("response").path("json_body"), KfpApi.Run.class);
    java.util.Set<String> names = new java.util.LinkedHashSet<>(
        List.of("preprocess", "train", "evaluate", "condition-1", "deploy-model"));
    RunTracker.Advance a = RunTracker.advance(RemoteWatchState.initial("kfp", recorded.runId()), recorded, names);
    assertThat(a.state().taskLabels().values()).containsExactlyInAnyOrder(
        "preprocess", "train", "evaluate", "condition-1", "condition-1/deploy-model");
    assertThat(a.events()).filteredOn(e -> e instanceof TaskStateChanged)
        .extracting(e -> ((TaskStateChanged) e).taskId() + " " + ((TaskStateChanged) e).to())
        .contains("preprocess RUNNING", "condition-1/deploy-model SUCCEEDED", "condition-1 SUCCEEDED")
        .noneMatch(line -> line.startsWith("deploy-model"));
  }

  @Test
  void loopIterationsAndTheirTasksGetTheIdsOfTheLocalRunnerAndMlMetadata() {
    String wf = "p-abcde";
    String loop = "root.for-loop-2";
    String it0 = loop + ".iteration-iterations(0:0)";
    String it1 = loop + ".iteration-iterations(1:1)";
    String t = "2026-11-28T23:43:30Z";
    // Both iterations' train rows carry the same display name; their children say which is which.
    KfpApi.Run run = run(runJson("RUNNING", h("RUNNING"),
        node("w", wf, "RUNNING", t, List.of(nodeId(wf, "root-driver"))),
        node("rd", "root-driver", "SUCCEEDED", t, List.of(nodeId(wf, "root")), "SUCCEEDED"),
        node("r", "root", "RUNNING", t, List.of(nodeId(wf, "root.prepare-driver")), "RUNNING"),
        node("pd", "prepare-driver", "SUCCEEDED", t, List.of(nodeId(wf, "root.prepare")), "SUCCEEDED"),
        node("p", "prepare", "SUCCEEDED", t, List.of(nodeId(wf, "root.prepare.executor")), "RUNNING", "SUCCEEDED"),
        node("pe", "executor", "SUCCEEDED", t, List.of(nodeId(wf, loop)), "SUCCEEDED"),
        node("l", "for-loop-2", "RUNNING", t, List.of(nodeId(wf, loop + ".iteration-driver")), "RUNNING"),
        node("ld", "iteration-driver", "SUCCEEDED", t, List.of(nodeId(wf, loop + ".iteration-iterations")), "SUCCEEDED"),
        node("g", "iteration-iterations", "RUNNING", t, List.of(nodeId(wf, it0), nodeId(wf, it1)), "RUNNING"),
        node("i1", "iteration-iterations(1:1)", "RUNNING", "2026-11-28T23:43:31Z",
            List.of(nodeId(wf, it1 + ".iteration-item-driver")), "RUNNING"),
        node("i0", "iteration-iterations(0:0)", "RUNNING", t, List.of(nodeId(wf, it0 + ".iteration-item-driver")), "RUNNING"),
        node("d0", "iteration-item-driver", "SUCCEEDED", t, List.of(nodeId(wf, it0 + ".iteration-item")), "SUCCEEDED"),
        node("d1", "iteration-item-driver", "SUCCEEDED", t, List.of(nodeId(wf, it1 + ".iteration-item")), "SUCCEEDED"),
        node("m0", "iteration-item", "RUNNING", t, List.of(nodeId(wf, it0 + ".iteration-item.train-driver")), "RUNNING"),
        node("m1", "iteration-item", "RUNNING", t, List.of(nodeId(wf, it1 + ".iteration-item.train-driver")), "RUNNING"),
        node("td0", "train-driver", "SUCCEEDED", t, List.of(nodeId(wf, it0 + ".iteration-item.train")), "SUCCEEDED"),
        node("td1", "train-driver", "SUCCEEDED", t, List.of(nodeId(wf, it1 + ".iteration-item.train")), "SUCCEEDED"),
        node("t1", "train", "FAILED", "2026-11-28T23:43:31Z",
            List.of(nodeId(wf, it1 + ".iteration-item.train.executor")), "RUNNING", "FAILED"),
        node("t0", "train", "RUNNING", t, List.of(nodeId(wf, it0 + ".iteration-item.train.executor")), "RUNNING")));
    java.util.Set<String> names = new java.util.LinkedHashSet<>(List.of("prepare", "for-loop-2", "train"));
    RunTracker.Advance a = RunTracker.advance(RemoteWatchState.initial("kfp", "r1"), run, names);
    assertThat(a.state().taskLabels()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
        "p", "prepare", "l", "for-loop-2", "i0", "for-loop-2[0]", "i1", "for-loop-2[1]",
        "t0", "for-loop-2[0]/train", "t1", "for-loop-2[1]/train"));
    // Without the pipeline's task names (a run whose spec is not known), Argo's own levels and the
    // workflow's node are still no tasks.
    assertThat(RunTracker.advance(RemoteWatchState.initial("kfp", "r1"), run).state().taskLabels())
        .isEqualTo(a.state().taskLabels());
    assertThat(a.events()).contains(new TaskStateChanged("for-loop-2[1]/train", R, F, false, ""))
        .doesNotContain(new TaskStateChanged("for-loop-2[0]/train", R, F, false, ""));
  }

  @Test
  void aNestedTaskWhoseNodeCannotBePlacedYetWaitsForItsPathAndASavedStateKeepsItsLabels() throws Exception {
    String wf = "p-abcde";
    String t = "2026-11-28T23:43:30Z";
    String it0 = "root.for-loop-2.iteration-iterations(0:0).iteration-item";
    String it1 = "root.for-loop-2.iteration-iterations(1:1).iteration-item";
    List<String> common = List.of(
        node("w", wf, "RUNNING", t, List.of(nodeId(wf, "root-driver"))),
        node("rd", "root-driver", "SUCCEEDED", t, List.of(nodeId(wf, "root"))),
        node("r", "root", "RUNNING", t, List.of(nodeId(wf, "root.for-loop-2"))),
        node("l", "for-loop-2", "RUNNING", t, List.of(nodeId(wf, "root.for-loop-2.iteration-iterations"))),
        node("g", "iteration-iterations", "RUNNING", t, List.of(nodeId(wf, "root.for-loop-2.iteration-iterations(0:0)"),
            nodeId(wf, "root.for-loop-2.iteration-iterations(1:1)"))),
        node("i0", "iteration-iterations(0:0)", "RUNNING", t, List.of(nodeId(wf, it0))),
        node("i1", "iteration-iterations(1:1)", "RUNNING", t, List.of(nodeId(wf, it1))),
        node("m0", "iteration-item", "RUNNING", t, List.of(nodeId(wf, it0 + ".train"))),
        node("m1", "iteration-item", "RUNNING", t, List.of(nodeId(wf, it1 + ".train"))));
    java.util.Set<String> names = java.util.Set.of("for-loop-2", "train");
    List<String> first = new java.util.ArrayList<>(common);
    // Both train nodes started, but neither lists its executor yet: which iteration is which is unknown.
    first.add(node("t0", "train", "RUNNING", t, List.of(), "RUNNING"));
    first.add(node("t1", "train", "RUNNING", t, List.of(), "RUNNING"));
    RunTracker.Advance a1 = RunTracker.advance(RemoteWatchState.initial("kfp", "r1"),
        run(runJson("RUNNING", h("RUNNING"), first.toArray(String[]::new))), names);
    assertThat(a1.state().taskLabels()).doesNotContainKeys("t0", "t1").containsEntry("i1", "for-loop-2[1]");
    List<String> second = new java.util.ArrayList<>(common);
    second.add(node("t0", "train", "RUNNING", t, List.of(nodeId(wf, it0 + ".train.executor")), "RUNNING"));
    second.add(node("t1", "train", "RUNNING", t, List.of(nodeId(wf, it1 + ".train.executor")), "RUNNING"));
    RemoteWatchState saved = RemoteWatchState.fromJson(a1.state().toJson());
    RunTracker.Advance a2 = RunTracker.advance(saved, run(runJson("RUNNING", h("RUNNING"), second.toArray(String[]::new))), names);
    assertThat(a2.events()).containsExactly(new TaskStateChanged("for-loop-2[0]/train", null, R, false, ""),
        new TaskStateChanged("for-loop-2[1]/train", null, R, false, ""));

    // A state saved by an older watch labelled a nested row by its display name: it keeps that label.
    java.util.Map<String, String> old = new java.util.LinkedHashMap<>(a2.state().taskLabels());
    old.put("t0", "train");
    RemoteWatchState older = new RemoteWatchState("kfp", "r1", R, 1, old, a2.state().taskStates(),
        a2.state().taskOffsets(), java.util.Map.of(), false, false);
    List<String> third = new java.util.ArrayList<>(common);
    third.add(node("t0", "train", "SUCCEEDED", t, List.of(nodeId(wf, it0 + ".train.executor")), "RUNNING", "SUCCEEDED"));
    assertThat(RunTracker.advance(RemoteWatchState.fromJson(older.toJson()),
        run(runJson("RUNNING", h("RUNNING"), third.toArray(String[]::new))), names).events())
        .containsExactly(new TaskStateChanged("train", R, S, false, ""));
  }
}
