package io.kfpci.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kfpci.report.RuntimeState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchStateTest {
  @Test
  void roundTripsThroughItsJsonForm() throws Exception {
    Map<String, RuntimeState> tasks = new LinkedHashMap<>();
    tasks.put("prepare", RuntimeState.SUCCEEDED);
    tasks.put("for-loop-2[0]/train", RuntimeState.RUNNING);
    WatchState state = new WatchState(new RunHandle(Path.of("/runs/p/r1"), 4242, Instant.parse("2026-01-02T03:04:05.120Z")),
        1234, RuntimeState.RUNNING, tasks, Instant.parse("2026-01-02T03:05:00Z"), true, false);

    String json = state.toJson();
    WatchState back = WatchState.fromJson(json);

    assertThat(back).isEqualTo(state);
    assertThat(back.taskStates().keySet()).containsExactly("prepare", "for-loop-2[0]/train");
    assertThat(json).contains("\"log_offset\":1234").contains("\"pid\":4242");
  }

  @Test
  void keepsARunnerOutputDirectoryApartFromTheRunDirectory() throws Exception {
    WatchState state = WatchState.initial(new RunHandle(Path.of("/runs/p/r1"), 9, null, Path.of("/runs/.launch/r1")));
    WatchState back = WatchState.fromJson(state.toJson());
    assertThat(back.handle().stderrFile()).isEqualTo(Path.of("/runs/.launch/r1/runner.stderr"));
    assertThat(WatchState.fromJson(WatchState.initial(new RunHandle(Path.of("/runs/p/r2"), 9, null)).toJson())
        .handle().stdoutFile()).isEqualTo(Path.of("/runs/p/r2/runner.stdout"));
  }

  @Test
  void theInitialStateHasReadNothing() {
    WatchState state = WatchState.initial(new RunHandle(Path.of("/runs/p/r1"), 7, null));
    assertThat(state.logOffset()).isZero();
    assertThat(state.runState()).isNull();
    assertThat(state.finished()).isFalse();
    assertThat(state.cancelRequested()).isFalse();
    assertThat(state.withCancelRequested().cancelRequested()).isTrue();
  }

  @Test
  void aDamagedStateIsAnErrorNamingWhatIsWrong() {
    assertThatThrownBy(() -> WatchState.fromJson("{\"format\": 1, \"pid\": 3}"))
        .isInstanceOf(MonitorException.class)
        .hasMessageStartingWith("the saved watch state is damaged (missing run_dir)");
    assertThatThrownBy(() -> WatchState.fromJson("{\"format\": 9}"))
        .hasMessageContaining("not a watch state of format 1");
    assertThatThrownBy(() -> WatchState.fromJson("not json")).isInstanceOf(MonitorException.class);
  }

  @Test
  void runnerJsonIsReadOnlyOnceComplete(@org.junit.jupiter.api.io.TempDir Path runDir) throws Exception {
    assertThat(RunHandle.fromRunnerFile(runDir)).isEmpty();
    java.nio.file.Files.writeString(runDir.resolve("runner.json"), "{\"pid\": 12");
    assertThat(RunHandle.fromRunnerFile(runDir)).isEmpty();
    java.nio.file.Files.writeString(runDir.resolve("runner.json"), "{\"run_id\": \"r\"}");
    assertThatThrownBy(() -> RunHandle.fromRunnerFile(runDir)).isInstanceOf(MonitorException.class)
        .hasMessageEndingWith("runner.json has no valid \"pid\"");
    java.nio.file.Files.writeString(runDir.resolve("runner.json"),
        "{\"pid\": 2147483000, \"run_id\": \"r\", \"started_at\": \"2026-01-02T03:04:05Z\"}");
    RunHandle handle = RunHandle.fromRunnerFile(runDir).orElseThrow();
    assertThat(handle.pid()).isEqualTo(2147483000L);
    assertThat(handle.processStart()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(handle.isAlive()).isFalse();
  }

  @Test
  void aHandleNeedsAPositivePid() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new RunHandle(Path.of("/r"), 0, null)).withMessage("pid must be positive, not 0");
  }
}
