package io.kfpci.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.problem.Problem;
import io.kfpci.testing.Fixtures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Preflight of run parameters against the pipeline's root inputs (KFP110 to KFP112). */
class RunParametersTest {
  private static final String INPUTS = "$.root.inputDefinitions.parameters.";

  private static PipelineDocument pipeline(String fixture) {
    try {
      return Fixtures.load(RunParametersTest.class, fixture);
    } catch (InvalidPipelineException e) {
      throw new AssertionError(e);
    }
  }

  private static List<Problem> check(String... assignments) {
    return RunParameters.check(pipeline("params.yaml"), RunParameters.parseAssignments(List.of(assignments)));
  }

  @Test
  void requiredParameterGivenAndTheRestDefaultedIsFine() {
    assertThat(check("data_path=examples/data/training.csv")).isEmpty();
  }

  @Test
  void unknownNameGetsDidYouMeanAndTheListOfParameters() {
    List<Problem> problems = check("data_path=x", "epoch=3");

    assertThat(Fixtures.lines(problems)).containsExactly("error KFP110 -p epoch " + INPUTS + "epoch: pipeline"
        + " 'params' has no parameter 'epoch'; did you mean 'epochs'?");
    assertThat(problems.get(0).hint())
        .isEqualTo("its parameters are: config, data_path, deploy, epochs, layers, notes, rate");
  }

  @Test
  void unknownNameOfAPipelineWithoutParametersSaysSo() {
    List<Problem> problems = RunParameters.check(pipeline("no-params.yaml"), Map.of("epochs", "3"));

    assertThat(Fixtures.lines(problems)).containsExactly(
        "error KFP110 -p epochs " + INPUTS + "epochs: pipeline 'no-params' has no parameter 'epochs'");
    assertThat(problems.get(0).hint()).isEqualTo("the pipeline takes no parameters");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "epochs | 3.5      | NUMBER_INTEGER | is not a whole number | 10",
      "epochs | ten      | NUMBER_INTEGER | is not a whole number | 10",
      "rate   | fast     | NUMBER_DOUBLE  | is not a number       | 0.5",
      "rate   | NaN      | NUMBER_DOUBLE  | is not a number       | 0.5",
      "deploy | yes      | BOOLEAN        | is not true or false  | true",
      "layers | {\"a\": 1} | LIST         | is not a JSON list    | '[\"a\", \"b\"]'",
      "layers | [1, 2    | LIST           | is not valid JSON     | '[\"a\", \"b\"]'",
      "config | [1]      | STRUCT         | is not a JSON object  | '{\"key\": \"value\"}'",
  })
  void wrongTypeIsAnErrorSayingWhatIsWrong(String name, String value, String type, String reason, String example) {
    List<Problem> problems = check("data_path=x", name + "=" + value);

    assertThat(Fixtures.lines(problems)).containsExactly("error KFP111 -p " + name + " " + INPUTS + name
        + ": parameter '" + name + "' is " + type + ", but '" + value + "' " + reason);
    assertThat(problems.get(0).hint()).isEqualTo("for example -p " + name + "=" + example);
  }

  @Test
  void missingRequiredParameterIsReportedAtItsDeclaration() {
    List<Problem> problems = check("epochs=3");

    assertThat(Fixtures.lines(problems)).containsExactly("error KFP112 params.yaml:8:7 " + INPUTS + "data_path:"
        + " required parameter 'data_path' (STRING) is not given");
    assertThat(problems.get(0).hint()).isEqualTo("pass -p data_path=VALUE");
  }

  @Test
  void resolveTypesTheValuesByTheirDeclaredTypes() throws InvalidPipelineException {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("data_path", "s3://bucket/data.csv");
    given.put("epochs", " 30 ");
    given.put("rate", "1e-3");
    given.put("deploy", "TRUE");
    given.put("layers", "[128, 64]");
    given.put("config", "{\"optimizer\": \"sgd\"}");

    Map<String, JsonNode> values = RunParameters.resolve(pipeline("params.yaml"), given);

    assertThat(values.get("data_path").textValue()).isEqualTo("s3://bucket/data.csv");
    assertThat(values.get("epochs").isIntegralNumber()).isTrue();
    assertThat(values.get("epochs").longValue()).isEqualTo(30);
    assertThat(values.get("rate").doubleValue()).isEqualTo(0.001);
    assertThat(values.get("deploy").booleanValue()).isTrue();
    assertThat(values.get("layers").toString()).isEqualTo("[128,64]");
    assertThat(values.get("config").toString()).isEqualTo("{\"optimizer\":\"sgd\"}");
    // Defaults stay in the pipeline: only what was given is resolved.
    assertThat(values).doesNotContainKeys("notes");
  }

  @Test
  void resolveThrowsWithEveryProblem() {
    assertThatThrownBy(() -> RunParameters.resolve(pipeline("params.yaml"), Map.of("epochs", "x")))
        .isInstanceOfSatisfying(InvalidPipelineException.class, e -> assertThat(e.problems())
            .extracting(Problem::ruleId).containsExactlyInAnyOrder("KFP111", "KFP112"));
  }

  @Test
  void assignmentsSplitAtTheFirstEqualsSign() {
    assertThat(RunParameters.parseAssignments(List.of("filter=a=b", " name =x", "empty=")))
        .containsExactly(Map.entry("filter", "a=b"), Map.entry("name", "x"), Map.entry("empty", ""));
    assertThatThrownBy(() -> RunParameters.parseAssignments(List.of("epochs")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("run parameter 'epochs' is not name=value");
    assertThatThrownBy(() -> RunParameters.parseAssignments(List.of("=3")))
        .hasMessage("run parameter '=3' is not name=value");
  }
}
