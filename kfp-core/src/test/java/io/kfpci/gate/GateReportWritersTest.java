package io.kfpci.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfpci.report.MetricSummary;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class GateReportWritersTest {
  private static GateReport report() throws GateException {
    List<MetricSummary> metrics = List.of(
        new MetricSummary("evaluate", "metrics", "test_accuracy", 0.8667),
        new MetricSummary("evaluate", "metrics", "test_f1", 0.8182),
        new MetricSummary("evaluate", "metrics", "bad\u0007name\u001b[2J", 1));
    return QualityGate.evaluate(List.of(
        GateRules.parse("test_accuracy >= 0.85", RuleSeverity.FAIL, "--rule 1"),
        GateRules.parse("test_f1 > baseline - 0.01", RuleSeverity.WARN, "--warn 1"),
        GateRules.parse("test_f1 >= 0.9", RuleSeverity.WARN, "--warn 2"),
        GateRules.parse("\"bad\u0007name\u001b[2J\" < 0", RuleSeverity.FAIL, "--rule 2"),
        GateRules.parse("latency_ms < 200", RuleSeverity.FAIL, "--rule 3")), "summary.json", metrics, null);
  }

  @Test
  void theTableShowsEachRuleItsNumbersAndVerdictAndWhyTheOthersDidNotPass() throws GateException {
    String table = GateReportWriters.table(report());

    assertThat(table).isEqualTo("""
        rule                          severity  measured  threshold  baseline  verdict
        test_accuracy >= 0.85         fail      0.8667    0.85       -         PASSED
        test_f1 > baseline - 0.01     warn      0.8182    -          -         NO-BASELINE
        test_f1 >= 0.9                warn      0.8182    0.9        -         WARNED
        "bad\\u0007name\\u001b[2J" < 0  fail      1         0          -         FAILED
        latency_ms < 200              fail      -         -          -         ERROR
        no-baseline: test_f1 > baseline - 0.01 (--warn 1): no baseline to compare with (no earlier successful run was given or found); the rule was not checked
        warned: test_f1 >= 0.9 (--warn 2): evaluate/metrics/test_f1 = 0.8182 is not >= 0.9
        failed: "bad\\u0007name\\u001b[2J" < 0 (--rule 2): evaluate/metrics/bad\\u0007name\\u001b[2J = 1 is not < 0
        error: latency_ms < 200 (--rule 3): no metric 'latency_ms' in the run (the run has evaluate/metrics/test_accuracy, evaluate/metrics/test_f1, evaluate/metrics/bad\\u0007name\\u001b[2J)
        baseline: none
        gate FAILED: 1 passed, 2 failed, 1 warned, 1 without baseline
        """);
  }

  @Test
  void jsonCarriesEveryRuleWithItsNumbers() throws Exception {
    JsonNode json = new ObjectMapper().readTree(GateReportWriters.json(report()));

    assertThat(json.get("outcome").asText()).isEqualTo("failed");
    assertThat(json.get("rules")).hasSize(5);
    JsonNode first = json.get("rules").get(0);
    assertThat(first.get("rule").asText()).isEqualTo("test_accuracy >= 0.85");
    assertThat(first.get("origin").asText()).isEqualTo("--rule 1");
    assertThat(first.get("severity").asText()).isEqualTo("fail");
    assertThat(first.get("metric").asText()).isEqualTo("evaluate/metrics/test_accuracy");
    assertThat(first.get("measured").asDouble()).isEqualTo(0.8667);
    assertThat(first.get("threshold").asDouble()).isEqualTo(0.85);
    assertThat(first.get("baseline").isNull()).isTrue();
    assertThat(first.get("verdict").asText()).isEqualTo("passed");
    assertThat(json.get("rules").get(4).get("verdict").asText()).isEqualTo("error");
    assertThat(json.get("rules").get(4).get("measured").isNull()).isTrue();
  }

  @Test
  void junitIsWellFormedWithOneCasePerRuleEvenWithControlCharacters() throws Exception {
    String xml = GateReportWriters.junit(report(), "kfpci gate ml-training-pipeline");

    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    Element suite = doc.getDocumentElement();
    assertThat(suite.getTagName()).isEqualTo("testsuite");
    assertThat(suite.getAttribute("tests")).isEqualTo("5");
    assertThat(suite.getAttribute("failures")).isEqualTo("2");
    assertThat(suite.getAttribute("errors")).isEqualTo("1");
    assertThat(suite.getAttribute("skipped")).isEqualTo("1");
    NodeList cases = suite.getElementsByTagName("testcase");
    assertThat(cases.getLength()).isEqualTo(5);
    Element passed = (Element) cases.item(0);
    assertThat(passed.getAttribute("name")).isEqualTo("test_accuracy >= 0.85");
    assertThat(passed.getElementsByTagName("failure").getLength()).isZero();
    assertThat(property(passed, "measured")).isEqualTo("0.8667");
    assertThat(property(passed, "threshold")).isEqualTo("0.85");
    Element warned = (Element) cases.item(2);
    assertThat(((Element) warned.getElementsByTagName("failure").item(0)).getAttribute("type")).isEqualTo("warn");
    Element hostile = (Element) cases.item(3);
    assertThat(hostile.getAttribute("name")).isEqualTo("\"bad\\u0007name\\u001b[2J\" < 0");
    assertThat(((Element) hostile.getElementsByTagName("failure").item(0)).getAttribute("type")).isEqualTo("fail");
    assertThat(((Element) cases.item(4)).getElementsByTagName("error").getLength()).isEqualTo(1);
    assertThat(((Element) cases.item(1)).getElementsByTagName("skipped").getLength()).isEqualTo(1);
  }

  private static String property(Element testCase, String name) {
    NodeList properties = testCase.getElementsByTagName("property");
    for (int i = 0; i < properties.getLength(); i++) {
      Element p = (Element) properties.item(i);
      if (p.getAttribute("name").equals(name)) {
        return p.getAttribute("value");
      }
    }
    return null;
  }
}
