package io.kfpci.ir;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.ir.Placeholder.ArtifactAttribute;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Parsing placeholders into what the validator checks and the local runner will substitute. */
class PlaceholdersTest {

  private static List<Placeholder> parsed(String value) {
    Placeholders.Scan scan = Placeholders.scan(value);
    assertThat(scan.malformed()).isEmpty();
    return scan.placeholders();
  }

  @Test
  void everyFormParsesIntoItsRecord() {
    assertThat(parsed("{{$}}")).containsExactly(new Placeholder.ExecutorInputJson("{{$}}"));
    assertThat(parsed("--epochs={{$.inputs.parameters['epochs']}}")).containsExactly(
        new Placeholder.InputParameter("{{$.inputs.parameters['epochs']}}", "epochs", Optional.empty()));
    assertThat(parsed("{{$.inputs.parameters[\"cfg\"].json_escape[2]}}")).containsExactly(
        new Placeholder.InputParameter("{{$.inputs.parameters[\"cfg\"].json_escape[2]}}", "cfg", Optional.of(2)));
    assertThat(parsed("{{$.inputs.artifacts['data'].metadata['rows']}}")).containsExactly(
        new Placeholder.InputArtifact("{{$.inputs.artifacts['data'].metadata['rows']}}", "data",
            ArtifactAttribute.METADATA_KEY, Optional.of("rows")));
    assertThat(parsed("{{$.outputs.artifacts['model'].uri}}")).containsExactly(new Placeholder.OutputArtifact(
        "{{$.outputs.artifacts['model'].uri}}", "model", ArtifactAttribute.URI, Optional.empty()));
    assertThat(parsed("{{$.outputs.parameters['score'].output_file}}")).containsExactly(
        new Placeholder.OutputParameterFile("{{$.outputs.parameters['score'].output_file}}", "score"));
    assertThat(parsed("{{$.outputs.output_file}}"))
        .containsExactly(new Placeholder.ExecutorOutputFile("{{$.outputs.output_file}}"));
  }

  @Test
  void artifactAttributesAndRunValues() {
    assertThat(parsed("{{$.inputs.artifacts['a']}} {{$.inputs.artifacts['a'].path}} {{$.inputs.artifacts['a'].metadata}}"))
        .extracting(p -> ((Placeholder.InputArtifact) p).attribute())
        .containsExactly(ArtifactAttribute.WHOLE, ArtifactAttribute.PATH, ArtifactAttribute.METADATA);
    for (Placeholder.RunValueKind kind : Placeholder.RunValueKind.values()) {
      String text = "{{$." + kind.key() + "}}";
      assertThat(parsed("x/" + text + "/y")).containsExactly(new Placeholder.RunValue(text, kind));
    }
  }

  @Test
  void malformedAndUnclosedPlaceholdersAreReported() {
    Placeholders.Scan scan = Placeholders.scan("{{$.inputs.parameter['x']}} and {{$.inputs.parameters['y']");

    assertThat(scan.placeholders()).isEmpty();
    assertThat(scan.malformed()).containsExactly(
        new Placeholders.Malformed("{{$.inputs.parameter['x']}}", "not a KFP placeholder"),
        new Placeholders.Malformed("{{$.inputs.parameters['y']", "unclosed '{{$'"));
  }

  @Test
  void plainTextHasNoPlaceholders() {
    assertThat(Placeholders.scan("python -c 'print({\"a\": 1})' {{ not-kfp }}").placeholders()).isEmpty();
    assertThat(Placeholders.scan("python -c 'print({\"a\": 1})' {{ not-kfp }}").malformed()).isEmpty();
  }

  @Test
  void structuralPlaceholdersAreRecognisedOnlyWhenWellFormed() {
    assertThat(Placeholders.structural("{\"Concat\": [\"a\", \"{{$.inputs.parameters['x']}}\"]}")).isPresent();
    assertThat(Placeholders.structural(" {\"IfPresent\": {\"InputName\": \"x\", \"Then\": [\"--x\"]}}")).isPresent();
    assertThat(Placeholders.structural("{\"Concat\": [\"a\"]")).isEmpty();
    assertThat(Placeholders.structural("{\"Concat\": [], \"extra\": 1}")).isEmpty();
    assertThat(Placeholders.structural("--flag")).isEmpty();
  }

  /**
   * json_escape[N] escapes the value as the inside of a JSON string N + 1 times. The input holds a
   * quote, a backslash, a newline, a tab, a control character, a slash and non-ASCII text, so each
   * escape rule shows in the bytes.
   */
  @Test
  void jsonEscapeEscapesTheValueOnceMorePerLevel() {
    String value = "a\"b\\c\nd\te\u0001f/é";
    assertThat(Placeholders.jsonEscape(value, 0)).isEqualTo("a\\\"b\\\\c\\nd\\te\\u0001f/é");
    assertThat(Placeholders.jsonEscape(value, 1))
        .isEqualTo("a\\\\\\\"b\\\\\\\\c\\\\nd\\\\te\\\\u0001f/é");
    assertThat(Placeholders.jsonEscape(value, 2)).isEqualTo(
        "a\\\\\\\\\\\\\\\"b\\\\\\\\\\\\\\\\c\\\\\\\\nd\\\\\\\\te\\\\\\\\u0001f/é");
    assertThat(Placeholders.jsonEscape(value, 1)).as("level N is level 0 applied N + 1 times")
        .isEqualTo(Placeholders.jsonEscape(Placeholders.jsonEscape(value, 0), 0));
    assertThat(Placeholders.jsonEscape("", 8)).isEmpty();
    assertThat(Placeholders.jsonEscape("\"", 8)).hasSize(512);
  }

  @Test
  void jsonEscapeBeyondTheLimitIsRefusedOnBothSides() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Placeholders.jsonEscape("x", 9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("json_escape[9] is beyond the limit of 8 (each level escapes the value once more, so it grows"
            + " exponentially)");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Placeholders.jsonEscape("x", -1))
        .isInstanceOf(IllegalArgumentException.class);
    String nine = "{{$.inputs.parameters['x'].json_escape[9]}}";
    assertThat(Placeholders.scan(nine).placeholders()).isEmpty();
    assertThat(Placeholders.scan(nine).malformed()).containsExactly(new Placeholders.Malformed(nine,
        "json_escape[9] is beyond the limit of 8 (each level escapes the value once more, so it grows"
            + " exponentially)"));
    assertThat(Placeholders.escapeBeyondTheLimit(nine)).contains("json_escape[9] is beyond the limit of 8 (each"
        + " level escapes the value once more, so it grows exponentially)");
    assertThat(Placeholders.escapeBeyondTheLimit("{{$.inputs.parameters['x'].json_escape[2147483648]}}"))
        .contains("json_escape[2147483648] is beyond the limit of 8 (each level escapes the value once more, so it"
            + " grows exponentially)");
    assertThat(Placeholders.escapeBeyondTheLimit("{{$.inputs.parameters['x'].json_escape[8]}}")).isEmpty();
    assertThat(Placeholders.escapeBeyondTheLimit("{{$.unknown}}")).isEmpty();
  }
}
