package io.kfpci.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kfpci.local.internal.Cel;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Trigger conditions and loop-item selectors, with the KFP driver's CEL semantics. */
class CelTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Map<String, JsonNode> INPUTS = Map.of(
      "pipelinechannel--acc", JSON.numberNode(0.87),
      "pipelinechannel--threshold", JSON.numberNode(0.7),
      "pipelinechannel--count", JSON.numberNode(3L),
      "pipelinechannel--coin", JSON.textNode("heads"),
      "pipelinechannel--valid", JSON.booleanNode(true));

  private static boolean eval(String condition) throws Cel.CelException {
    return Cel.condition(condition, INPUTS, Map.of());
  }

  @Test
  void conditionsCompileAsTheSdkWritesThem() throws Exception {
    assertThat(eval("inputs.parameter_values['pipelinechannel--acc'] >= "
        + "inputs.parameter_values['pipelinechannel--threshold']")).isTrue();
    assertThat(eval("int(inputs.parameter_values['pipelinechannel--count']) == 3")).isTrue();
    assertThat(eval("double(int(inputs.parameter_values['pipelinechannel--count'])) > 3.5")).isFalse();
    assertThat(eval("inputs.parameter_values['pipelinechannel--coin'] == 'heads'")).isTrue();
    assertThat(eval("!(inputs.parameter_values['pipelinechannel--coin'] == 'heads') && "
        + "inputs.parameter_values['pipelinechannel--coin'] == 'tails'")).isFalse();
    assertThat(eval("inputs.parameter_values['pipelinechannel--valid'] == true")).isTrue();
  }

  @Test
  void anIntegerInputIsADoubleAsInProtobufSoItComparesWithIntLiterals() throws Exception {
    assertThat(eval("inputs.parameter_values['pipelinechannel--count'] == 3")).isTrue();
  }

  @Test
  void aMissingInputOrANonBoolResultIsAnError() {
    assertThatThrownBy(() -> eval("inputs.parameter_values['nope'] == 1"))
        .isInstanceOf(Cel.CelException.class).hasMessageContaining("cannot be evaluated");
    assertThatThrownBy(() -> eval("inputs.parameter_values['pipelinechannel--coin']"))
        .isInstanceOf(Cel.CelException.class).hasMessageContaining("is not a bool");
    assertThatThrownBy(() -> eval("inputs.parameter_values[")).isInstanceOf(Cel.CelException.class)
        .hasMessageContaining("does not compile");
  }

  @Test
  void selectorsReadFieldsOfAStructItemThroughParseJson() throws Exception {
    JsonNode item = JSON.objectNode().put("who", "ada").put("age", 36);

    assertThat(Cel.select(item, "parseJson(string_value)[\"who\"]")).isEqualTo(JSON.textNode("ada"));
    assertThat(Cel.select(item, "struct_value['age']").asDouble()).isEqualTo(36.0);
  }
}
