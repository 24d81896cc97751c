package io.kfpci.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GateRulesTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "test_accuracy >= 0.85|test_accuracy|GREATER_OR_EQUAL|0.85",
      "test_accuracy>0.85|test_accuracy|GREATER|0.85",
      "  loss <= 0.2  |loss|LESS_OR_EQUAL|0.2",
      "evaluate/metrics/latency_ms < 200|evaluate/metrics/latency_ms|LESS|200",
      "rows == 60|rows|EQUAL|60",
      "rows != 0|rows|NOT_EQUAL|0",
      "for-loop-2[3]/train/metrics/acc >= 0.5|for-loop-2[3]/train/metrics/acc|GREATER_OR_EQUAL|0.5",
      "\"weird name\" > 1|weird name|GREATER|1"})
  void parsesMetricComparisonAndThreshold(String text, String metric, Comparison comparison, String threshold)
      throws GateException {
    GateRule rule = GateRules.parse(text, RuleSeverity.WARN, "--warn 1");

    assertThat(rule.metric()).isEqualTo(metric);
    assertThat(rule.comparison()).isEqualTo(comparison);
    assertThat(rule.threshold().text()).isEqualTo(threshold);
    assertThat(rule.threshold().usesBaseline()).isFalse();
    assertThat(rule.severity()).isEqualTo(RuleSeverity.WARN);
    assertThat(rule.text()).isEqualTo(text.strip());
  }

  @Test
  void thresholdsDoArithmeticOverBaselineInDoubles() throws GateException {
    Threshold t = GateRules.parse("test_f1 > baseline - 0.01", RuleSeverity.FAIL, "r").threshold();
    assertThat(t.usesBaseline()).isTrue();
    assertThat(t.evaluate(0.9)).isEqualTo(0.9 - 0.01);
    // Integer literals mix with the double baseline (CEL alone would refuse baseline - 1).
    assertThat(GateRules.parse("x < baseline * 2 + 1", RuleSeverity.FAIL, "r").threshold().evaluate(3.0)).isEqualTo(7.0);
    assertThat(GateRules.parse("x < -(baseline / 4)", RuleSeverity.FAIL, "r").threshold().evaluate(2.0)).isEqualTo(-0.5);
    assertThat(GateRules.parse("x < 1e3", RuleSeverity.FAIL, "r").threshold().evaluate(null)).isEqualTo(1000.0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "test_accuracy >= 0.8x|21|extraneous input 'x'",
      "test_accuracy|14|expected a comparison (>=, >, <=, <, ==, !=) after the metric 'test_accuracy'",
      "test_accuracy = 0.8|15|expected a comparison (>=, >, <=, <, ==, !=) after the metric 'test_accuracy', found '='",
      "test_accuracy >=|17|the threshold is missing after '>='",
      ">= 0.8|1|a rule starts with a metric name",
      "acc >= foo + 1|8|unknown name 'foo'",
      "acc >= 'high'|8|a threshold is a number, not a string",
      "acc >= max(1, 2)|8|'max' is not allowed",
      "acc >= true|8|a threshold is a number, not a bool",
      "\"acc >= 1|1|the quoted metric name has no closing '\"'"})
  void aRuleThatDoesNotParsePointsAtTheColumn(String text, int column, String reason) {
    assertThatThrownBy(() -> GateRules.parse(text, RuleSeverity.FAIL, "--rule 2"))
        .isInstanceOf(GateException.class)
        .hasMessageStartingWith("--rule 2: cannot read rule '" + text + "' at column " + column + ": ")
        .hasMessageContaining(reason)
        // The caret line points at the column under the rule, indented like it.
        .hasMessageEndingWith("\n  " + text + "\n  " + " ".repeat(column - 1) + "^");
  }

  @Test
  void anEmptyRuleSaysHowToWriteOne() {
    assertThatThrownBy(() -> GateRules.parse("  ", RuleSeverity.FAIL, "--rule 1"))
        .hasMessageContaining("the rule is empty; write it as METRIC OP THRESHOLD, e.g. test_accuracy >= 0.85");
  }

  @Test
  void loadsARulesFileWithSeveritiesAndOrigins() throws Exception {
    Path file = write("gates.yaml", """
        # kept beside the pipeline
        rules:
          - test_accuracy >= 0.85
          - rule: test_f1 > baseline - 0.01
            severity: warn
          - {rule: "latency_ms < 200", severity: FAIL}
        """);

    List<GateRule> rules = GateRules.load(file);

    assertThat(rules).extracting(GateRule::text)
        .containsExactly("test_accuracy >= 0.85", "test_f1 > baseline - 0.01", "latency_ms < 200");
    assertThat(rules).extracting(GateRule::severity)
        .containsExactly(RuleSeverity.FAIL, RuleSeverity.WARN, RuleSeverity.FAIL);
    assertThat(rules).extracting(GateRule::origin)
        .containsExactly(file + ":3", file + ":4", file + ":6");
  }

  @Test
  void rulesFileErrorsNameTheFileAndLine() throws Exception {
    assertThatThrownBy(() -> GateRules.load(write("a.yaml", "rules:\n  - rule: acc > 1\n    severity: fatal\n")))
        .hasMessage(dir.resolve("a.yaml") + ":3: severity 'fatal' is not one of fail, warn");
    assertThatThrownBy(() -> GateRules.load(write("b.yaml", "rules:\n  - rule: acc > 1\n    sevrity: warn\n")))
        .hasMessage(dir.resolve("b.yaml") + ":3: unknown key 'sevrity' in a rule; the keys are 'rule' and 'severity'");
    assertThatThrownBy(() -> GateRules.load(write("c.yaml", "gates:\n  - acc > 1\n")))
        .hasMessage(dir.resolve("c.yaml") + ":1: unknown key 'gates'; a rules file has one key, 'rules'");
    assertThatThrownBy(() -> GateRules.load(write("d.yaml", "rules:\n  - severity: warn\n")))
        .hasMessage(dir.resolve("d.yaml") + ":2: the rule has no 'rule' key");
    assertThatThrownBy(() -> GateRules.load(write("e.yaml", "rules:\n  - acc >> 1\n")))
        .hasMessageStartingWith(dir.resolve("e.yaml") + ":2: cannot read rule 'acc >> 1' at column 6: ");
    assertThatThrownBy(() -> GateRules.load(write("f.yaml", "rules: [acc > 1\n")))
        .hasMessageStartingWith(dir.resolve("f.yaml") + ":").hasMessageContaining(": not valid YAML: ");
    assertThatThrownBy(() -> GateRules.load(write("g.yaml", "- acc > 1\n")))
        .hasMessage(dir.resolve("g.yaml") + ":1: a rules file is a mapping with a 'rules' list");
    assertThatThrownBy(() -> GateRules.load(dir.resolve("missing.yaml")))
        .hasMessage("rules file " + dir.resolve("missing.yaml") + " does not exist or is not a regular file");
  }

  @Test
  void aHugeRulesFileIsRefusedBeforeReading() throws Exception {
    Path big = dir.resolve("big.yaml");
    try (var f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(GateRules.MAX_FILE_BYTES + 1);
    }
    assertThatThrownBy(() -> GateRules.load(big))
        .hasMessage("rules file " + big + " is larger than " + GateRules.MAX_FILE_BYTES + " bytes; is it the right file?");
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }
}
