package io.kfpci.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.compile.CompileRequest;
import io.kfpci.compile.KfpCompiler;
import io.kfpci.local.LocalRunSpec;
import io.kfpci.local.LocalRunnerMain;
import io.kfpci.python.PythonSettings;
import io.kfpci.python.VenvManager;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import io.kfpci.testing.RepoPaths;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch protocol end to end with the real local runner ({@link LocalRunnerMain}, started
 * detached as the Jenkins plugin starts it) on a small pipeline compiled with the real kfp
 * compiler: every log line once across a watcher that dies mid-run, nothing re-run, and a cancel
 * that still runs the exit handler.
 */
class LocalRunnerWatchTest {
  private static Path pipeline;

  @TempDir Path root;

  @BeforeAll
  static void compile() throws Exception {
    Path source = RepoPaths.repoRoot().resolve("kfp-core/src/test/resources/io/kfpci/monitor/slow_pipeline.py");
    Path out = Path.of("target/monitor-pipelines/slow_pipeline.yaml").toAbsolutePath();
    Files.createDirectories(out.getParent());
    new KfpCompiler(new VenvManager(PythonSettings.defaults()))
        .compile(CompileRequest.builder(source).output(out).build());
    pipeline = out;
  }

  private RunHandle launch(String runId, Map<String, String> parameters) throws Exception {
    Path launchDir = root.resolve(".launch").resolve(runId);
    Files.createDirectories(launchDir);
    Path spec = launchDir.resolve("run-spec.json");
    Files.writeString(spec, LocalRunSpec.builder().pipeline(pipeline).pipelineRoot(root).runId(runId)
        .parameters(parameters).parallelism(2).workingDirectory(root).build().toJson());
    List<Path> classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(Path::of).toList();
    return new DetachedLauncher().launch(LaunchRequest.builder(root.resolve("slow-pipeline").resolve(runId))
        .javaMain(classpath, LocalRunnerMain.class.getName(), List.of(spec.toString()))
        .outputDirectory(launchDir).workingDirectory(root).build());
  }

  private static PollBackoff quick() {
    return new PollBackoff(Duration.ofMillis(100), Duration.ofMillis(500), 1.5);
  }

  private static long count(List<String> lines, String text) {
    return lines.stream().filter(l -> l.endsWith(text)).count();
  }

  private static TaskSummary task(RunSummary summary, String suffix) {
    return summary.tasks().stream().filter(t -> t.id().endsWith(suffix)).findFirst()
        .orElseThrow(() -> new AssertionError("no task " + suffix + " in " + summary.tasks()));
  }

  @Test
  void aWatcherKilledMidRunResumesAndTheRunnerNeverRunsATaskTwice() throws Exception {
    RunHandle handle = launch("resumed", Map.of("seconds", "3"));
    RunWatcher first = new RunWatcher(WatchState.initial(handle));
    List<RunEvent> before = new ArrayList<>();
    FakeRuns.pollUntil(first, before, seen -> FakeRuns.logLines(seen).stream().anyMatch(l -> l.endsWith("two: tick 1 of 3")));
    String saved = first.state().toJson();

    List<RunEvent> after = new ArrayList<>();
    WatchUpdate last = new RunWatcher(WatchState.fromJson(saved)).follow(after::add, quick());

    assertThat(last.state().runState()).isEqualTo(RuntimeState.SUCCEEDED);
    List<String> seen = new ArrayList<>(FakeRuns.logLines(before));
    seen.addAll(FakeRuns.logLines(after));
    List<String> runLog = Files.readAllLines(handle.logFile(), StandardCharsets.UTF_8);
    assertThat(seen).containsExactlyElementsOf(runLog);
    for (String step : List.of("one", "two", "three")) {
      for (int tick = 1; tick <= 3; tick++) {
        assertThat(count(runLog, "] " + step + ": tick " + tick + " of 3")).as("%s tick %d", step, tick).isEqualTo(1);
      }
    }
    RunSummary summary = RunSummaryJson.read(handle.summaryFile());
    assertThat(summary.tasks()).filteredOn(t -> t.kind().equals("container"))
        .allSatisfy(t -> assertThat(t.attempts()).as(t.id()).isEqualTo(1));
    assertThat(RunConsole.lines(after)).last().isEqualTo("[kfp] run: SUCCEEDED");
    assertThat(handle.isAlive()).isFalse();
  }

  @Test
  void cancelingStopsTheRunningTaskRunsTheExitHandlerAndEndsCanceled() throws Exception {
    RunHandle handle = launch("canceled", Map.of("seconds", "120"));
    RunWatcher watcher = new RunWatcher(WatchState.initial(handle));
    List<RunEvent> events = new ArrayList<>();
    FakeRuns.pollUntil(watcher, events, seen -> FakeRuns.logLines(seen).stream().anyMatch(l -> l.endsWith("one: tick 2 of 120")));

    assertThat(RunCanceller.requestCancel(handle)).isTrue();
    watcher.markCancelRequested();
    WatchUpdate last = watcher.follow(events::add, quick());

    assertThat(last.state().runState()).isEqualTo(RuntimeState.CANCELED);
    List<String> lines = FakeRuns.logLines(events);
    assertThat(lines).anyMatch(l -> l.endsWith("cleanup after slow-pipeline"))
        .noneMatch(l -> l.endsWith("one: tick 120 of 120")).noneMatch(l -> l.contains("two: tick"));
    RunSummary summary = RunSummaryJson.read(handle.summaryFile());
    assertThat(summary.state()).isEqualTo(RuntimeState.CANCELED);
    assertThat(task(summary, "cleanup").state()).isEqualTo(RuntimeState.SUCCEEDED);
    assertThat(task(summary, "/step").state()).isEqualTo(RuntimeState.CANCELED);
    assertThat(handle.isAlive()).isFalse();
  }
}
