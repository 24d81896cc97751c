package io.kfpci.validate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.problem.Printable;
import io.kfpci.problem.Problem;
import io.kfpci.problem.Rule;
import java.io.StringWriter;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** Renders validation reports as compiler-style text, JSON, or JUnit XML for CI test views. */
public final class ReportWriters {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportWriters() {}

  /**
   * {@code file:line:col: error KFP020: message} lines, each followed by its hint. Problems keep
   * their texts printable ({@link Printable}), so no control character of a file reaches a console.
   */
  public static String text(List<ValidationReport> reports) {
    StringBuilder out = new StringBuilder();
    for (ValidationReport report : reports) {
      for (Problem p : report.problems()) {
        out.append(p.headline()).append('\n');
        if (!p.hint().isEmpty()) {
          out.append("    hint: ").append(p.hint()).append('\n');
        }
      }
    }
    long errors = reports.stream().mapToLong(ValidationReport::errorCount).sum();
    long warnings = reports.stream().mapToLong(ValidationReport::warningCount).sum();
    out.append(reports.size()).append(reports.size() == 1 ? " file" : " files").append(" checked: ")
        .append(errors).append(errors == 1 ? " error, " : " errors, ")
        .append(warnings).append(warnings == 1 ? " warning" : " warnings").append('\n');
    return out.toString();
  }

  public static String json(List<ValidationReport> reports) {
    ArrayNode files = JSON.createArrayNode();
    for (ValidationReport report : reports) {
      ObjectNode file = files.addObject();
      file.put("file", report.source());
      file.put("errors", report.errorCount());
      file.put("warnings", report.warningCount());
      ArrayNode problems = file.putArray("problems");
      for (Problem p : report.problems()) {
        ObjectNode node = problems.addObject();
        node.put("severity", p.severity().label());
        node.put("rule", p.ruleId());
        node.put("file", p.position().file());
        node.put("line", p.position().line());
        node.put("column", p.position().column());
        node.put("path", p.jsonPath());
        node.put("message", p.message());
        node.put("hint", p.hint());
      }
    }
    try {
      return JSON.writeValueAsString(files) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings always serialises", e);
    }
  }

  /**
   * JUnit XML with one test case per file and rule: a rule with errors fails, one with only
   * warnings passes with the warnings as system-out, so Jenkins' test view shows what was checked.
   * Always well-formed XML 1.0: characters XML forbids, even as references (most control
   * characters), are written as {@code \\uXXXX} text, whatever the file names and messages hold.
   */
  public static String junit(List<ValidationReport> reports) {
    StringWriter buffer = new StringWriter();
    try {
      XMLStreamWriter xml = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(buffer);
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuites");
      for (ValidationReport report : reports) {
        long failures = java.util.Arrays.stream(Rule.values())
            .filter(rule -> report.problems().stream().anyMatch(p -> p.rule() == rule && p.isError())).count();
        xml.writeCharacters("\n  ");
        xml.writeStartElement("testsuite");
        String suite = "kfp-validate." + Printable.escape(report.source());
        xml.writeAttribute("name", suite);
        xml.writeAttribute("tests", String.valueOf(Rule.values().length));
        xml.writeAttribute("failures", String.valueOf(failures));
        xml.writeAttribute("errors", "0");
        xml.writeAttribute("skipped", "0");
        for (Rule rule : Rule.values()) {
          List<Problem> found = report.problems().stream().filter(p -> p.rule() == rule).toList();
          xml.writeCharacters("\n    ");
          xml.writeStartElement("testcase");
          xml.writeAttribute("classname", suite);
          xml.writeAttribute("name", rule.id() + " " + rule.title());
          xml.writeAttribute("time", "0");
          List<Problem> errors = found.stream().filter(Problem::isError).toList();
          if (!errors.isEmpty()) {
            xml.writeStartElement("failure");
            xml.writeAttribute("message", Printable.escape(errors.get(0).message()));
            xml.writeAttribute("type", rule.id());
            xml.writeCharacters(Printable.escape(describe(errors)).replace("\\u000A", "\n"));
            xml.writeEndElement();
          }
          List<Problem> others = found.stream().filter(p -> !p.isError()).toList();
          if (!others.isEmpty()) {
            xml.writeStartElement("system-out");
            xml.writeCharacters(Printable.escape(describe(others)).replace("\\u000A", "\n"));
            xml.writeEndElement();
          }
          xml.writeEndElement();
        }
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
      }
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("writing XML to memory cannot fail", e);
    }
    return buffer + "\n";
  }

  private static String describe(List<Problem> problems) {
    StringBuilder out = new StringBuilder();
    for (Problem p : problems) {
      out.append(p.headline()).append('\n').append("  at ").append(p.jsonPath()).append('\n');
      if (!p.hint().isEmpty()) {
        out.append("  hint: ").append(p.hint()).append('\n');
      }
    }
    return out.toString();
  }
}
