package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.emulator.EmulatorState;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.ScriptedRunExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kfpci submit --no-cache}: what reaches the server has caching off in every task, as a
 * version of its own beside the pipeline as compiled, which a plain submit keeps using.
 */
class SubmitNoCacheTest {
  @TempDir Path dir;
  private KfpEmulator kfp;
  private Path pipeline;

  @BeforeEach
  void start() {
    kfp = Emulators.start(KfpEmulator.builder().runExecutor(ScriptedRunExecutor.timed(Duration.ofMillis(50))));
    pipeline = CliRun.fixture(RemoteCommandsTest.class, "two-step.yaml", dir);
  }

  /** The fixture as the SDK compiles by default: every task caches. */
  private void cachingOn() throws java.io.IOException {
    java.nio.file.Files.writeString(pipeline, java.nio.file.Files.readString(pipeline)
        .replace("        taskInfo: {name: preprocess}\n", "        taskInfo: {name: preprocess}\n        cachingOptions: {enableCache: true}\n")
        .replace("        taskInfo: {name: train}\n", "        taskInfo: {name: train}\n        cachingOptions: {enableCache: true}\n"));
  }

  @AfterEach
  void stop() {
    if (kfp != null) {
      assertThat(kfp.state().violations()).as("swagger violations").isEmpty();
      kfp.close();
    }
  }

  private static List<Boolean> enableCache(JsonNode spec) {
    List<Boolean> out = new ArrayList<>();
    spec.path("root").path("dag").path("tasks").forEach(t -> out.add(t.path("cachingOptions").path("enableCache")
        .asBoolean(false)));
    return out;
  }

  @Test
  void everyTaskSentHasItsCacheOffInAVersionOfItsOwn() throws Exception {
    cachingOn();
    CliRun plain = CliRun.of("submit", pipeline.toString(), "--endpoint", kfp.baseUrl().toString(), "-p", "rows=5");
    CliRun off = CliRun.of("submit", pipeline.toString(), "--endpoint", kfp.baseUrl().toString(), "-p", "rows=5",
        "--no-cache");

    assertThat(plain.exitCode()).as(plain.out() + plain.err()).isZero();
    assertThat(off.exitCode()).as(off.out() + off.err()).isZero();
    List<EmulatorState.PipelineVersion> versions = kfp.state().versions();
    assertThat(versions).hasSize(2);
    assertThat(enableCache(versions.get(0).pipelineSpec())).containsExactly(true, true);
    assertThat(enableCache(versions.get(1).pipelineSpec())).containsExactly(false, false);
    assertThat(off.out()).startsWith("uploaded: pipeline two-step version '");
    List<EmulatorState.Run> runs = kfp.state().runs();
    assertThat(runs).hasSize(2);
    assertThat(runs.get(1).pipelineVersionId()).isEqualTo(versions.get(1).id());
  }
}
