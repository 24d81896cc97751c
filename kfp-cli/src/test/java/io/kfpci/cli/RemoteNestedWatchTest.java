package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.ScriptedRunExecutor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watched run of a pipeline with a condition and a ParallelFor: its state lines name each task
 * by its DAG path, the id its log lines, its ML Metadata records and a local run use.
 */
class RemoteNestedWatchTest {
  @TempDir Path dir;
  private KfpEmulator kfp;

  @BeforeEach
  void start() {
    kfp = Emulators.start(KfpEmulator.builder().runExecutor(ScriptedRunExecutor.timed(Duration.ofMillis(100))));
  }

  @AfterEach
  void stop() {
    if (kfp != null) {
      assertThat(kfp.state().violations()).as("swagger violations").isEmpty();
      kfp.close();
    }
  }

  @Test
  void stateLinesOfNestedTasksCarryTheirDagPathAndTheSummaryUsesTheSameIds() throws Exception {
    Path pipeline = CliRun.fixture(RemoteNestedWatchTest.class, "nested.yaml", dir);
    Path root = dir.resolve("runs");
    CliRun run = CliRun.of("submit", pipeline.toString(), "--endpoint", kfp.baseUrl().toString(), "--wait",
        "--pipeline-root", root.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    List<String> lines = run.out().lines().filter(l -> l.startsWith("[")).toList();
    assertThat(lines).containsSubsequence("[prepare] -- RUNNING", "[prepare] -- SUCCEEDED", "[run] -- SUCCEEDED");
    assertThat(lines).containsSubsequence("[condition-1] -- RUNNING", "[condition-1/deploy] -- SUCCEEDED");
    assertThat(lines).containsSubsequence("[for-loop-2] -- RUNNING", "[for-loop-2[0]/train] -- RUNNING",
        "[for-loop-2[0]/train] -- SUCCEEDED");
    assertThat(lines).containsSubsequence("[for-loop-2[1]] -- RUNNING", "[for-loop-2[1]] -- SUCCEEDED");
    assertThat(lines).contains("[for-loop-2[1]/train] -- SUCCEEDED", "[condition-1/deploy] -- RUNNING");
    List<String> labels = new ArrayList<>(lines.stream().map(l -> l.substring(1, l.indexOf("] -- "))).distinct().toList());
    assertThat(labels).containsExactlyInAnyOrder("run", "prepare", "condition-1", "condition-1/deploy", "for-loop-2",
        "for-loop-2[0]", "for-loop-2[0]/train", "for-loop-2[1]", "for-loop-2[1]/train");
    assertThat(lines.stream().distinct().count()).as("no line repeated").isEqualTo(lines.size());

    String runId = kfp.state().runs().get(0).id();
    JsonNode summary = new ObjectMapper().readTree(Files.readString(
        root.resolve("nested").resolve(runId).resolve("summary.json"), StandardCharsets.UTF_8));
    List<String> ids = new ArrayList<>();
    summary.get("tasks").forEach(t -> ids.add(t.get("id").asText()));
    labels.remove("run");
    assertThat(ids).containsExactlyInAnyOrderElementsOf(labels);
    summary.get("tasks").forEach(t -> {
      if (t.get("id").asText().equals("for-loop-2[1]")) {
        assertThat(t.get("iteration").asInt()).isEqualTo(1);
        assertThat(t.get("parent_id").asText()).isEqualTo("for-loop-2");
      }
      if (t.get("id").asText().equals("for-loop-2[1]/train")) {
        assertThat(t.get("parent_id").asText()).isEqualTo("for-loop-2[1]");
        assertThat(t.get("name").asText()).isEqualTo("train");
      }
    });
  }
}
