package io.jenkins.plugins.kfp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kfp.PluginClassesAccess;
import io.kfpci.KfpException;
import io.kfpci.client.KfpConnection;
import io.kfpci.emulator.EmulatorState;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.ScriptedRunExecutor;
import io.kfpci.remote.RemoteWatchState;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote {@code kfpRun}'s controller side without Jenkins, against the KFP API emulator (which
 * demands the credential's bearer token): what the durable execution calls from its pool threads,
 * with the watch state passed along as the persisted JSON it is. Submit, watch to SUCCEEDED and
 * FAILED, terminate on abort, resume from saved state and from a lost create without a second run.
 */
class RemoteRunsTest {
  private static final String TOKEN = "kfp-remote-run-token-77c1e0";
  private static final List<String> TASKS = List.of("preprocess", "train");

  @TempDir Path buildDir;

  private static RemoteRuns.Request request(Map<String, String> params, String runName) throws Exception {
    byte[] ir = Files.readAllBytes(PluginClassesAccess.repoRoot()
        .resolve("kfp-cli/src/test/resources/cli/RemoteCommandsTest/two-step.yaml"));
    return new RemoteRuns.Request("two-step.yaml", ir, params, "nightly", runName, "", "", "abc1234",
        "Jenkins team/train#7");
  }

  private static KfpConnection connect(KfpEmulator kfp, List<String> warnings) throws KfpException {
    return RemoteUpload.connection("prod", kfp.baseUrl().toString(), "", "kfp-token", () -> TOKEN, warnings::add);
  }

