package io.kfpci.local;

import static io.kfpci.local.LocalPipelines.compiled;
import static io.kfpci.local.LocalPipelines.run;
import static io.kfpci.local.LocalPipelines.task;
import static io.kfpci.local.LocalPipelines.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kfpci.local.internal.Executions;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.problem.Problem;
import io.kfpci.problem.Rule;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.MetricSummary;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import io.kfpci.testing.RealParts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runner on pipelines compiled with the real kfp SDK, running real processes: control
 * flow, the launcher contract, caching, and what it does with tasks the agent cannot run.
 */
class LocalRunnerTest {
  @TempDir Path root;

  @Test
  void ifElifElseRunsExactlyOneBranchAndItsOneOfOutputFeedsTheNextCondition() throws Exception {
    Path pipeline = compiled("control_flow");

    RunSummary big = run(pipeline, root, Map.of("value", "12"));
    assertThat(big.state()).isEqualTo(RuntimeState.SUCCEEDED);
    assertThat(task(big, "condition-branches-1/condition-2/describe").state()).isEqualTo(RuntimeState.SUCCEEDED);
    assertThat(task(big, "condition-branches-1/condition-3").state()).isEqualTo(RuntimeState.SKIPPED);
    assertThat(task(big, "condition-branches-1/condition-4/describe-3").state()).isEqualTo(RuntimeState.SKIPPED);
    assertThat(text(big, "condition-5/join", "Output")).isEqualTo("BIG:12|24");

    RunSummary small = run(pipeline, root, Map.of());
    assertThat(text(small, "condition-branches-1/condition-3/describe-2", "Output")).isEqualTo("SMALL:5");
    assertThat(text(small, "condition-5/join", "Output")).isEqualTo("SMALL:5|10");

    RunSummary none = run(pipeline, root, Map.of("value", "-1"));
    assertThat(text(none, "condition-branches-1", "pipelinechannel--condition-branches-1-oneof-1"))
        .isEqualTo("NONE:-1");
    assertThat(task(none, "condition-5").state()).as("-2 > 4.5 is false").isEqualTo(RuntimeState.SKIPPED);
    assertThat(task(none, "condition-5/join").state()).isEqualTo(RuntimeState.SKIPPED);
    assertThat(none.state()).isEqualTo(RuntimeState.SUCCEEDED);
  }

  @Test
  void nestedLoopsRespectTheirParallelismAndCollectedOutputsArriveInIterationOrder() throws Exception {
    RunSummary summary = run(compiled("loops"), root, Map.of());

    assertThat(summary.state()).isEqualTo(RuntimeState.SUCCEEDED);
    List<Long> products = new ArrayList<>();
    for (int x = 0; x < 3; x++) {
      for (int y = 0; y < 2; y++) {
        products.add(task(summary, "for-loop-2[" + x + "]/for-loop-3[" + y + "]/multiply")
            .outputParameters().get("Output").asLong());
      }
    }
    assertThat(products).containsExactly(10L, 100L, 20L, 200L, 30L, 300L);
    List<TaskSummary> outer = summary.tasks().stream().filter(t -> "for-loop-2".equals(t.parentId())).toList();
    assertThat(outer).extracting(TaskSummary::iteration).containsExactly(0, 1, 2);
    assertThat(maxOverlap(outer)).as("parallelism=2 on the outer loop").isLessThanOrEqualTo(2);

    assertThat(task(summary, "total").outputParameters().get("Output").asLong()).isEqualTo(10100L);
    assertThat(task(summary, "for-loop-5").outputParameters().get("pipelinechannel--greet-Output").toString())
        .isEqualTo("[\"hello ada from london\",\"hello grace from nyc\"]");
    assertThat(text(summary, "bundle", "Output")).isEqualTo(
        "hello ada from london;hello grace from nyc#hello ada from london,hello grace from nyc");
    ArtifactSummary card = task(summary, "for-loop-5[1]/greet").artifacts().get(0);
    assertThat(card.path()).isEqualTo("for-loop-5[1]/greet/card");
    assertThat(card.size()).isEqualTo("hello grace from nyc".length());
    assertThat(card.metadata().get("name").asText()).isEqualTo("grace");
  }

  /** The most intervals open at one instant. */
  private static int maxOverlap(List<TaskSummary> tasks) {
    int max = 0;
    for (TaskSummary t : tasks) {
      Instant at = t.startedAt();
      int open = (int) tasks.stream().filter(o -> !o.startedAt().isAfter(at) && o.finishedAt().isAfter(at)).count();
      max = Math.max(max, open);
    }
    return max;
  }

