package io.kfpci.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.local.Engine;
import io.kfpci.python.PythonSettings;
import io.kfpci.python.VenvManager;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancel ends the run CANCELED promptly, with a final summary, whatever an attempt is doing: busy
 * expanding its placeholders (the deepest escape the runner accepts, {@code json_escape[8]}; a
 * deeper one, once minutes of work, is now refused before any work, by the validator and the
 * runner alike, see ExecutorInputsTest, which also shows an interrupted expansion stopping at its
 * next placeholder), or stuck reading the output of a process that left an orphan holding its pipe.
 * Validation is bypassed. Waits are deadlines.
 */
class PromptCancelTest {
  @TempDir Path root;
  private Path orphanPid;

  @AfterEach
  void stopOrphan() throws Exception {
    if (orphanPid != null && Files.isRegularFile(orphanPid)) {
      ProcessHandle.of(Long.parseLong(Files.readString(orphanPid).strip())).ifPresent(ProcessHandle::destroyForcibly);
      // The abandoned attempt now sees its output end and records its process's end: its last
      // write, which must happen before the temp directory is deleted.
      Path attempt = root.resolve("p/r/slow").resolve(Executions.ATTEMPT_FILE);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < end && !(Files.isRegularFile(attempt)
          && !Files.readString(attempt).contains("\"process_ms\":-1"))) {
        Thread.sleep(50);
      }
    }
  }

  @Test
  void aCancelDuringALongExpansionEndsTheRunCanceledWithoutWaitingForIt() throws Exception {
    cancelWhileRunning(new IrFixtures.Task("slow", null, null,
        List.of("sh", "-c", "sleep 600", "{{$.inputs.parameters['x'].json_escape[8]}}")));
  }

  @Test
  void aCancelEndsATaskWhoseOrphanedChildKeepsItsOutputOpen() throws Exception {
    orphanPid = root.resolve("orphan.pid");
    List<String> lines = cancelWhileRunning(new IrFixtures.Task("slow", null, null, List.of("sh", "-c",
        "(sleep 600 & echo $! > '" + orphanPid + "'); sleep 600")));
    assertThat(lines).contains("[slow] -- still busy 5 s after the cancel, outside its process; ending it without"
        + " waiting");
  }

  private List<String> cancelWhileRunning(IrFixtures.Task task) throws Exception {
    List<String> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Path file = IrFixtures.write(root.resolve("src"), "expansion", List.of("x"), task);
    Plan plan = new Plan(PipelineLoader.load(file));
    RunDirectory directory = new RunDirectory(Files.createDirectories(root.resolve("p/r")), lines::add);
    Executions executions = new Executions(new Executions.Settings(plan, directory, "r", Instant.now(), Engine.LOCAL,
        true, false, root, new PythonEnvironments(new VenvManager(PythonSettings.defaults())), null, false));
    Map<String, Node> nodes = new LinkedHashMap<>();
    plan.initialNodes().forEach(n -> nodes.put(n.id(), n));
    RunState initial = new RunState("r", RuntimeState.PENDING, Instant.now(), null, null, null, false,
        Map.<String, JsonNode>of("x", new TextNode("a \"quoted\" value")), nodes);
    CountDownLatch running = new CountDownLatch(1);
    Coordinator coordinator = new Coordinator(plan, initial, executions, directory, 2, (RunSummary s) -> {
      if (s.tasks().stream().anyMatch(t -> t.id().equals("slow") && t.state() == RuntimeState.RUNNING)) {
        running.countDown();
      }
    }, Clock.systemUTC());
    CompletableFuture<RunState> run = CompletableFuture.supplyAsync(() -> {
      try {
        return coordinator.run();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(running.await(1, TimeUnit.MINUTES)).as("the task started").isTrue();
    Thread.sleep(500); // well into the expansion, or the process
    if (orphanPid != null) {
      long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (!Files.isRegularFile(orphanPid) && System.nanoTime() < end) {
        Thread.sleep(50);
      }
    }

    coordinator.requestCancel();
    RunState end = run.get(1, TimeUnit.MINUTES); // a deadline: minutes of expansion must not be waited for

    assertThat(end.state()).isEqualTo(RuntimeState.CANCELED);
    assertThat(end.require("slow").state()).isEqualTo(RuntimeState.CANCELED);
    directory.close();
    RunSummary onDisk = io.kfpci.report.RunSummaryJson.read(directory.summaryFile());
    assertThat(onDisk.state()).as("summary.json is final").isEqualTo(RuntimeState.CANCELED);
    assertThat(onDisk.tasks()).extracting(TaskSummary::state).containsExactly(RuntimeState.CANCELED);
    return lines;
  }
}
