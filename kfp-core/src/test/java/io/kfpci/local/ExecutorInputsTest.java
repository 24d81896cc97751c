package io.kfpci.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.ir.proto.ComponentSpec;
import io.kfpci.local.internal.Artifact;
import io.kfpci.local.internal.ExecutorInputs;
import io.kfpci.local.internal.RunValues;
import io.kfpci.local.internal.Scopes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The launcher contract: the ExecutorInput document and placeholder substitution. */
class ExecutorInputsTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Path TASK = Path.of("/runs/p/r1/train");
  private static final RunValues RUN = new RunValues("p", "r1", Instant.parse("2026-01-02T03:04:05.123Z"),
      Path.of("/runs/p/r1"));

  private static ComponentSpec component() throws Exception {
    String yaml = """
        pipelineInfo: {name: p}
        schemaVersion: 2.1.0
        components:
          comp-train:
            executorLabel: exec-train
            inputDefinitions:
              parameters:
                epochs: {parameterType: NUMBER_INTEGER}
                name: {parameterType: STRING, isOptional: true}
              artifacts:
                data: {artifactType: {schemaTitle: system.Dataset, schemaVersion: 0.0.1}}
            outputDefinitions:
              parameters:
                score: {parameterType: NUMBER_DOUBLE}
              artifacts:
                model: {artifactType: {schemaTitle: system.Model, schemaVersion: 0.0.1}}
        deploymentSpec:
          executors:
            exec-train: {container: {image: busybox, command: [echo]}}
        root:
          dag:
            tasks:
              train: {componentRef: {name: comp-train}, taskInfo: {name: train}}
        """;
    return PipelineLoader.load("p.yaml", yaml.getBytes(StandardCharsets.UTF_8)).spec()
        .getComponentsMap().get("comp-train");
  }

  private static ExecutorInputs.Prepared prepared(Map<String, JsonNode> parameters) throws Exception {
    Artifact data = new Artifact("train_data", "system.Dataset", "0.0.1", "/runs/p/r1/prep/train_data",
        orderedMetadata(), 10, null, "prep");
    Scopes.Inputs inputs = new Scopes.Inputs(parameters, Map.of("data", List.of(data)), List.of());
    return ExecutorInputs.prepare(component(), inputs, new ExecutorInputs.Context(RUN, Path.of("/runs"),
        "train", "train", "", TASK));
  }

  @Test
  void theExecutorInputHoldsValuesArtifactsAndWhereEachOutputGoes() throws Exception {
    ExecutorInputs.Prepared p = prepared(Map.of("epochs", JSON.numberNode(3L)));

    assertThat(p.json()).isEqualTo("{\"inputs\":{\"parameterValues\":{\"epochs\":3},\"artifacts\":{\"data\":{\"artifacts\":"
        + "[{\"name\":\"train_data\",\"type\":{\"schemaTitle\":\"system.Dataset\",\"schemaVersion\":\"0.0.1\"},"
        + "\"uri\":\"/runs/p/r1/prep/train_data\",\"metadata\":{\"rows\":240,\"origin\":\"csv\"}}]}}},"
        + "\"outputs\":{\"parameters\":{\"score\":{\"outputFile\":\"/runs/p/r1/train/score\"}},\"artifacts\":{\"model\":"
        + "{\"artifacts\":[{\"name\":\"model\",\"type\":{\"schemaTitle\":\"system.Model\",\"schemaVersion\":\"0.0.1\"},"
        + "\"uri\":\"/runs/p/r1/train/model\",\"metadata\":{}}]}},\"outputFile\":\"/runs/p/r1/train/executor_output.json\"}}");
  }

  @Test
  void everyPlaceholderResolvesToItsValue() throws Exception {
    ExecutorInputs.Prepared p = prepared(Map.of("epochs", JSON.numberNode(3L), "name", JSON.textNode("say \"hi\"")));

    List<String> argv = ExecutorInputs.commandLine(List.of(
        "{{$.inputs.parameters['epochs']}}",
        "{{$.inputs.parameters['name'].json_escape[0]}}",
        "{{$.inputs.artifacts['data'].path}}",
        "{{$.inputs.artifacts['data'].uri}}",
        "{{$.inputs.artifacts['data'].metadata}}",
        "{{$.inputs.artifacts['data'].metadata['rows']}}",
        "{{$.outputs.parameters['score'].output_file}}",
        "{{$.outputs.artifacts['model'].path}}",
        "{{$.outputs.output_file}}",
        "{{$.pipeline_job_name}}/{{$.pipeline_task_name}}/{{$.pipeline_root}}/{{$.workspace_path}}",
        "{{$.pipeline_job_create_time_utc}}",
        "{{$.pipeline_job_uuid}}",
        "{{$.pipeline_job_resource_name}}",
        "{{$.pipeline_task_uuid}}"), p);

    assertThat(argv).containsExactly("3", "say \\\"hi\\\"", "/runs/p/r1/prep/train_data", "/runs/p/r1/prep/train_data",
        "{\"rows\":240,\"origin\":\"csv\"}", "240", "/runs/p/r1/train/score", "/runs/p/r1/train/model",
        "/runs/p/r1/train/executor_output.json", "p r1/train//runs//runs/p/r1/workspace", "2026-01-02T03:04:05Z",
        java.util.UUID.nameUUIDFromBytes("r1".getBytes(StandardCharsets.UTF_8)).toString(), "p-r1",
        RUN.taskUuid(""));
    assertThat(argv.get(argv.size() - 1)).matches("[0-9]+");
  }

  @Test
  void concatAndIfPresentExpandBeforeSubstitution() throws Exception {
    String ifPresent = "{\"IfPresent\": {\"InputName\": \"name\", \"Then\": [\"--name\", "
        + "\"{{$.inputs.parameters['name']}}\"], \"Else\": [\"--anonymous\"]}}";
    String concat = "{\"Concat\": [\"epochs=\", \"{{$.inputs.parameters['epochs']}}\", \"!\"]}";

    assertThat(ExecutorInputs.commandLine(List.of("run", ifPresent, concat),
        prepared(Map.of("epochs", JSON.numberNode(3L), "name", JSON.textNode("ada")))))
        .containsExactly("run", "--name", "ada", "epochs=3!");
    assertThat(ExecutorInputs.commandLine(List.of("run", ifPresent, concat), prepared(Map.of("epochs", JSON.numberNode(3L)))))
        .containsExactly("run", "--anonymous", "epochs=3!");
  }

  @Test
  void fStringArgumentsGetTheirReferencedInputsSubstituted() throws Exception {
    ExecutorInputs.Prepared p = prepared(Map.of("epochs", JSON.numberNode(3L),
        "pipelinechannel--up-Output", JSON.textNode("foo"),
        "name", JSON.textNode("{{$.inputs.parameters['pipelinechannel--up-Output']}}-bar")));

    assertThat(p.executorInput().at("/inputs/parameterValues/name").textValue()).isEqualTo("foo-bar");
  }

  /**
   * The runner substitutes json_escape[N] with the one implementation the IR side defines: the exact
   * bytes for N = 0, 1, 2, in a command element, an f-string self reference and inside a Concat.
   */
  @Test
  void jsonEscapeSubstitutesTheExactBytesForEachLevel() throws Exception {
    ExecutorInputs.Prepared p = prepared(Map.of("epochs", JSON.numberNode(3L), "name", JSON.textNode("a\"b\\c\nd")));

    List<String> argv = ExecutorInputs.commandLine(List.of(
        "{{$.inputs.parameters['name'].json_escape[0]}}",
        "{{$.inputs.parameters['name'].json_escape[1]}}",
        "{\"k\": \"{{$.inputs.parameters['name'].json_escape[2]}}\"}",
        "{\"Concat\": [\"[\", \"{{$.inputs.parameters['name'].json_escape[0]}}\", \"]\"]}",
        "{{$.inputs.parameters['epochs'].json_escape[1]}}"), p);

    assertThat(argv).containsExactly(
        "a\\\"b\\\\c\\nd",
        "a\\\\\\\"b\\\\\\\\c\\\\nd",
        "{\"k\": \"a\\\\\\\\\\\\\\\"b\\\\\\\\\\\\\\\\c\\\\\\\\nd\"}",
        "[a\\\"b\\\\c\\nd]",
        "3");
    ExecutorInputs.Prepared selfReference = prepared(Map.of("epochs", JSON.numberNode(3L),
        "pipelinechannel--up-Output", JSON.textNode("say \"hi\""),
        "name", JSON.textNode("{\"msg\": \"{{$.inputs.parameters['pipelinechannel--up-Output'].json_escape[0]}}\"}")));
    assertThat(selfReference.executorInput().at("/inputs/parameterValues/name").textValue())
        .as("an f-string reference escapes as a command element does").isEqualTo("{\"msg\": \"say \\\"hi\\\"\"}");
  }

  /** A level beyond the validator's cap is refused at run time too, never passed on verbatim. */
  @Test
  void jsonEscapeBeyondTheLimitIsRefusedAtRunTime() throws Exception {
    ExecutorInputs.Prepared p = prepared(Map.of("epochs", JSON.numberNode(3L), "name", JSON.textNode("x")));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExecutorInputs.commandLine(
        List.of("echo", "--name={{$.inputs.parameters['name'].json_escape[9]}}"), p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("placeholder '{{$.inputs.parameters['name'].json_escape[9]}}': json_escape[9] is beyond the"
            + " limit of 8 (each level escapes the value once more, so it grows exponentially)");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExecutorInputs.commandLine(
        List.of("{{$.inputs.parameters['name'].json_escape[2000000000]}}"), p))
        .hasMessageEndingWith("json_escape[2000000000] is beyond the limit of 8 (each level escapes the value once"
            + " more, so it grows exponentially)");
    assertThat(ExecutorInputs.commandLine(List.of("{{$.inputs.parameters['name'].json_escape[8]}}"), p))
        .containsExactly("x");
  }

  /** A canceled attempt's worker is interrupted: the expansion stops at its next placeholder. */
  @Test
  void anInterruptedExpansionStopsAtItsNextPlaceholder() throws Exception {
    ExecutorInputs.Prepared p = prepared(Map.of("epochs", JSON.numberNode(3L), "name", JSON.textNode("x")));
    Thread.currentThread().interrupt();
    try {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExecutorInputs.commandLine(
          List.of("{{$.inputs.parameters['name'].json_escape[8]}}"), p))
          .isInstanceOf(java.util.concurrent.CancellationException.class)
          .hasMessage("canceled while expanding placeholders");
    } finally {
      Thread.interrupted();
    }
  }

  /** Metadata keeps the order the producer wrote it in; Map.of would shuffle it per JVM. */
  private static Map<String, com.fasterxml.jackson.databind.JsonNode> orderedMetadata() {
    Map<String, com.fasterxml.jackson.databind.JsonNode> metadata = new java.util.LinkedHashMap<>();
    metadata.put("rows", JSON.numberNode(240));
    metadata.put("origin", JSON.textNode("csv"));
    return metadata;
  }
}
