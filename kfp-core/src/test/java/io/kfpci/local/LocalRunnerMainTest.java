package io.kfpci.local;

import static io.kfpci.local.LocalPipelines.compiled;
import static io.kfpci.local.LocalPipelines.task;
import static io.kfpci.local.LocalPipelines.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detached runner as the Jenkins plugin starts it: a separate JVM running
 * {@link LocalRunnerMain} on a spec file. SIGTERM cancels cleanly; after SIGKILL, --resume
 * continues without re-running finished tasks. The pipeline's middle task waits for a release file.
 */
class LocalRunnerMainTest {
  @TempDir Path root;
  private Path counter;
  private long leftover = -1;

  @AfterEach
  void stopLeftovers() {
    if (leftover > 0) {
      ProcessHandle.of(leftover).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private Process start(String runId) throws Exception {
    counter = Files.createDirectories(root.resolve("counter"));
    Path spec = root.resolve("spec.json");
    Files.writeString(spec, LocalRunSpec.builder().pipeline(compiled("slow")).pipelineRoot(root)
        .parameters(java.util.Map.of("counter_dir", counter.toString())).runId(runId).parallelism(2).build().toJson());
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LocalRunnerMain.class.getName(),
        spec.toString()).redirectErrorStream(true).redirectOutput(root.resolve("runner.out").toFile()).start();
  }

  /** Waits (generously: the first Python start may be slow) until the waiting task wrote its pid. */
  private long awaitWaitingTask() throws Exception {
    Path waiting = counter.resolve("waiting");
    for (int i = 0; i < 1200 && !(Files.isRegularFile(waiting) && Files.size(waiting) > 0); i++) {
      Thread.sleep(100);
    }
    assertThat(waiting).as("the waiting task started").isNotEmptyFile();
    return Long.parseLong(Files.readString(waiting).strip());
  }

  /**
   * Whether the process is gone, allowing for the moments a killed process spends as a zombie
   * until its new parent reaps it.
   */
  private static boolean gone(long pid) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      java.util.Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      if (p.isEmpty() || zombie(pid)) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  private static boolean zombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (java.io.IOException e) {
      return true;
    }
  }

  @Test
  void sigtermStopsTheRunningTaskTreeRunsTheExitHandlerAndEndsCanceled() throws Exception {
    Process runner = start("sigterm");
    long taskPid = awaitWaitingTask();
    leftover = taskPid;

    runner.destroy(); // SIGTERM
    assertThat(runner.waitFor(5, TimeUnit.MINUTES)).as("the runner exits").isTrue();

    RunSummary summary = RunSummaryJson.read(root.resolve("slow/sigterm/summary.json"));
    assertThat(summary.state()).isEqualTo(RuntimeState.CANCELED);
    assertThat(task(summary, "exit-handler-1/quick").state()).isEqualTo(RuntimeState.SUCCEEDED);
    assertThat(task(summary, "exit-handler-1/wait-for-release").state()).isEqualTo(RuntimeState.CANCELED);
    assertThat(task(summary, "exit-handler-1").state()).isEqualTo(RuntimeState.CANCELED);
    assertThat(text(summary, "on-exit", "Output")).isEqualTo("CANCELED");
    assertThat(Files.readString(counter.resolve("exit-handler"))).isEqualTo("CANCELED");
    assertThat(gone(taskPid)).as("the task's process tree is gone").isTrue();
    List<String> log = Files.readAllLines(root.resolve("slow/sigterm/run.log"));
    assertThat(log).contains("[run] -- cancel requested: stopping running tasks; exit handlers still run",
        "[exit-handler-1/wait-for-release] -- CANCELED", "[run] -- CANCELED");
    assertThat(log).anyMatch(l -> l.startsWith("[on-exit] -- SUCCEEDED in "));
  }

  @Test
  void afterTheRunnerIsKilledResumeKeepsFinishedTasksAndStopsTheLeftoverProcess() throws Exception {
    Process runner = start("killed");
    long taskPid = awaitWaitingTask();
    leftover = taskPid;
    runner.destroyForcibly(); // SIGKILL: no hook, no summary update
    runner.waitFor(1, TimeUnit.MINUTES);
    assertThat(ProcessHandle.of(taskPid).filter(ProcessHandle::isAlive)).as("the orphaned task still runs").isPresent();
    Files.delete(counter.resolve("waiting"));

    LocalRunner resumed = LocalRunner.prepare(LocalRunSpec.builder().resume(root.resolve("slow/killed"))
        .parallelism(2).build(), RunListener.NONE);
    CompletableFuture<RunSummary> run = CompletableFuture.supplyAsync(() -> {
      try {
        return resumed.run();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    long again = awaitWaitingTask();
    leftover = again;
    Files.writeString(counter.resolve("release"), "go");
    RunSummary summary = run.get(5, TimeUnit.MINUTES);

    assertThat(summary.state()).isEqualTo(RuntimeState.SUCCEEDED);
    assertThat(summary.runId()).isEqualTo("killed");
    assertThat(Files.readString(counter.resolve("quick-runs"), StandardCharsets.UTF_8))
        .as("the task that finished before the kill did not run again").isEqualTo("1");
    assertThat(text(summary, "exit-handler-1/wait-for-release", "Output")).isEqualTo("quick done then released");
    assertThat(text(summary, "on-exit", "Output")).as("the MLMD state name, as the driver sends it").isEqualTo("COMPLETE");
    assertThat(gone(taskPid)).as("the leftover process was stopped").isTrue();
    List<String> log = Files.readAllLines(root.resolve("slow/killed/run.log"));
    assertThat(log).anyMatch(l -> l.startsWith("[exit-handler-1/wait-for-release] -- stopped process ")
        && l.endsWith(" left running by the interrupted runner"));
    assertThat(log).contains("[run] -- resuming killed: 1 finished task(s) are kept, the rest run again");
  }
}
