package io.kfpci.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfpci.KfpException;
import io.kfpci.local.internal.IrFixtures;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RuntimeState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runner's safety through its public API, on hand-written shell pipelines: names that
 * would leave the run stop it before anything exists, secret parameters reach no file but the
 * task's own executor input, every runner file has its stated mode, and a run directory has one
 * runner at a time.
 */
class LocalRunSafetyTest {
  @TempDir Path root;

  private LocalRunSpec.Builder spec(Path pipeline) {
    return LocalRunSpec.builder().pipeline(pipeline).pipelineRoot(root.resolve("runs")).parallelism(2);
  }

  @Test
  void aPipelineNamingPathsOutsideItsRunIsRefusedBeforeAnythingIsCreatedOrDeleted() throws Exception {
    Path victim = Files.writeString(root.resolve("victim"), "keep me");
    List<Path> pipelines = List.of(
        IrFixtures.write(root.resolve("a"), "task-up", List.of(), IrFixtures.Task.shell("../up", "true")),
        IrFixtures.write(root.resolve("b"), "task-abs", List.of(),
            IrFixtures.Task.shell(root.resolve("abs").toString(), "true")),
        IrFixtures.write(root.resolve("c"), "param-up", List.of(),
            new IrFixtures.Task("t", "../../../../victim", null, List.of("true"))),
        IrFixtures.write(root.resolve("d"), "artifact-abs", List.of(),
            new IrFixtures.Task("t", null, victim.toString(), List.of("true"))),
        IrFixtures.write(root.resolve("e"), "../../escape", List.of(), IrFixtures.Task.shell("t", "true")),
        IrFixtures.write(root.resolve("f"), "C:", List.of(), IrFixtures.Task.shell("t", "true")),
        IrFixtures.write(root.resolve("g"), "ok", List.of(), IrFixtures.Task.shell("task:stream", "true")));

    for (Path pipeline : pipelines) {
      // The validator may see it first; whoever refuses, nothing runs and nothing is touched.
      assertThatThrownBy(() -> LocalRunner.prepare(spec(pipeline).build(), RunListener.NONE))
          .as(pipeline.toString()).isInstanceOf(KfpException.class);
    }
    assertThat(victim).hasContent("keep me");
    assertThat(root.resolve("runs")).doesNotExist();
    assertThat(root.resolve("abs")).doesNotExist();
    try (Stream<Path> files = Files.list(root)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a", "b", "c", "d", "e",
          "f", "g", "victim");
    }
  }

  @Test
  void aSecretParameterIsMaskedEverywhereButTheTasksOwnExecutorInputWhichIsPrivate() throws Exception {
    String key = "k3y-" + UUID.randomUUID();
    String password = "pa\"ss\\-" + UUID.randomUUID();
    Path pipeline = IrFixtures.write(root.resolve("src"), "secrets", List.of("api_key", "db_password", "greeting"),
        new IrFixtures.Task("show", "n", null, List.of("sh", "-c",
            "echo \"key=$0 pw=$1 hello $2\"; printf done > \"$3\"", "{{$.inputs.parameters['api_key']}}",
            "{{$.inputs.parameters['db_password']}}", "{{$.inputs.parameters['greeting']}}",
            "{{$.outputs.parameters['n'].output_file}}")),
        new IrFixtures.Task("fail", null, null, List.of("sh", "-c", "echo \"failing with $0\"; exit 3",
            "{{$.inputs.parameters['api_key']}}")));
    List<String> console = Collections.synchronizedList(new ArrayList<>());
    List<RunSummary> summaries = Collections.synchronizedList(new ArrayList<>());

    LocalRunner runner = LocalRunner.prepare(spec(pipeline).runId("s1")
        .parameters(Map.of("api_key", key, "db_password", password, "greeting", "world"))
        .secretParameters(List.of("api_key")).build(), new RunListener() {
          @Override
          public void line(String line) {
            console.add(line);
          }

          @Override
          public void summary(RunSummary summary) {
            summaries.add(summary);
          }
        });
    RunSummary summary = runner.run();

    assertThat(summary.state()).isEqualTo(RuntimeState.FAILED);
    assertThat(summary.parameters().get("api_key").asText()).isEqualTo("****");
    assertThat(summary.parameters().get("db_password").asText()).as("secret by its name").isEqualTo("****");
    assertThat(summary.parameters().get("greeting").asText()).isEqualTo("world");
    assertThat(LocalPipelines.task(summary, "fail").logTail()).containsExactly("failing with ****");
    assertThat(console).contains("[show] key=**** pw=**** hello world");
    assertThat(console).noneMatch(l -> l.contains(key) || l.contains(password));
    assertThat(summaries).isNotEmpty().allSatisfy(s -> assertThat(s.toString()).doesNotContain(key, password));

    Path runDir = runner.runDirectory();
    List<Path> holding = new ArrayList<>();
    Set<String> runnerFiles = Set.of("summary.json", "run.log", "spec.json", "runner.json", "report.html",
        "pipeline.yaml", "task.log", ".attempt.json");
    try (Stream<Path> walk = Files.walk(runDir)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        String escaped = new ObjectMapper().writeValueAsString(password);
        if (text.contains(key) || text.contains(password) || text.contains(escaped.substring(1, escaped.length() - 1))) {
          holding.add(file);
        }
        String name = file.getFileName().toString();
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        if (name.equals("executor_input.json") || name.equals(".lock")) {
          assertThat(mode).as(file.toString()).isEqualTo("rw-------");
        } else if (runnerFiles.contains(name)) {
          assertThat(mode).as(file.toString()).isEqualTo("rw-r--r--");
        }
      }
    }
    assertThat(holding).containsExactlyInAnyOrder(runDir.resolve("show/executor_input.json"),
        runDir.resolve("fail/executor_input.json"));
    assertThat(Files.readString(runDir.resolve("show/task.log"))).isEqualTo("key=**** pw=**** hello world\n");

    JsonNode saved = new ObjectMapper().readTree(runDir.resolve("spec.json").toFile());
    assertThat(saved.get("secret_params").toString()).isEqualTo("[\"api_key\",\"db_password\"]");
    assertThat(saved.get("parameters").toString()).isEqualTo("{\"greeting\":\"world\"}");
    assertThatThrownBy(() -> LocalRunner.prepare(LocalRunSpec.builder().resume(runDir).build(), RunListener.NONE))
        .isInstanceOf(LocalRunException.class)
        .hasMessage("the run in " + runDir + " has secret parameters, which are not saved in the run directory:"
            + " give them again, e.g. kfpci run --resume " + runDir + " -p api_key=... -p db_password=...");
  }

  @Test
  void aSecretParamThatThePipelineDoesNotHaveIsAnError() throws Exception {
    Path pipeline = IrFixtures.write(root.resolve("src"), "secrets", List.of("greeting"),
        IrFixtures.Task.shell("t", "true"));
    assertThatThrownBy(() -> LocalRunner.prepare(spec(pipeline).parameters(Map.of("greeting", "x"))
        .secretParameters(List.of("greting")).build(), RunListener.NONE))
        .isInstanceOf(LocalRunException.class)
        .hasMessage("--secret-param greting: the pipeline has no parameter 'greting' (its parameters: greeting)");
  }

  @Test
  void aSecondRunnerOfTheSameRunDirectoryIsRefusedWhileTheFirstHoldsIt() throws Exception {
    Path pipeline = IrFixtures.write(root.resolve("src"), "locks", List.of(), IrFixtures.Task.shell("t", "echo ran"));
    LocalRunner first = LocalRunner.prepare(spec(pipeline).runId("held").build(), RunListener.NONE);
    Path runDir = first.runDirectory();

    assertThatThrownBy(() -> LocalRunner.prepare(LocalRunSpec.builder().resume(runDir).build(), RunListener.NONE))
        .isInstanceOf(LocalRunException.class)
        .hasMessage("the run in " + runDir + " is in use by another runner in this process (pid "
            + ProcessHandle.current().pid() + "), which holds its lock (.lock); wait for that run to end, or cancel"
            + " it (kill -TERM with its pid), then resume it again with --resume " + runDir);
    assertThatThrownBy(() -> LocalRunner.prepare(spec(pipeline).runId("held").build(), RunListener.NONE))
        .isInstanceOf(LocalRunException.class);

    assertThat(first.run().state()).isEqualTo(RuntimeState.SUCCEEDED);
    LocalRunner resumed = LocalRunner.prepare(LocalRunSpec.builder().resume(runDir).build(), RunListener.NONE);
    assertThat(resumed.run().state()).as("the lock went with the first run").isEqualTo(RuntimeState.SUCCEEDED);
  }
}
