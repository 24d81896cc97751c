package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.client.KfpApi;
import io.kfpci.client.KfpClient;
import io.kfpci.client.KfpConnection;
import io.kfpci.client.PipelinePackage;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.RuntimeState;
import io.kfpci.emulator.ScriptedRunExecutor;
import io.kfpci.monitor.RunEvent;
import io.kfpci.remote.RemoteWatchState;
import io.kfpci.remote.RunPoller;
import io.kfpci.remote.RunTracker;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A watch prints the state changes it finds in one poll upstream first when they share a second
 * (the API's times have second precision): the poller keeps the pipeline's task order it is given.
 */
class RunPollerOrderTest {
  /** A chain s7 -> s6 -> ... -> s0: alphabetical order is the reverse of the run order. */
  private static String chain(int length) {
    StringBuilder components = new StringBuilder("components:\n");
    StringBuilder executors = new StringBuilder("deploymentSpec:\n  executors:\n");
    StringBuilder tasks = new StringBuilder();
    for (int i = length - 1; i >= 0; i--) {
      components.append("  comp-s").append(i).append(":\n    executorLabel: exec-s").append(i).append('\n');
      executors.append("    exec-s").append(i).append(":\n      container: {image: python:3.11-slim, command: [\"true\"]}\n");
      tasks.append("      s").append(i).append(":\n        componentRef: {name: comp-s").append(i)
          .append("}\n        taskInfo: {name: s").append(i).append("}\n");
      if (i < length - 1) {
        tasks.append("        dependentTasks: [s").append(i + 1).append("]\n");
      }
    }
    return components + executors.toString() + "pipelineInfo:\n  name: chain\nroot:\n  dag:\n    tasks:\n" + tasks
        + "schemaVersion: 2.1.0\n";
  }

  @Test
  void changesOfTheSameSecondAreReportedUpstreamFirst() throws Exception {
    ScriptedRunExecutor executor = ScriptedRunExecutor.manual();
    // Every report at the same instant: the order can only come from the pipeline's task order.
    Clock frozen = Clock.fixed(Instant.parse("2026-11-28T23:43:30Z"), ZoneOffset.UTC);
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().runExecutor(executor).clock(frozen));
         KfpClient client = KfpClient.connect(KfpConnection.builder(kfp.baseUrl()).build())) {
      PipelinePackage pkg = PipelinePackage.of("chain.yaml", chain(8).getBytes(StandardCharsets.UTF_8));
      Set<String> tasks = RunTracker.taskNames(pkg.pipelineSpec());
      assertThat(tasks).containsExactly("s7", "s6", "s5", "s4", "s3", "s2", "s1", "s0");
      KfpApi.Run run = client.createRunOnce(new KfpApi.CreateRunRequest(null, "chain", null, null, pkg.inlineSpec(),
          new KfpApi.RuntimeConfig(Map.of(), null), null));
      assertThat(executor.advanceToEnd(run.runId())).isEqualTo(RuntimeState.SUCCEEDED);

      List<String> changes = new ArrayList<>();
      try (RunPoller poller = new RunPoller(client, Duration.ofMillis(50), Duration.ofMillis(200))) {
        poller.watch(RemoteWatchState.initial("emulator", run.runId()), tasks, (r, events, state) -> {
          for (RunEvent e : events) {
            if (e instanceof RunEvent.TaskStateChanged t) {
              changes.add(t.taskId() + " " + t.to());
            }
          }
        }).get(60, TimeUnit.SECONDS);
      }

      List<String> expected = new ArrayList<>();
      for (int i = 7; i >= 0; i--) {
        expected.add("s" + i + " RUNNING");
        expected.add("s" + i + " SUCCEEDED");
      }
      assertThat(changes).containsExactlyElementsOf(expected);
    }
  }
}
