package io.kfpci.validate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.kfpci.ir.FieldPath;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.problem.Problem;
import io.kfpci.problem.Rule;
import io.kfpci.testing.Fixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** KFP013: a name that would become a path outside the run is an error, wherever it is. */
class NameRulesTest {
  /** Every name a runner may turn into a path, as a ${SLOT} filled with a JSON-quoted string. */
  private static final String TEMPLATE = """
      components:
        ${COMP}:
          executorLabel: ${EXEC}
          inputDefinitions:
            parameters:
              ${IN}:
                parameterType: NUMBER_INTEGER
          outputDefinitions:
            artifacts:
              ${OUTA}:
                artifactType:
                  schemaTitle: system.Model
                  schemaVersion: 0.0.1
            parameters:
              ${OUTP}:
                parameterType: NUMBER_DOUBLE
      deploymentSpec:
        executors:
          ${EXEC}:
            container:
              image: python:3.11
              command: [train]
              args:
              - "{{$.inputs.parameters['${IN_}']}}"
              - "{{$.outputs.parameters['${OUTP_}'].output_file}}"
              - "{{$.outputs.artifacts['${OUTA_}'].path}}"
      pipelineInfo:
        name: names
      root:
        dag:
          outputs:
            parameters:
              ${DOUT}:
                valueFromParameter:
                  outputParameterKey: ${OUTP}
                  producerSubtask: ${TASK}
          tasks:
            ${TASK}:
              componentRef:
                name: ${COMP}
              inputs:
                parameters:
                  ${IN}:
                    componentInputParameter: ${ROOTIN}
              taskInfo:
                name: train
        inputDefinitions:
          parameters:
            ${ROOTIN}:
              parameterType: NUMBER_INTEGER
        outputDefinitions:
          parameters:
            ${DOUT}:
              parameterType: NUMBER_DOUBLE
      schemaVersion: 2.1.0
      sdkVersion: kfp-2.17.3
      """;
  private static final Map<String, String> SAFE = Map.of("COMP", "comp-train", "EXEC", "exec-train", "IN",
      "epochs", "OUTA", "model", "OUTP", "score", "DOUT", "Output", "TASK", "train", "ROOTIN", "epochs");

