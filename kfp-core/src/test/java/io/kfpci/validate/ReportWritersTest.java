package io.kfpci.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfpci.problem.Problem;
import io.kfpci.problem.Rule;
import io.kfpci.problem.Severity;
import io.kfpci.problem.SourcePosition;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The three report formats, read back the way their consumers read them. */
class ReportWritersTest {
  private static final Problem CYCLE = Problem.error(Rule.DAG_CYCLE, new SourcePosition("a.yaml", 14, 7),
      "$.root.dag.tasks.a", "dependency cycle: a -> b -> a (each task waits for the one before it)",
      "remove one of the dependencies in the cycle");
  private static final Problem BAD_CPU = Problem.error(Rule.RESOURCES, new SourcePosition("a.yaml", 30, 11),
      "$.deploymentSpec.executors['exec-a'].container.resources.resourceCpuLimit",
      "cpu limit 'two' of component 'comp-a' is not a Kubernetes quantity", "use <500m> & \"2\"");
  private static final Problem UNUSED = new Problem(Severity.WARNING, Rule.UNDECLARED_INPUT,
      new SourcePosition("a.yaml", 20, 13), "$.root.dag.tasks.a.inputs.parameters.x",
      "task 'a' binds input parameter 'x', which component 'comp-a' neither declares nor reads", "");
  private static final Problem TOO_BIG = Problem.error(Rule.FILE_FORMAT, SourcePosition.wholeFile("b.zip"), "$",
      "the zip archive holds no file", "");
  private static final List<ValidationReport> REPORTS = List.of(
      new ValidationReport("a.yaml", List.of(UNUSED, BAD_CPU, CYCLE)),
      new ValidationReport("b.zip", List.of(TOO_BIG)),
      new ValidationReport("c.yaml", List.of()));

  @Test
  void textIsCompilerStyleErrorsFirstThenASummary() {
    assertThat(ReportWriters.text(REPORTS)).isEqualTo("""
        a.yaml:14:7: error KFP023: dependency cycle: a -> b -> a (each task waits for the one before it)
            hint: remove one of the dependencies in the cycle
        a.yaml:30:11: error KFP090: cpu limit 'two' of component 'comp-a' is not a Kubernetes quantity
            hint: use <500m> & "2"
        a.yaml:20:13: warning KFP033: task 'a' binds input parameter 'x', which component 'comp-a' neither \
        declares nor reads
        b.zip: error KFP001: the zip archive holds no file
        3 files checked: 3 errors, 1 warning
        """);
  }

  @Test
  void textOfOneCleanFileIsTheSummaryAlone() {
    assertThat(ReportWriters.text(List.of(new ValidationReport("c.yaml", List.of()))))
        .isEqualTo("1 file checked: 0 errors, 0 warnings\n");
  }

  @Test
  void jsonHasOneEntryPerFileWithEveryFieldOfEveryProblem() throws Exception {
    JsonNode files = new ObjectMapper().readTree(ReportWriters.json(REPORTS));

    assertThat(files.isArray()).isTrue();
    assertThat(files).hasSize(3);
    JsonNode a = files.get(0);
    assertThat(a.get("file").asText()).isEqualTo("a.yaml");
    assertThat(a.get("errors").asInt()).isEqualTo(2);
    assertThat(a.get("warnings").asInt()).isEqualTo(1);
    assertThat(a.get("problems")).hasSize(3);
    assertThat(a.get("problems").get(0).toString()).isEqualTo("{\"severity\":\"error\",\"rule\":\"KFP023\","
        + "\"file\":\"a.yaml\",\"line\":14,\"column\":7,\"path\":\"$.root.dag.tasks.a\",\"message\":\"dependency"
        + " cycle: a -> b -> a (each task waits for the one before it)\",\"hint\":\"remove one of the"
        + " dependencies in the cycle\"}");
    assertThat(a.get("problems").get(2).get("severity").asText()).isEqualTo("warning");
    JsonNode b = files.get(1).get("problems").get(0);
    assertThat(b.get("line").asInt()).isZero();
    assertThat(b.get("column").asInt()).isZero();
    assertThat(files.get(2).get("problems")).isEmpty();
  }

  @Test
  void junitHasOneTestCasePerFileAndRuleAndFailuresCarryTheProblems() throws Exception {
    Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(ReportWriters.junit(REPORTS).getBytes(StandardCharsets.UTF_8)));

    NodeList suites = xml.getDocumentElement().getElementsByTagName("testsuite");
    assertThat(xml.getDocumentElement().getTagName()).isEqualTo("testsuites");
    assertThat(suites.getLength()).isEqualTo(3);
    Element a = (Element) suites.item(0);
    assertThat(a.getAttribute("name")).isEqualTo("kfp-validate.a.yaml");
    assertThat(a.getAttribute("tests")).isEqualTo(String.valueOf(Rule.values().length));
    assertThat(a.getAttribute("failures")).isEqualTo("2");

    NodeList cases = a.getElementsByTagName("testcase");
    assertThat(cases.getLength()).isEqualTo(Rule.values().length);
    for (int i = 0; i < cases.getLength(); i++) {
      Element testCase = (Element) cases.item(i);
      Rule rule = Rule.values()[i];
      assertThat(testCase.getAttribute("name")).isEqualTo(rule.id() + " " + rule.title());
      assertThat(testCase.getAttribute("classname")).isEqualTo("kfp-validate.a.yaml");
      boolean fails = rule == Rule.DAG_CYCLE || rule == Rule.RESOURCES;
      assertThat(testCase.getElementsByTagName("failure").getLength()).as(rule.id()).isEqualTo(fails ? 1 : 0);
    }

    Element resources = testCase(a, Rule.RESOURCES);
    Element failure = (Element) resources.getElementsByTagName("failure").item(0);
    assertThat(failure.getAttribute("type")).isEqualTo("KFP090");
    assertThat(failure.getAttribute("message"))
        .isEqualTo("cpu limit 'two' of component 'comp-a' is not a Kubernetes quantity");
    assertThat(failure.getTextContent()).isEqualTo("""
        a.yaml:30:11: error KFP090: cpu limit 'two' of component 'comp-a' is not a Kubernetes quantity
          at $.deploymentSpec.executors['exec-a'].container.resources.resourceCpuLimit
          hint: use <500m> & "2"
        """);

    // A warning does not fail its rule; it is shown as the test case's output.
    Element undeclared = testCase(a, Rule.UNDECLARED_INPUT);
    assertThat(undeclared.getElementsByTagName("failure").getLength()).isZero();
    assertThat(undeclared.getElementsByTagName("system-out").item(0).getTextContent())
        .startsWith("a.yaml:20:13: warning KFP033: task 'a' binds input parameter 'x'");

    Element clean = (Element) suites.item(2);
    assertThat(clean.getAttribute("failures")).isEqualTo("0");
    assertThat(clean.getElementsByTagName("failure").getLength()).isZero();
  }

  private static Element testCase(Element suite, Rule rule) {
    NodeList cases = suite.getElementsByTagName("testcase");
    for (int i = 0; i < cases.getLength(); i++) {
      Element testCase = (Element) cases.item(i);
      if (testCase.getAttribute("name").startsWith(rule.id() + " ")) {
        return testCase;
      }
    }
    throw new AssertionError("no test case for " + rule.id());
  }
}