  /** Checks until the run ends, as the timer does, handing each check the state the last one returned. */
  private static List<String> watchToEnd(KfpConnection connection, ScriptedRunExecutor executor, String runId,
      String[] state) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      RemoteRuns.Checked checked = RemoteRuns.check(connection, state[0], TASKS);
      lines.addAll(checked.lines());
      state[0] = checked.watchState();
      if (checked.finished()) {
        return lines;
      }
      executor.advance(runId);
    }
    throw new AssertionError("run " + runId + " did not end: " + lines);
  }

  @Test
  void submitsWatchesToSucceededAndRecordsTheRunInTheBuild() throws Exception {
    ScriptedRunExecutor executor = ScriptedRunExecutor.manual();
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().requireBearerToken(TOKEN).runExecutor(executor))) {
      List<String> warnings = new ArrayList<>();
      KfpConnection connection = connect(kfp, warnings);
      String mark = RemoteRuns.newMark();
      RemoteRuns.Submitted submitted = RemoteRuns.submit(connection, request(Map.of("rows", "25"), ""), mark);

      assertThat(submitted.found()).isFalse();
      assertThat(submitted.pipelineName()).isEqualTo("two-step");
      String base = kfp.baseUrl().toString().replaceAll("/+$", "");
      assertThat(submitted.uiUrl()).isEqualTo(base + "/#/runs/details/" + submitted.runId());
      EmulatorState.Run onServer = kfp.state().runs().get(0);
      assertThat(kfp.state().runs()).hasSize(1);
      assertThat(onServer.id()).isEqualTo(submitted.runId());
      assertThat(onServer.displayName()).isEqualTo("two-step Jenkins team/train#7");
      assertThat(onServer.description()).startsWith("Jenkins team/train#7\n" + RemoteRuns.MARK + mark + "\n");
      assertThat(onServer.experimentId()).isEqualTo(submitted.experimentId());
      assertThat(onServer.runtimeConfig().path("parameters").path("rows").asInt()).isEqualTo(25);
      assertThat(kfp.state().versions()).hasSize(1);
      RemoteWatchState initial = RemoteWatchState.fromJson(submitted.watchState());
      assertThat(initial.runId()).isEqualTo(submitted.runId());
      assertThat(initial.endpoint()).isEqualTo("prod");
      assertThat(initial.finished()).isFalse();

      String[] state = {submitted.watchState()};
      List<String> lines = watchToEnd(connection, executor, submitted.runId(), state);
      assertThat(submitted.taskNames()).isEqualTo(TASKS);
      assertThat(lines).containsExactly("[kfp] run: PENDING", "[kfp] run: RUNNING", "[kfp] preprocess: RUNNING",
          "[kfp] preprocess: SUCCEEDED", "[kfp] train: RUNNING", "[kfp] train: SUCCEEDED", "[kfp] run: SUCCEEDED");
      assertThat(RemoteWatchState.fromJson(state[0]).runState()).isEqualTo(RuntimeState.SUCCEEDED);

      // A check from the final state (a resume after the last save) reports nothing again.
      RemoteRuns.Checked again = RemoteRuns.check(connection, state[0], TASKS);
      assertThat(again.lines()).isEmpty();
      assertThat(again.finished()).isTrue();
      assertThat(again.runState()).isEqualTo("SUCCEEDED");

      RemoteRuns.Recorded recorded = RemoteRuns.record(connection, state[0], "two-step", buildDir, List.of());
      Path dir = buildDir.resolve("kfp").resolve(submitted.runId());
      assertThat(recorded.directory()).isEqualTo(dir);
      assertThat(RunSummaryJson.read(dir.resolve("summary.json")).state()).isEqualTo(RuntimeState.SUCCEEDED);
      assertThat(Files.readString(dir.resolve("report.html"))).contains("two-step");
      assertThat(recorded.result()).containsOnlyKeys("state", "runId", "pipelineName", "runDir", "metrics",
          "artifacts", "report", "uiUrl");
      assertThat(recorded.result()).containsEntry("state", "SUCCEEDED").containsEntry("runId", submitted.runId())
          .containsEntry("pipelineName", "two-step").containsEntry("runDir", dir.toString())
          .containsEntry("report", dir.resolve("report.html").toString()).containsEntry("uiUrl", submitted.uiUrl());
      assertThat(recorded.summary().location().uiUrl()).isEqualTo(submitted.uiUrl());
      assertThat(warnings).isEmpty();
      assertThat(kfp.state().runs()).hasSize(1);
      assertThat(kfp.state().requests()).allSatisfy(r -> assertThat(r.hadBearerToken()).isTrue());
    }
  }

  @Test
  void aFailedTaskEndsTheRunFailedWithTheServersError() throws Exception {
    ScriptedRunExecutor executor = ScriptedRunExecutor.manual().failing(run -> Optional.of("train"));
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().requireBearerToken(TOKEN).runExecutor(executor))) {
      KfpConnection connection = connect(kfp, new ArrayList<>());
      RemoteRuns.Submitted submitted = RemoteRuns.submit(connection, request(Map.of(), "doomed"), RemoteRuns.newMark());
      assertThat(kfp.state().runs().get(0).displayName()).isEqualTo("doomed");
      String[] state = {submitted.watchState()};
      List<String> lines = watchToEnd(connection, executor, submitted.runId(), state);
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("[kfp] train: FAILED"));
      assertThat(lines.get(lines.size() - 1)).startsWith("[kfp] run: FAILED");
      RemoteRuns.Recorded recorded = RemoteRuns.record(connection, state[0], "two-step", buildDir, List.of());
      assertThat(recorded.result()).containsEntry("state", "FAILED");
      assertThat(recorded.summary().error()).isNotBlank();
    }
  }

  @Test
  void terminateOnAbortEndsTheRunCanceledOnTheServer() throws Exception {
    ScriptedRunExecutor executor = ScriptedRunExecutor.manual();
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().requireBearerToken(TOKEN).runExecutor(executor))) {
      KfpConnection connection = connect(kfp, new ArrayList<>());
      RemoteRuns.Submitted submitted = RemoteRuns.submit(connection, request(Map.of(), ""), RemoteRuns.newMark());
      executor.advance(submitted.runId());
      String[] state = {RemoteRuns.check(connection, submitted.watchState(), TASKS).watchState()};

      state[0] = RemoteRuns.terminate(connection, state[0]);
      assertThat(RemoteWatchState.fromJson(state[0]).terminateRequested()).isTrue();
      assertThat(kfp.state().runs().get(0).terminateRequested()).isTrue();

      List<String> lines = watchToEnd(connection, executor, submitted.runId(), state);
      assertThat(lines.get(lines.size() - 1)).isEqualTo("[kfp] run: CANCELED: terminated on request");
      assertThat(RemoteWatchState.fromJson(state[0]).runState()).isEqualTo(RuntimeState.CANCELED);
      assertThat(RemoteRuns.record(connection, state[0], "two-step", buildDir, List.of()).result())
          .containsEntry("state", "CANCELED");
    }
  }

  @Test
  void aResumedSubmissionFindsTheRunByItsMarkInsteadOfCreatingASecond() throws Exception {
    ScriptedRunExecutor executor = ScriptedRunExecutor.manual();
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().requireBearerToken(TOKEN).runExecutor(executor))) {
      KfpConnection connection = connect(kfp, new ArrayList<>());
      String mark = RemoteRuns.newMark();
      RemoteRuns.Submitted first = RemoteRuns.submit(connection, request(Map.of(), ""), mark);
      // The controller restarted before it saved the answer: the same mark is sent again.
      RemoteRuns.Submitted again = RemoteRuns.submit(connection, request(Map.of(), ""), mark);
      assertThat(again.found()).isTrue();
      assertThat(again.runId()).isEqualTo(first.runId());
      assertThat(again.watchState()).isEqualTo(first.watchState());
      assertThat(kfp.state().runs()).hasSize(1);

      // Another build's mark is another run.
      RemoteRuns.Submitted other = RemoteRuns.submit(connection, request(Map.of(), ""), RemoteRuns.newMark());
      assertThat(other.found()).isFalse();
      assertThat(other.runId()).isNotEqualTo(first.runId());
      assertThat(kfp.state().runs()).hasSize(2);
    }
  }

  @Test
  void aResumedWatchContinuesFromTheSavedStateWithoutRepeatingALine() throws Exception {
    ScriptedRunExecutor executor = ScriptedRunExecutor.manual();
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().requireBearerToken(TOKEN).runExecutor(executor))) {
      KfpConnection connection = connect(kfp, new ArrayList<>());
      RemoteRuns.Submitted submitted = RemoteRuns.submit(connection, request(Map.of(), ""), RemoteRuns.newMark());
      String[] uninterrupted = {submitted.watchState()};
      // One watch that saves its state after two checks and "restarts" from the saved JSON...
      executor.advance(submitted.runId());
      executor.advance(submitted.runId());
      RemoteRuns.Checked beforeRestart = RemoteRuns.check(connection, submitted.watchState(), TASKS);
      String saved = beforeRestart.watchState();
      executor.advanceToEnd(submitted.runId());
      RemoteRuns.Checked afterRestart = RemoteRuns.check(connection, saved, TASKS);
      // ...prints each line one uninterrupted check of the finished run prints, once: the order
      // differs only where one check saw two changes the server stamped apart.
      RemoteRuns.Checked whole = RemoteRuns.check(connection, uninterrupted[0], TASKS);
      List<String> resumed = new ArrayList<>(beforeRestart.lines());
      resumed.addAll(afterRestart.lines());
      assertThat(beforeRestart.lines()).isNotEmpty();
      assertThat(afterRestart.lines()).isNotEmpty().doesNotContainAnyElementsOf(beforeRestart.lines());
      assertThat(resumed).containsExactlyInAnyOrderElementsOf(whole.lines()).doesNotHaveDuplicates();
      assertThat(afterRestart.finished()).isTrue();
      assertThat(kfp.state().runs()).hasSize(1);
    }
  }

  private static List<Boolean> enableCache(com.fasterxml.jackson.databind.JsonNode spec) {
    List<Boolean> out = new ArrayList<>();
    spec.path("root").path("dag").path("tasks").forEach(t -> out.add(t.path("cachingOptions").path("enableCache")
        .asBoolean(false)));
    return out;
  }

  @Test
  void enableCachingFalseSendsEveryTaskWithItsCacheOffAsAVersionOfItsOwn() throws Exception {
    // The fixture as the SDK compiles by default: every task caches.
    String yaml = new String(Files.readAllBytes(PluginClassesAccess.repoRoot()
        .resolve("kfp-cli/src/test/resources/cli/RemoteCommandsTest/two-step.yaml")), StandardCharsets.UTF_8)
        .replace("        taskInfo: {name: preprocess}\n", "        taskInfo: {name: preprocess}\n        cachingOptions: {enableCache: true}\n")
        .replace("        taskInfo: {name: train}\n", "        taskInfo: {name: train}\n        cachingOptions: {enableCache: true}\n");
    byte[] ir = yaml.getBytes(StandardCharsets.UTF_8);
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().requireBearerToken(TOKEN))) {
      KfpConnection connection = connect(kfp, new ArrayList<>());

      RemoteRuns.submit(connection, new RemoteRuns.Request("two-step.yaml", ir, Map.of(), "nightly", "", "", "",
          "abc1234", "Jenkins team/train#7", true), RemoteRuns.newMark());
      RemoteRuns.Submitted off = RemoteRuns.submit(connection, new RemoteRuns.Request("two-step.yaml", ir, Map.of(),
          "nightly", "", "", "", "abc1234", "Jenkins team/train#8", false), RemoteRuns.newMark());

      assertThat(kfp.state().versions()).hasSize(2);
      assertThat(enableCache(kfp.state().versions().get(0).pipelineSpec())).containsExactly(true, true);
      assertThat(enableCache(kfp.state().versions().get(1).pipelineSpec())).containsExactly(false, false);
      assertThat(kfp.state().runs()).hasSize(2);
      assertThat(kfp.state().runs().get(1).id()).isEqualTo(off.runId());
      assertThat(kfp.state().runs().get(1).pipelineVersionId()).isEqualTo(kfp.state().versions().get(1).id());
    }
  }

  @Test
  void aParameterThePipelineDoesNotTakeIsRefusedBeforeAnyCall() throws Exception {
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().requireBearerToken(TOKEN))) {
      KfpConnection connection = connect(kfp, new ArrayList<>());
      assertThatThrownBy(() -> RemoteRuns.submit(connection, request(Map.of("epochs", "3"), ""), RemoteRuns.newMark()))
          .isInstanceOf(KfpException.class).hasMessageContaining("epochs");
      assertThat(kfp.state().requests()).isEmpty();
      assertThat(kfp.state().runs()).isEmpty();
    }
  }

  @Test
  void aWrongTokenIsRefusedWithoutAppearingAnywhere() throws Exception {
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().requireBearerToken(TOKEN))) {
      KfpConnection connection = RemoteUpload.connection("prod", kfp.baseUrl().toString(), "", "kfp-token",
          () -> "stale-token-0000", w -> {});
      assertThatThrownBy(() -> RemoteRuns.submit(connection, request(Map.of(), ""), RemoteRuns.newMark()))
          .isInstanceOf(KfpException.class)
          .satisfies(e -> assertThat(RemoteUpload.explain((KfpException) e, "prod", "kfp-token"))
              .contains("The token is the Secret text credential 'kfp-token' of endpoint prod")
              .doesNotContain("stale-token-0000").doesNotContain(TOKEN));
      assertThat(kfp.state().runs()).isEmpty();
    }
  }
}