  private static String pipeline(Map<String, String> names) {
    String text = TEMPLATE;
    for (Map.Entry<String, String> e : names.entrySet()) {
      String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(e.getValue()));
      text = text.replace("${" + e.getKey() + "_}", escaped).replace("${" + e.getKey() + "}", "\"" + escaped + "\"");
    }
    return text;
  }

  private static List<Problem> problems(Map<String, String> names) {
    try {
      return Validator.validate(PipelineLoader.load("pipeline.yaml", pipeline(names).getBytes(UTF_8))).problems();
    } catch (InvalidPipelineException e) {
      throw new AssertionError("the template must load: " + e.problems(), e);
    }
  }

  private static Map<String, String> with(String slot, String name) {
    Map<String, String> names = new HashMap<>(SAFE);
    names.put(slot, name);
    return names;
  }

  @Test
  void theTemplateWithKfpNamesHasNoProblem() {
    assertThat(problems(SAFE)).isEmpty();
    assertThat(problems(Map.of("COMP", "comp-train.v2", "EXEC", "exec-train_2", "IN", "résultat", "OUTA",
        "Output", "OUTP", "metrics", "DOUT", "pipelinechannel--train-score", "TASK", "train-model", "ROOTIN",
        "..hidden"))).isEmpty();
  }

  @Test
  void anOutputParameterNamedWithDotDotIsAnErrorAtItsLine() {
    assertThat(Fixtures.lines(problems(with("OUTP", "../../../../tmp/somefile")))).containsExactly(
        "error KFP013 pipeline.yaml:15:9 $.components['comp-train'].outputDefinitions.parameters"
            + "['../../../../tmp/somefile']: output parameter name of component 'comp-train'"
            + " '../../../../tmp/somefile' cannot be used as a file name: it contains '/', a path separator");
    assertThat(problems(with("OUTP", "../../../../tmp/somefile")).get(0).hint()).isEqualTo(
        "the local runner makes files and directories from these names; use letters, digits, '-', '_' and '.'");
  }

  @Test
  void unsafeNamesAreErrorsInEveryPosition() {
    Map<String, List<String>> where = Map.of(
        "TASK", List.of("$.root.dag.tasks%s|task name in the root"),
        "COMP", List.of("$.components%s|component name"),
        "EXEC", List.of("$.deploymentSpec.executors%s|executor name"),
        "IN", List.of(
            "$.components['comp-train'].inputDefinitions.parameters%s|input parameter name of component 'comp-train'",
            "$.root.dag.tasks.train.inputs.parameters%s|input parameter name of task 'train'"),
        "OUTP", List.of(
            "$.components['comp-train'].outputDefinitions.parameters%s|output parameter name of component"
                + " 'comp-train'"),
        "OUTA", List.of(
            "$.components['comp-train'].outputDefinitions.artifacts%s|output artifact name of component"
                + " 'comp-train'"),
        "DOUT", List.of(
            "$.root.outputDefinitions.parameters%s|output parameter name of the root",
            "$.root.dag.outputs.parameters%s|DAG output parameter name of the root"),
        "ROOTIN", List.of("$.root.inputDefinitions.parameters%s|input parameter name of the root"));
    Map<String, String> reasons = Map.of(
        "../../../../tmp/somefile", "it contains '/', a path separator",
        "/etc/passwd", "it contains '/', a path separator",
        "..\\..\\evil", "it contains '\\', a path separator",
        "..", "a name made only of dots and spaces names the directory itself or its parent",
        ".", "a name made only of dots and spaces names the directory itself or its parent",
        "C:", "it contains ':' (a drive letter or stream name on Windows)",
        "C:\\Windows", "it contains ':' (a drive letter or stream name on Windows)",
        "nul\0byte", "it contains the control character \\u0000",
        "x".repeat(300), "it is longer than 255 bytes");
    for (Map.Entry<String, List<String>> slot : where.entrySet()) {
      for (Map.Entry<String, String> bad : reasons.entrySet()) {
        String shown = bad.getKey().replace("\0", "\\u0000");
        Set<String> expected = slot.getValue().stream().map(spec -> {
          String[] parts = spec.split("\\|");
          String path = String.format(parts[0], FieldPath.ROOT.key(bad.getKey()).toString().substring(1)
              .replace("\0", "\\u0000"));
          return path + " " + parts[1] + " '" + shown + "' cannot be used as a file name: " + bad.getValue();
        }).collect(Collectors.toSet());

        Set<String> actual = problems(with(slot.getKey(), bad.getKey())).stream()
            .filter(p -> p.rule() == Rule.SAFE_NAME)
            .map(p -> p.jsonPath() + " " + p.message())
            .collect(Collectors.toSet());

        assertThat(actual).as("%s named '%s'", slot.getKey(), shown).isEqualTo(expected);
      }
    }
  }

  /** A ParallelFor in a DAG component, artifacts in and out, and a platform spec. */
  private static final String LOOP_TEMPLATE = """
      components:
        comp-for-loop-1:
          dag:
            outputs:
              artifacts:
                ${DOUTA}:
                  artifactSelectors:
                  - {outputArtifactKey: model, producerSubtask: ${INNER}}
            tasks:
              ${INNER}:
                componentRef: {name: comp-print}
                inputs:
                  parameters:
                    x: {componentInputParameter: ${ITEM}}
          inputDefinitions:
            parameters:
              ${ITEM}: {parameterType: NUMBER_INTEGER}
          outputDefinitions:
            artifacts:
              ${DOUTA}:
                artifactType: {schemaTitle: system.Model, schemaVersion: 0.0.1}
                isArtifactList: true
        comp-print:
          executorLabel: ${EXEC}
          inputDefinitions:
            artifacts:
              ${INA}:
                artifactType: {schemaTitle: system.Dataset, schemaVersion: 0.0.1}
                isOptional: true
            parameters:
              x: {parameterType: NUMBER_INTEGER}
          outputDefinitions:
            artifacts:
              model:
                artifactType: {schemaTitle: system.Model, schemaVersion: 0.0.1}
      deploymentSpec:
        executors:
          ${EXEC}:
            container:
              image: alpine
              command: [echo, "{{$.inputs.parameters['x']}}", "{{$.outputs.artifacts['model'].path}}"]
      pipelineInfo:
        name: loop
      root:
        dag:
          tasks:
            for-loop-1:
              componentRef: {name: comp-for-loop-1}
              parameterIterator:
                itemInput: ${ITEM}
                items: {raw: '[1, 2]'}
      schemaVersion: 2.1.0
      ---
      platforms:
        kubernetes:
          deploymentSpec:
            executors:
              ${EXEC}:
                nodeSelector:
                  labels: {accelerator: nvidia-a100}
      """;
  private static final Map<String, String> LOOP_SAFE = Map.of("DOUTA", "models", "INNER", "print", "ITEM",
      "pipelinechannel--loop-item-param-1", "EXEC", "exec-print", "INA", "data");

  private static List<Problem> loopProblems(Map<String, String> names) {
    String text = LOOP_TEMPLATE;
    for (Map.Entry<String, String> e : names.entrySet()) {
      String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(e.getValue()));
      text = text.replace("${" + e.getKey() + "}", "\"" + escaped + "\"");
    }
    try {
      return Validator.validate(PipelineLoader.load("loop.yaml", text.getBytes(UTF_8))).problems();
    } catch (InvalidPipelineException e) {
      throw new AssertionError("the loop template must load: " + e.problems(), e);
    }
  }

  @Test
  void loopItemsNestedTasksArtifactsAndPlatformExecutorsAreCheckedToo() {
    assertThat(loopProblems(LOOP_SAFE)).isEmpty();
    Map<String, List<String>> where = Map.of(
        "ITEM", List.of(
            "$.components['comp-for-loop-1'].inputDefinitions.parameters%s|input parameter name of component"
                + " 'comp-for-loop-1'",
            "$.root.dag.tasks['for-loop-1'].parameterIterator.itemInput|loop item name of task 'for-loop-1'"),
        "INNER", List.of("$.components['comp-for-loop-1'].dag.tasks%s|task name in component 'comp-for-loop-1'"),
        "DOUTA", List.of(
            "$.components['comp-for-loop-1'].outputDefinitions.artifacts%s|output artifact name of component"
                + " 'comp-for-loop-1'",
            "$.components['comp-for-loop-1'].dag.outputs.artifacts%s|DAG output artifact name of component"
                + " 'comp-for-loop-1'"),
        "INA", List.of("$.components['comp-print'].inputDefinitions.artifacts%s|input artifact name of component"
            + " 'comp-print'"),
        "EXEC", List.of("$.deploymentSpec.executors%s|executor name",
            "$.platformSpec.platforms.kubernetes.deploymentSpec.executors%s|executor name"));
    for (String bad : List.of("../../../../tmp/x", "/abs", "..", "C:", "a\0b")) {
      String name = bad.replace("\\0", "\0");
      String shown = name.replace("\0", "\\u0000");
      for (Map.Entry<String, List<String>> slot : where.entrySet()) {
        Map<String, String> names = new HashMap<>(LOOP_SAFE);
        names.put(slot.getKey(), name);
        String segment = FieldPath.ROOT.key(name).toString().substring(1).replace("\0", "\\u0000");
        Set<String> expected = slot.getValue().stream().map(spec -> {
          String[] parts = spec.split("\\|");
          return String.format(parts[0], segment) + " " + parts[1] + " '" + shown + "' cannot be used as a file name";
        }).collect(Collectors.toSet());

        Set<String> actual = loopProblems(names).stream()
            .filter(p -> p.rule() == Rule.SAFE_NAME)
            .map(p -> p.jsonPath() + " " + p.message().substring(0, p.message().indexOf(" cannot be used") + 30))
            .collect(Collectors.toSet());

        assertThat(actual).as("%s named '%s'", slot.getKey(), shown).isEqualTo(expected);
      }
    }
  }
}
