package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.client.KfpApi;
import io.kfpci.client.KfpClient;
import io.kfpci.client.KfpConnection;
import io.kfpci.client.PipelinePackage;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.ScriptedRunExecutor;
import io.kfpci.monitor.RunEvent;
import io.kfpci.remote.RemoteWatchState;
import io.kfpci.remote.RunPoller;
import io.kfpci.remote.RunTracker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A watch resumed by another process from the saved state; an interrupted --wait terminates its run. */
class RemoteWatchResumeTest {
  @TempDir Path dir;

  @Test
  void aWatchResumedFromItsSavedStateRepeatsAndLosesNothing() throws Exception {
    ScriptedRunExecutor executor = ScriptedRunExecutor.manual();
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().runExecutor(executor));
         KfpClient client = KfpClient.connect(KfpConnection.builder(kfp.baseUrl()).build())) {
      Path file = CliRun.fixture(RemoteCommandsTest.class, "two-step.yaml", dir);
      PipelinePackage pkg = PipelinePackage.of("two-step.yaml", Files.readAllBytes(file));
      Set<String> tasks = RunTracker.taskNames(pkg.pipelineSpec());
      KfpApi.Run run = client.createRunOnce(new KfpApi.CreateRunRequest(null, "resume", null, null, pkg.inlineSpec(),
          new KfpApi.RuntimeConfig(Map.of(), null), null));
      executor.advance(run.runId());
      executor.advance(run.runId());

      // First process: watches until the run is RUNNING with a task started, saves its state, goes away.
      List<RunEvent> first = new ArrayList<>();
      AtomicReference<String> saved = new AtomicReference<>();
      CompletableFuture<Void> sawTask = new CompletableFuture<>();
      RunPoller one = new RunPoller(client, Duration.ofMillis(50), Duration.ofMillis(200));
      one.watch(RemoteWatchState.initial("emulator", run.runId()), tasks, (r, events, state) -> {
        first.addAll(events);
        saved.set(state.toJson());
        if (events.stream().anyMatch(e -> e instanceof RunEvent.TaskStateChanged)) {
          sawTask.complete(null);
        }
      });
      sawTask.get(60, TimeUnit.SECONDS);
      one.close();

      executor.advanceToEnd(run.runId());

      // Second process: resumes from the saved JSON.
      List<RunEvent> second = new ArrayList<>();
      try (RunPoller two = new RunPoller(client, Duration.ofMillis(50), Duration.ofMillis(200))) {
        two.watch(RemoteWatchState.fromJson(saved.get()), tasks, (r, events, state) -> second.addAll(events))
            .get(60, TimeUnit.SECONDS);
      }
      // A watch that never stopped sees the same events.
      List<RunEvent> whole = new ArrayList<>();
      try (RunPoller three = new RunPoller(client, Duration.ofMillis(50), Duration.ofMillis(200))) {
        three.watch(RemoteWatchState.initial("emulator", run.runId()), tasks, (r, events, state) -> whole.addAll(events))
            .get(60, TimeUnit.SECONDS);
      }
      List<RunEvent> both = new ArrayList<>(first);
      both.addAll(second);
      assertThat(first).isNotEmpty();
      assertThat(second).isNotEmpty().doesNotContainAnyElementsOf(first);
      assertThat(both).containsExactlyInAnyOrderElementsOf(whole);
      assertThat(both).hasSameSizeAs(both.stream().distinct().toList());
    }
  }

  @Test
  void anInterruptedWaitTerminatesTheRunOnTheServerAndSaysSo() throws Exception {
    ScriptedRunExecutor executor = ScriptedRunExecutor.manual();
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().runExecutor(executor))) {
      Path file = CliRun.fixture(RemoteCommandsTest.class, "two-step.yaml", dir);
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
          KfpciCommand.class.getName(), "submit", file.toString(), "--endpoint", kfp.baseUrl().toString(), "--wait",
          "--inline", "--pipeline-root", dir.resolve("runs").toString());
      pb.redirectErrorStream(true);
      Process p = pb.start();
      p.getOutputStream().close();
      StringBuilder out = new StringBuilder();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          out.append(line).append('\n');
          if (line.equals("[run] -- PENDING")) {
            // SIGTERM, as a CI abort sends (Process.destroy would also close our end of its output).
            p.toHandle().destroy();
          }
        }
      }
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(kfp.state().runs()).hasSize(1);
      String runId = kfp.state().runs().get(0).id();
      assertThat(out.toString()).contains("interrupted: asked KFP to terminate run " + runId);
      assertThat(kfp.state().runs().get(0).terminateRequested()).isTrue();
    }
  }
}
