package io.kfpci.local;

import static io.kfpci.local.LocalPipelines.compiled;
import static io.kfpci.local.LocalPipelines.run;
import static io.kfpci.local.LocalPipelines.task;
import static io.kfpci.local.LocalPipelines.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfpci.local.internal.PythonEnvironments;
import io.kfpci.python.Venv;
import io.kfpci.python.VenvManager;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the local runner must do what the KFP backend's driver does, on pipelines compiled with
 * the real kfp SDK: runtime placeholders given as task inputs (the upstream
 * pipeline_with_placeholders), the run's workspace (the upstream pipeline_with_workspace), the
 * PipelineTaskFinalStatus of an exit handler after success, and the pipeline's own outputs.
 */
class BackendFidelityTest {
  @TempDir Path root;

  @Test
  void runtimePlaceholdersInInputConstantsResolveAsTheDriverResolvesThem() throws Exception {
    RunSummary summary = run(compiled("fidelity", "placeholders"), root, Map.of());
    assertThat(summary.state()).isEqualTo(RuntimeState.SUCCEEDED);
    String runId = summary.runId();

    assertThat(text(summary, "print-op", "Output")).as("job name: the run's display name")
        .isEqualTo("pipeline-with-placeholders " + runId);
    String resourceName = text(summary, "print-op-2", "Output");
    assertThat(resourceName).as("job resource name: the Workflow name, generated from the pipeline name")
        .isEqualTo("pipeline-with-placeholders-" + runId.toLowerCase(java.util.Locale.ROOT))
        .matches("pipeline-with-placeholders-[a-z0-9-]+");
    assertThat(text(summary, "print-op-3", "Output")).as("job uuid")
        .isEqualTo(UUID.nameUUIDFromBytes(runId.getBytes(StandardCharsets.UTF_8)).toString())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(text(summary, "print-op-4", "Output")).as("task name: the task's key in its DAG")
        .isEqualTo("print-op-4");
    String taskUuid = text(summary, "print-op-5", "Output");
    assertThat(taskUuid).as("task uuid: the driver gives the id of the DAG execution, a number").matches("[1-9][0-9]*");
    String created = DateTimeFormatter.ISO_INSTANT.format(summary.createdAt().truncatedTo(ChronoUnit.SECONDS));
    assertThat(created).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(text(summary, "print-op-6", "Output")).as("create time, RFC 3339 to the second").isEqualTo(created);
    assertThat(text(summary, "print-op-7", "Output")).as("schedule time of an unscheduled run").isEqualTo(created);
    assertThat(text(summary, "print-op-8", "Output"))
        .as("the driver resolves a constant equal to a placeholder, not one inside a longer string")
        .isEqualTo("job {{$.pipeline_job_uuid}}");

    // The component saw the resolved value in its ExecutorInput, not only in our summary.
    JsonNode input = new ObjectMapper().readTree(runDir(summary).resolve("print-op-2/executor_input.json").toFile());
    assertThat(input.at("/inputs/parameterValues/value").textValue()).isEqualTo(resourceName);
    assertThat(task(summary, "print-op-2").logTail()).contains("job resource name: " + resourceName);
  }

  @Test
  void theWorkspacePlaceholderIsARealDirectoryOfTheRunAndThePipelineOutputIsInTheSummaryAndReport()
      throws Exception {
    RunSummary summary = run(compiled("fidelity", "workspace"), root, Map.of());
    assertThat(summary.state()).isEqualTo(RuntimeState.SUCCEEDED);
    Path workspace = runDir(summary).resolve("workspace");

    Path written = Path.of(text(summary, "write-to-workspace", "Output"));
    assertThat(written).isEqualTo(workspace.resolve("data/test_file.txt"));
    assertThat(written).hasContent("Hello from workspace!");
    assertThat(text(summary, "read-from-workspace", "Output")).isEqualTo("Hello from workspace!");

    RunSummary onDisk = RunSummaryJson.read(runDir(summary).resolve("summary.json"));
    assertThat(onDisk.outputs()).isNotNull();
    assertThat(onDisk.outputs().parameters()).containsOnlyKeys("Output");
    assertThat(onDisk.outputs().parameters().get("Output").textValue()).isEqualTo("Hello from workspace!");
    assertThat(onDisk.outputs().artifacts()).isEmpty();
    assertThat(Files.readString(runDir(summary).resolve("summary.json")))
        .contains("\"outputs\" : {\n    \"parameters\" : {\n      \"Output\" : \"Hello from workspace!\"");

    String report = Files.readString(runDir(summary).resolve("report.html"));
    assertThat(report).contains("<a href=\"#outputs\">Pipeline outputs</a>",
        "<section id=\"outputs\">\n<h2>Pipeline outputs <small>1</small></h2>",
        "<div data-pipeline-output=\"Output\"><dt>Output</dt><dd class=\"mono\">Hello from workspace!</dd></div>");
  }

