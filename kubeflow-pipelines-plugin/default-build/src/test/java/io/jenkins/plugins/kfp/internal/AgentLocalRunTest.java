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
    boolean[] reattached = {false};
    AgentPoll.Outcome outcome = pollToTheEnd(ws, state, console, () -> {
      if (!reattached[0] && Files.exists(Path.of(prepared.runDir(), "runner.json"))) {
        // A launch repeated after a restart finds the runner instead of starting another.
        assertThat(WatchState.fromJson(new AgentLaunch(prepared.runDir(), prepared.specFile(), jar).invoke(ws, null))
            .handle().pid()).isEqualTo(pid);
        reattached[0] = true;
      }
    });

    assertThat(reattached[0]).isTrue();
    assertThat(outcome.runState()).as(String.join("\n", console)).isEqualTo("SUCCEEDED");
    assertThat(console).anyMatch(l -> l.endsWith("] one: tick 1 of 2")).anyMatch(l -> l.endsWith("] three: tick 2 of 2"))
        .anyMatch(l -> l.endsWith("] cleanup after slow-pipeline")).last().isEqualTo("[kfp] run: SUCCEEDED");
    RunSummary summary = RunSummaryJson.fromJson(outcome.summaryJson(), "summary");
    assertThat(summary.state()).isEqualTo(RuntimeState.SUCCEEDED);
    assertThat(summary.runId()).isEqualTo(runId);
    assertThat(launchDir.resolve("runner.stdout")).isRegularFile();
    assertThat(Path.of(prepared.runDir(), "report.html")).as("the runner's report, which the run view shows").isRegularFile();
    assertThat(summary.parameters()).containsOnlyKeys("seconds", "fail_in");
    assertThat(summary.parameters().get("seconds").isIntegralNumber()).isTrue();
    assertThat(summary.parameters().get("seconds").asLong()).isEqualTo(2);
    assertThat(summary.parameters().get("fail_in").textValue()).isEmpty();
  }

  @Test
  void relativePathsInParametersResolveInTheWorkspace() throws Exception {
    // The file exists only in the workspace, not in the directory the test (or the runner) started in.
    Files.createDirectories(workspace.resolve("data"));
    Files.writeString(workspace.resolve("data/note.txt"), "found in the workspace\n");
    Files.writeString(workspace.resolve("read_pipeline.py"), """
        from kfp import dsl

        @dsl.component(base_image="python:3.11-slim")
        def read(path: str):
            import os
            print("cwd " + os.getcwd(), flush=True)
            print("read " + open(path).read().strip(), flush=True)

        @dsl.pipeline(name="read-pipeline")
        def read_pipeline(path: str):
            read(path=path)
        """);
    File ws = workspace.toFile();
    String runId = "jenkins-8-0a1b2c3d";
    AgentPrepareRun.Prepared prepared = new AgentPrepareRun("read_pipeline.py", Map.of("path", "data/note.txt"),
        new LocalRunOptions("", true, 1, 0), runId, new KfpSettings("", "", "", "")).invoke(ws, null);
    String state = new AgentLaunch(prepared.runDir(), prepared.specFile(), runnerJar().toString()).invoke(ws, null);

    List<String> console = new ArrayList<>();
    AgentPoll.Outcome outcome = pollToTheEnd(ws, state, console, () -> { });

    assertThat(outcome.runState()).as(String.join("\n", console)).isEqualTo("SUCCEEDED");
    // The task runs in its own task directory (a relative path it writes stays in the run); the
    // relative parameter was resolved against the workspace before the task started.
    String taskDirectory = workspace.toRealPath().resolve("kfp-runs/read-pipeline/" + runId + "/read").toString();
    assertThat(console).anyMatch(l -> l.endsWith("] cwd " + taskDirectory))
        .anyMatch(l -> l.endsWith("] read found in the workspace"));
  }

  /** Something to do after each poll (it may assert). */
  private interface AfterPoll {
    void run() throws Exception;
  }

  /**
   * Polls until the run finishes, collecting the console. A hang guard, not a timing assertion: a
   * run of a few seconds that has not ended after five minutes is broken, and the test says so
   * with the console so far instead of hanging the build.
   */
  private static AgentPoll.Outcome pollToTheEnd(File ws, String state, List<String> console, AfterPoll after)
      throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(5);
    while (true) {
      AgentPoll.Outcome outcome = new AgentPoll(state).invoke(ws, null);
      console.addAll(outcome.lines());
      state = outcome.watchState();
      after.run();
      if (outcome.finished()) {
        return outcome;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the run has not finished after 5 minutes; console so far:\n"
            + String.join("\n", console));
      }
      if (!outcome.moreLog()) {
        Thread.sleep(200);
      }
    }
  }
}
