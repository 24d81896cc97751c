package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.client.KfpApi;
import io.kfpci.client.KfpClient;
import io.kfpci.client.KfpConnection;
import io.kfpci.client.PipelinePackage;
import io.kfpci.client.PipelineUploader;
import io.kfpci.client.RetryPolicy;
import io.kfpci.emulator.EmulatorState;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.ScriptedRunExecutor;
import io.kfpci.monitor.RunEvent;
import io.kfpci.remote.RemoteWatchState;
import io.kfpci.remote.RunPoller;
import io.kfpci.remote.RunTracker;
import io.kfpci.report.RuntimeState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R1: a proxy between the client and the emulator fails 20% of the calls (503 before the server,
 * connection reset or a held answer after it). Over 100 submitted runs every run ends in its true
 * state (ten are terminated on request), nothing is created twice, and every run's and task's events form one unbroken chain from
 * nothing to its final state (a lost event breaks the chain, a repeated one too).
 */
class FaultInjectionTest {
  private static final int RUNS = 100;
  @TempDir Path dir;

  @Test
  void everyRunEndsTrueWithNoDuplicateAndNoLostOrRepeatedEvent() throws Exception {
    ScriptedRunExecutor executor = ScriptedRunExecutor.timed(Duration.ofMillis(300))
        .failing(run -> run.displayName().endsWith("7") ? Optional.of("train") : Optional.empty());
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().runExecutor(executor));
         FaultyProxy proxy = new FaultyProxy(kfp.baseUrl(), 0.20, 1500, 20261129L);
         KfpClient client = KfpClient.connect(KfpConnection.builder(proxy.uri())
             .readTimeout(Duration.ofSeconds(1)).callTimeout(Duration.ofSeconds(90))
             .retry(new RetryPolicy(12, Duration.ofMillis(100), Duration.ofSeconds(1))).build());
         KfpClient direct = KfpClient.connect(KfpConnection.builder(kfp.baseUrl()).build())) {
      Path file = CliRun.fixture(RemoteCommandsTest.class, "two-step.yaml", dir);
      PipelinePackage pkg = PipelinePackage.of("two-step.yaml", Files.readAllBytes(file));

      // Four concurrent uploads of the same content and four get-or-creates of one experiment.
      ExecutorService four = Executors.newFixedThreadPool(4);
      List<Future<PipelineUploader.Result>> uploads = new ArrayList<>();
      List<Future<KfpApi.Experiment>> experiments = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        uploads.add(four.submit(() -> new PipelineUploader(client).upload(pkg, "two-step", "abc1234-" + pkg.hash8(), null)));
        experiments.add(four.submit(() -> client.experiment("r1")));
      }
      String versionId = null;
      for (Future<PipelineUploader.Result> u : uploads) {
        String v = u.get().version().pipelineVersionId();
        assertThat(versionId == null || versionId.equals(v)).as("every upload returns the one version").isTrue();
        versionId = v;
      }
      String experimentId = experiments.get(0).get().experimentId();
      for (Future<KfpApi.Experiment> e : experiments) {
        assertThat(e.get().experimentId()).isEqualTo(experimentId);
      }
      String pipelineId = uploads.get(0).get().pipeline().pipelineId();

      // 100 runs, submitted from four threads.
      List<Future<KfpApi.Run>> submitted = new ArrayList<>();
      for (int i = 0; i < RUNS; i++) {
        String name = "r1-" + i;
        String vid = versionId;
        submitted.add(four.submit(() -> {
          KfpApi.Run r = client.createRunOnce(new KfpApi.CreateRunRequest(experimentId, name, null,
              new KfpApi.PipelineVersionReference(pipelineId, vid), null, new KfpApi.RuntimeConfig(Map.of(), null), null));
          if (name.endsWith("0")) {
            // Terminated on request right away (through the faulty proxy too).
            client.terminateRun(r.runId());
          }
          return r;
        }));
      }
      Map<String, String> names = new HashMap<>();
      for (Future<KfpApi.Run> f : submitted) {
        KfpApi.Run r = f.get();
        names.put(r.runId(), r.displayName());
      }
      four.shutdown();
      assertThat(names).hasSize(RUNS);

      // One poller watches them all; every tenth run is terminated on request.
      Map<String, List<RunEvent>> events = new ConcurrentHashMap<>();
      Set<String> taskNames = RunTracker.taskNames(pkg.pipelineSpec());
      List<CompletableFuture<RunPoller.Result>> watches = new ArrayList<>();
      try (RunPoller poller = new RunPoller(client, Duration.ofMillis(200), Duration.ofSeconds(1))) {
        for (String id : names.keySet()) {
          events.put(id, new ArrayList<>());
          RemoteWatchState start = RemoteWatchState.initial("r1", id);
          watches.add(poller.watch(names.get(id).endsWith("0") ? start.withTerminateRequested() : start, taskNames,
              (run, ev, state) -> events.get(run.runId()).addAll(ev)));
        }
        CompletableFuture.allOf(watches.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
      }

      // What the server holds: nothing twice.
      EmulatorState state = kfp.state();
      assertThat(state.pipelines()).hasSize(1);
      assertThat(state.versions()).hasSize(1);
      assertThat(state.experiments().stream().filter(x -> x.displayName().equals("r1"))).hasSize(1);
      assertThat(state.runs()).hasSize(RUNS);
      assertThat(state.runs().stream().map(EmulatorState.Run::displayName).distinct()).hasSize(RUNS);

      // Every run's events: an unbroken chain ending in the true state.
      int eventCount = 0;
      int canceled = 0;
      int failed = 0;
      for (String id : names.keySet()) {
        EmulatorState.Run truth = state.run(id).orElseThrow();
        RuntimeState expected = truth.terminateRequested() && truth.state().name().equals("FAILED")
            ? RuntimeState.CANCELED : RuntimeState.valueOf(truth.state().name());
        canceled += expected == RuntimeState.CANCELED ? 1 : 0;
        failed += expected == RuntimeState.FAILED ? 1 : 0;
        List<RunEvent> ev = events.get(id);
        eventCount += ev.size();
        Map<String, RuntimeState> last = new HashMap<>();
        for (RunEvent e : ev) {
          String key = e instanceof RunEvent.TaskStateChanged t ? t.taskId() : "[run]";
          RuntimeState from = e instanceof RunEvent.TaskStateChanged t ? t.from() : ((RunEvent.RunStateChanged) e).from();
          RuntimeState to = e instanceof RunEvent.TaskStateChanged t ? t.to() : ((RunEvent.RunStateChanged) e).to();
          assertThat(from).as("run %s %s: chain", names.get(id), key).isEqualTo(last.get(key));
          assertThat(to).as("run %s %s: no repeat", names.get(id), key).isNotEqualTo(from);
          last.put(key, to);
        }
        assertThat(last.get("[run]")).as("run %s ends in its true state", names.get(id)).isEqualTo(expected);
        // Tasks end where the server says they ended.
        KfpApi.Run server = direct.getRun(id);
        for (KfpApi.TaskDetail t : server.tasks()) {
          if (taskNames.contains(t.displayName()) && t.runtimeState() != null) {
            assertThat(last.get(t.displayName())).as("run %s task %s", names.get(id), t.displayName())
                .isEqualTo(t.runtimeState());
          }
        }
      }
      assertThat(canceled).as("runs terminated before they ended").isGreaterThan(0).isLessThanOrEqualTo(10);
      assertThat(failed).isGreaterThan(0);
      System.out.printf("R1: %d runs (%d canceled, %d failed), faults injected: %d 503, %d reset, %d held; "
              + "%d calls, %d requests; pipelines %d, versions %d, runs %d (0 duplicates); %d events, 0 lost, 0 repeated%n",
          RUNS, canceled, failed, proxy.count(FaultyProxy.Fault.UNAVAILABLE), proxy.count(FaultyProxy.Fault.RESET_AFTER),
          proxy.count(FaultyProxy.Fault.TIMEOUT_AFTER), client.callCount(), client.requestCount(),
          state.pipelines().size(), state.versions().size(), state.runs().size(), eventCount);
      long faults = proxy.count(FaultyProxy.Fault.RESET_AFTER) + proxy.count(FaultyProxy.Fault.TIMEOUT_AFTER)
          + proxy.count(FaultyProxy.Fault.UNAVAILABLE);
      long total = faults + proxy.count(FaultyProxy.Fault.NONE);
      assertThat(faults * 100.0 / total).as("share of failed calls, in %").isBetween(10.0, 30.0);
      assertThat(proxy.count(FaultyProxy.Fault.RESET_AFTER)).isPositive();
      assertThat(proxy.count(FaultyProxy.Fault.TIMEOUT_AFTER)).isPositive();
    }
  }
}