  @Test
  void anExitHandlerAfterSuccessGetsWhatTheDriverSendsAndAnArtifactOutputIsRecorded() throws Exception {
    RunSummary summary = run(compiled("fidelity", "exit_success"), root, Map.of());
    assertThat(summary.state()).isEqualTo(RuntimeState.SUCCEEDED);

    // state | pipeline_task_name | pipeline_job_resource_name | error_code | error_message
    assertThat(text(summary, "report-status", "Output")).isEqualTo("COMPLETE|exit-handler-1|exit-success-"
        + summary.runId().toLowerCase(java.util.Locale.ROOT) + "|None|None");
    JsonNode input = new ObjectMapper().readTree(runDir(summary).resolve("report-status/executor_input.json").toFile());
    assertThat(input.at("/inputs/parameterValues/status").toString()).isEqualTo("{\"state\":\"COMPLETE\","
        + "\"pipelineJobResourceName\":\"exit-success-" + summary.runId().toLowerCase(java.util.Locale.ROOT)
        + "\",\"pipelineTaskName\":\"exit-handler-1\",\"error\":{}}");

    assertThat(summary.outputs().parameters()).isEmpty();
    assertThat(summary.outputs().artifacts()).hasSize(1);
    ArtifactSummary model = summary.outputs().artifacts().get(0);
    assertThat(model.name()).isEqualTo("Output");
    assertThat(model.type()).isEqualTo("system.Model");
    assertThat(model.producerTaskId()).isEqualTo("model");
    assertThat(model.path()).isEqualTo("model/out");
    assertThat(model.size()).isEqualTo(7);
    assertThat(model.sha256()).isEqualTo(sha256("weights"));
    assertThat(model.metadata().get("framework").textValue()).isEqualTo("none");
    assertThat(Files.readString(runDir(summary).resolve("report.html")))
        .contains("<tr data-pipeline-output=\"Output\" data-task=\"model\"><td class=\"name\">Output</td>");
  }

  @Test
  void aComponentRunningItsOwnPipInstallsIntoItsPrivateEnvironmentNeverTheSharedVenv() throws Exception {
    Venv shared = new PythonEnvironments(new VenvManager(LocalPipelines.PYTHON)).venvFor(List.of());
    String before = VenvManager.contentsDigest(shared.directory());
    assertThat(shared.directory().resolve(".kfpci-contents")).hasContent(before);

    RunSummary summary = run(compiled("fidelity", "own_pip_pipeline"), root, Map.of());

    assertThat(summary.state()).as("run error: %s", summary.error()).isEqualTo(RuntimeState.SUCCEEDED);
    assertThat(text(summary, "own-pip", "Output")).as("installed, importable, in the task's own environment")
        .isEqualTo("probe|" + runDir(summary).resolve("own-pip/.tmp/venv"));
    assertThat(text(summary, "probe-absent", "Output")).as("the next task does not see it").isEqualTo("absent");
    assertThat(summary.outputs().parameters().get("Output").textValue()).isEqualTo("absent");
    assertThat(VenvManager.contentsDigest(shared.directory())).as("the shared venv is untouched").isEqualTo(before);
    assertThat(shared.directory().resolve(".kfpci-contents")).hasContent(before);
    try (var entries = Files.walk(shared.directory().resolve("lib"), 3)) {
      assertThat(entries.map(p -> p.getFileName().toString())).doesNotContain("kfpci_probe",
          "kfpci_probe-1.0.dist-info");
    }
  }

  @Test
  void theUpstreamComponentWithPipInstallInVenvRunsAndLeavesItsVenvAsItWasMade() throws Exception {
    RunSummary summary = run(compiled("fidelity", "pip_install_in_venv"), root, Map.of());

    assertThat(summary.state()).as("run error: %s", summary.error()).isEqualTo(RuntimeState.SUCCEEDED);
    assertThat(task(summary, "component-with-pip-install").logTail()).anyMatch(l -> l.startsWith("[") && l.contains("'__file__'"));
    Venv layered = new PythonEnvironments(new VenvManager(LocalPipelines.PYTHON)).venvFor(List.of("yapf"));
    assertThat(layered.directory().resolve(".kfpci-contents"))
        .hasContent(VenvManager.contentsDigest(layered.directory()));
  }

  @Test
  void aBackendStubImageSaysItNeedsAClusterWhateverTheEngine() throws Exception {
    String expected = "task 'createpvc' failed: image argostub/createpvc is not a real image: on a cluster the"
        + " KFP backend's driver itself creates a PersistentVolumeClaim (kfp-kubernetes CreatePVC). It needs a KFP"
        + " cluster; no --engine runs it on this machine. Run the pipeline on KFP, or leave the Kubernetes volume"
        + " steps out of the pipeline you run locally.";
    for (Engine engine : List.of(Engine.LOCAL, Engine.DOCKER)) {
      RunSummary summary = run(compiled("fidelity", "pvc"), root.resolve(engine.name()), Map.of(),
          b -> b.engine(engine));

      assertThat(summary.state()).isEqualTo(RuntimeState.FAILED);
      assertThat(task(summary, "createpvc").error()).as("engine %s", engine).isEqualTo(expected);
      assertThat(task(summary, "createpvc").image()).isEqualTo("argostub/createpvc");
      assertThat(task(summary, "step").state()).isEqualTo(RuntimeState.SKIPPED);
      assertThat(summary.error()).isEqualTo(expected);
    }
  }

  private Path runDir(RunSummary summary) {
    return root.resolve(summary.pipelineName()).resolve(summary.runId());
  }

  private static String sha256(String text) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
