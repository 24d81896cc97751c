package io.jenkins.plugins.kfp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kfp.KfpSettings;
import io.kfpci.monitor.WatchState;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent side of {@code kfpRun} without Jenkins: the plugin's remote calls run here in-process,
 * as an agent runs them, against the real kfp compiler and the kfp-runner jar the plugin ships.
 * Prepare compiles and writes the spec beside the run directory, launch starts the runner detached
 * (and re-attaches rather than starting a second one), and polls carry the console to the end.
 * Nothing here touches Jenkins behaviour, so the facsimile's throwing bodies are never reached.
 */
class AgentLocalRunTest {
  @TempDir Path workspace;

  private static Path runnerJar() throws Exception {
    Path target = io.jenkins.plugins.kfp.PluginClassesAccess.repoRoot().resolve("kubeflow-pipelines-plugin/runner/target");
    try (Stream<Path> files = Files.list(target)) {
      return files.filter(p -> p.getFileName().toString().matches("kfp-runner-.*\\.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("build kubeflow-pipelines-plugin/runner first (no kfp-runner jar in "
              + target + ")"));
    }
  }

  @Test
  void preparesLaunchesAndFollowsARunWithTheShippedRunnerJar() throws Exception {
    Path fixtures = Files.createDirectories(workspace.resolve("fixtures"));
    Files.copy(io.jenkins.plugins.kfp.PluginClassesAccess.repoRoot()
        .resolve("kfp-core/src/test/resources/io/kfpci/monitor/slow_pipeline.py"), fixtures.resolve("slow_pipeline.py"));
    File ws = workspace.toFile();
    KfpSettings settings = new KfpSettings("", "", "", "");
    String runId = "jenkins-7-0a1b2c3d";

    AgentPrepareRun.Prepared prepared = new AgentPrepareRun("fixtures/slow_pipeline.py", Map.of("seconds", "2"),
        new LocalRunOptions("", true, 2, 0), runId, settings).invoke(ws, null);

    Path launchDir = workspace.resolve("kfp-runs/.launch").resolve(runId);
    assertThat(prepared.pipelineName()).isEqualTo("slow-pipeline");
    assertThat(Path.of(prepared.runDir())).isEqualTo(workspace.resolve("kfp-runs/slow-pipeline").resolve(runId));
    assertThat(Path.of(prepared.specFile())).isEqualTo(launchDir.resolve("run-spec.json"));
    assertThat(launchDir.resolve("pipeline.yaml")).isRegularFile();
    assertThat(Path.of(prepared.runDir())).as("left for the runner to create").doesNotExist();

    String jar = runnerJar().toString();
    String state = new AgentLaunch(prepared.runDir(), prepared.specFile(), jar).invoke(ws, null);
    long pid = WatchState.fromJson(state).handle().pid();

    List<String> console = new ArrayList<>();
    AgentPoll.Outcome outcome;
    boolean reattached = false;
    do {
      outcome = new AgentPoll(state).invoke(ws, null);
      console.addAll(outcome.lines());
      state = outcome.watchState();
      if (!reattached && Files.exists(Path.of(prepared.runDir(), "runner.json"))) {
        // A launch repeated after a restart finds the runner instead of starting another.
        assertThat(WatchState.fromJson(new AgentLaunch(prepared.runDir(), prepared.specFile(), jar).invoke(ws, null))
            .handle().pid()).isEqualTo(pid);
        reattached = true;
      }
      if (!outcome.finished() && !outcome.moreLog()) {
        Thread.sleep(200);
      }
    } while (!outcome.finished());

    assertThat(reattached).isTrue();
    assertThat(outcome.runState()).as(String.join("\n", console)).isEqualTo("SUCCEEDED");
    assertThat(console).anyMatch(l -> l.endsWith("] one: tick 1 of 2")).anyMatch(l -> l.endsWith("] three: tick 2 of 2"))
        .anyMatch(l -> l.endsWith("] cleanup after slow-pipeline")).last().isEqualTo("[kfp] run: SUCCEEDED");
    RunSummary summary = RunSummaryJson.fromJson(outcome.summaryJson(), "summary");
    assertThat(summary.state()).isEqualTo(RuntimeState.SUCCEEDED);
    assertThat(summary.runId()).isEqualTo(runId);
    assertThat(launchDir.resolve("runner.stdout")).isRegularFile();
    assertThat(Path.of(prepared.runDir(), "report.html")).as("the runner's report, which the run view shows").isRegularFile();
    // Relative paths in parameters resolve in the workspace: the tasks started there.
    assertThat(summary.parameters()).containsKey("seconds");
  }
}