  @Test
  void aRetrySucceedsOnItsThirdAttemptAndTheExitHandlerSeesTheLaterFailure() throws Exception {
    Path counter = Files.createDirectories(root.resolve("counter"));
    RunSummary summary = run(compiled("exit_retry"), root, Map.of("counter_dir", counter.toString()));

    TaskSummary flaky = task(summary, "exit-handler-1/flaky");
    assertThat(flaky.state()).isEqualTo(RuntimeState.SUCCEEDED);
    assertThat(flaky.attempts()).isEqualTo(3);
    assertThat(flaky.outputParameters().get("Output").asInt()).isEqualTo(3);
    String log = Files.readString(root.resolve(summary.pipelineName()).resolve(summary.runId()).resolve(flaky.log()));
    assertThat(log).contains("RuntimeError: attempt 1 fails", "--- attempt 2 ---", "--- attempt 3 ---");

    TaskSummary fail = task(summary, "exit-handler-1/fail");
    assertThat(fail.state()).isEqualTo(RuntimeState.FAILED);
    assertThat(fail.exitCode()).isEqualTo(3);
    assertThat(fail.logTail()).contains("failing on purpose: boom");
    assertThat(text(summary, "exit-handler-1/after-all", "Output"))
        .as("ignore_upstream_failure: runs, and gets its default for the failed producer's output")
        .isEqualTo("upstream gave nothing");
    assertThat(text(summary, "cleanup", "Output")).as("the driver sends an empty error: no code, no message").isEqualTo("FAILED|exit-handler-1|None");
    assertThat(summary.state()).isEqualTo(RuntimeState.FAILED);
    assertThat(summary.error()).isEqualTo("task 'exit-handler-1/fail' failed with exit code 3");
  }

  @Test
  void containerComponentsImportersAndNestedPipelinesFollowTheLauncherContract() throws Exception {
    Path data = Files.writeString(root.resolve("data.txt"), "hello data");
    RunSummary summary = run(compiled("containers", "containers"), root.resolve("runs"),
        Map.of("data_uri", data.toString()));

    assertThat(summary.state()).isEqualTo(RuntimeState.SUCCEEDED);
    assertThat(text(summary, "shout", "out")).isEqualTo("hi!?");
    Path runDir = root.resolve("runs").resolve("containers").resolve(summary.runId());
    assertThat(Files.readString(runDir.resolve("optional-flag/out"))).isEqualTo("args:--flag on optional-flag\n");
    assertThat(Files.readString(runDir.resolve("optional-flag-2/out"))).isEqualTo("args:--no-flag optional-flag-2\n");

    ArtifactSummary imported = task(summary, "inner-pipeline/importer").artifacts().get(0);
    assertThat(imported.uri()).isEqualTo(data.toString());
    assertThat(imported.path()).as("a file outside the pipeline's runs gets no path relative to the run").isNull();
    assertThat(imported.metadata().get("origin").asText()).isEqualTo("fixture");
    assertThat(imported.sha256()).isEqualTo(sha256("hello data"));
    assertThat(text(summary, "inner-pipeline", "Output")).isEqualTo("hello data|fixture");
    TaskSummary read = task(summary, "inner-pipeline/read-text");
    assertThat(read.metrics()).containsExactly(new MetricSummary("inner-pipeline/read-text", "metrics", "chars", 10.0));
    ArtifactSummary report = read.artifacts().stream().filter(a -> a.name().equals("report")).findFirst().orElseThrow();
    assertThat(report.type()).isEqualTo("system.ClassificationMetrics");
    assertThat(report.metadata().get("confusionMatrix").toString())
        .isEqualTo("{\"annotationSpecs\":[{\"displayName\":\"no\"},{\"displayName\":\"yes\"}],"
            + "\"rows\":[{\"row\":[3,1]},{\"row\":[0,4]}]}");
  }

  private static String sha256(String text) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void cachingHitsMissesOnNewInputsAndIgnoresEntriesWhoseArtifactIsGone() throws Exception {
    Path pipeline = compiled("caching");

    RunSummary first = run(pipeline, root, Map.of());
    assertThat(task(first, "produce").cached()).isFalse();
    assertThat(task(first, "consume").cached()).isFalse();
    assertThat(text(first, "consume", "Output")).isEqualTo("read 42");

    RunSummary second = run(pipeline, root, Map.of());
    assertThat(task(second, "produce").cached()).isTrue();
    assertThat(task(second, "produce").attempts()).isZero();
    assertThat(task(second, "consume").cached()).isTrue();
    assertThat(task(second, "produce").artifacts().get(0).uri()).as("the cached artifact is the first run's")
        .isEqualTo(task(first, "produce").artifacts().get(0).uri());

    RunSummary otherSeed = run(pipeline, root, Map.of("seed", "7"));
    assertThat(task(otherSeed, "produce").cached()).isFalse();
    assertThat(text(otherSeed, "consume", "Output")).isEqualTo("read 49");

    Path firstData = root.resolve("caching").resolve(first.runId()).resolve("produce/data");
    Files.delete(firstData);
    RunSummary afterDelete = run(pipeline, root, Map.of());
    assertThat(task(afterDelete, "produce").cached()).as("its artifact file is gone: a miss").isFalse();
    assertThat(task(afterDelete, "consume").cached()).as("same bytes again: its input is unchanged, a hit").isTrue();

    RunSummary noCache = run(pipeline, root, Map.of(), b -> b.noCache(true));
    assertThat(noCache.tasks().stream().filter(TaskSummary::cached)).isEmpty();
  }

  @Test
  void wrongRunParametersStopTheRunBeforeAnyTaskStarts() throws Exception {
    Path pipeline = compiled("control_flow");

    assertThatThrownBy(() -> run(pipeline, root, Map.of("valu", "3", "threshold", "high")))
        .isInstanceOfSatisfying(InvalidPipelineException.class, e -> {
          assertThat(e.problems()).extracting(Problem::rule)
              .containsExactlyInAnyOrder(Rule.RUN_PARAMETER_UNKNOWN, Rule.RUN_PARAMETER_TYPE);
          assertThat(e.problems()).extracting(Problem::message).anyMatch(m -> m.contains("'valu'")
              && m.contains("did you mean 'value'"));
        });
    assertThat(root.resolve("control-flow")).doesNotExist();
  }

  @Test
  void aProgramMissingOnTheAgentFailsTheTaskNamingTaskImageAndProgram() throws Exception {
    RunSummary summary = run(compiled("agent_checks", "missing_program"), root, Map.of());

    assertThat(summary.state()).isEqualTo(RuntimeState.FAILED);
    assertThat(task(summary, "vendor-tool").error()).isEqualTo("task 'vendor-tool' failed: image"
        + " ghcr.io/acme/vendor-tool:1.0: program 'kfpci-no-such-tool' is not on this machine's PATH; install it,"
        + " or use --engine docker or --engine podman to run the task in its image");
  }

  @Test
  void anEngineThatIsNotInstalledIsNamedInTheError() throws Exception {
    Engine missing = java.util.stream.Stream.of(Engine.PODMAN, Engine.DOCKER)
        .filter(e -> Executions.which(e.command(), System.getenv("PATH")).isEmpty()).findFirst().orElse(null);
    RealParts.require(missing != null, "this test needs a machine without podman or without docker,"
        + " and both are installed here");
    RunSummary summary = run(compiled("agent_checks", "missing_program"), root, Map.of(), b -> b.engine(missing));

    assertThat(task(summary, "vendor-tool").error()).isEqualTo("task 'vendor-tool' failed: image"
        + " ghcr.io/acme/vendor-tool:1.0: --engine " + missing.command() + " was asked for, but '" + missing.command()
        + "' is not installed on this machine");
  }

  @Test
  void aGpuRequestTheAgentCannotMeetWarnsOrFailsWithStrictResources() throws Exception {
    RealParts.require(!Files.exists(Path.of("/dev/nvidia0")), "this test needs a machine without a GPU,"
        + " and this one has /dev/nvidia0");
    Path pipeline = compiled("agent_checks", "gpu_request");

    RunSummary lenient = run(pipeline, root, Map.of());
    assertThat(lenient.state()).isEqualTo(RuntimeState.SUCCEEDED);
    String log = Files.readString(root.resolve("gpu-request").resolve(lenient.runId()).resolve("run.log"));
    assertThat(log).contains("[gpu-step] -- resources not enforced locally: accelerator nvidia.com/gpu x1"
        + " (this machine has 0)", "[gpu-step] -- warning: it asks for 1 nvidia.com/gpu but this machine has 0");

    RunSummary strict = run(pipeline, root, Map.of(), b -> b.strictResources(true).noCache(true));
    assertThat(strict.state()).isEqualTo(RuntimeState.FAILED);
    assertThat(task(strict, "gpu-step").error()).isEqualTo(
        "task 'gpu-step' failed: it asks for 1 nvidia.com/gpu but this machine has 0 (--strict-resources)");
  }

  @Test
  void theRunDirectoryFollowsTheSummaryContract() throws Exception {
    RunSummary summary = run(compiled("caching"), root, Map.of("seed", "3"), b -> b.runId("contract-1"));
    Path dir = root.resolve("caching/contract-1");

    RunSummary onDisk = RunSummaryJson.read(dir.resolve("summary.json"));
    assertThat(RunSummaryJson.toJson(onDisk)).isEqualTo(RunSummaryJson.toJson(summary));
    assertThat(onDisk.location().kind()).isEqualTo("local");
    assertThat(onDisk.location().root()).isEqualTo(dir.toString());
    assertThat(onDisk.parameters().get("seed").asLong()).isEqualTo(3L);
    assertThat(Files.readString(dir.resolve("runner.json"))).contains("\"pid\":" + ProcessHandle.current().pid());
    List<String> runLog = Files.readAllLines(dir.resolve("run.log"));
    assertThat(runLog).contains("[run] -- RUNNING", "[produce] -- RUNNING", "[consume] -- RUNNING", "[run] -- SUCCEEDED");
    assertThat(runLog).allMatch(l -> l.startsWith("["));
    TaskSummary produce = task(onDisk, "produce");
    assertThat(produce.log()).isEqualTo("produce/task.log");
    assertThat(Files.readString(dir.resolve(produce.log()))).contains("Wrote executor output file");
    ArtifactSummary data = produce.artifacts().get(0);
    assertThat(data.path()).isEqualTo("produce/data");
    assertThat(data.size()).isEqualTo(2);
    assertThat(data.sha256()).isEqualTo(sha256("21"));
    assertThat(produce.upstream()).isEmpty();
    assertThat(task(onDisk, "consume").upstream()).containsExactly(new TaskSummary.Edge("produce", "data"));
  }
}
