package io.kfpci.gate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** The gate report as a console table, JSON, or JUnit XML (one test case per rule). */
public final class GateReportWriters {
  private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final int WIDEST_CELL = 60;

  private GateReportWriters() {}

  /**
   * A table with a line per rule (rule, measured, threshold, baseline, verdict), the message of
   * every rule that did not pass below it, and the outcome. Control characters are shown escaped.
   */
  public static String table(GateReport report) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"rule", "severity", "measured", "threshold", "baseline", "verdict"});
    for (RuleResult r : report.results()) {
      rows.add(new String[] {clip(r.rule().text()), r.rule().severity().word(), number(r.measured()),
          number(r.threshold()), number(r.baseline()), r.verdict().word().toUpperCase(java.util.Locale.ROOT)});
    }
    int[] width = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]).append(" ".repeat(width[i] - row[i].length() + 2));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    for (RuleResult r : report.results()) {
      if (r.verdict() != Verdict.PASSED) {
        out.append(r.verdict().word()).append(": ").append(visible(r.rule().text())).append(" (")
            .append(visible(r.rule().origin())).append("): ").append(visible(r.message())).append('\n');
      }
    }
    out.append("baseline: ").append(report.baseline() == null ? "none" : visible(report.baseline().description())).append('\n');
    out.append("gate ").append(report.outcome().name()).append(": ").append(report.count(Verdict.PASSED))
        .append(" passed, ").append(report.count(Verdict.FAILED) + report.count(Verdict.ERROR)).append(" failed, ")
        .append(report.count(Verdict.WARNED)).append(" warned, ").append(report.count(Verdict.NO_BASELINE))
        .append(" without baseline\n");
    return out.toString();
  }

  /** {@code {"outcome", "source", "baseline", "rules": [...]}}, documented in docs/gates.md. */
  public static String json(GateReport report) {
    ObjectNode root = JSON.createObjectNode();
    root.put("outcome", report.outcome().name().toLowerCase(java.util.Locale.ROOT));
    root.put("source", report.source());
    if (report.baseline() != null) {
      ObjectNode baseline = root.putObject("baseline");
      baseline.put("description", report.baseline().description());
      if (report.baseline().runId() != null) {
        baseline.put("run_id", report.baseline().runId());
      }
    }
    ArrayNode rules = root.putArray("rules");
    for (RuleResult r : report.results()) {
      ObjectNode rule = rules.addObject();
      rule.put("rule", r.rule().text());
      rule.put("origin", r.rule().origin());
      rule.put("severity", r.rule().severity().word());
      rule.put("metric", r.metricId());
      putNumber(rule, "measured", r.measured());
      putNumber(rule, "threshold", r.threshold());
      putNumber(rule, "baseline", r.baseline());
      rule.put("verdict", r.verdict().word());
      rule.put("message", r.message());
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serialises", e);
    }
  }

  /**
   * JUnit XML for Jenkins's junit step: one test case per rule, named by the rule; a fail rule
   * that did not hold is a failure, a warn rule that did not hold a failure of type {@code warn},
   * a rule that could not be evaluated an error, one without baseline skipped. The measured value,
   * threshold and baseline are properties of the test case and the message its system-out.
   */
  public static String junit(GateReport report, String suiteName) {
    StringWriter text = new StringWriter();
    try {
      XMLStreamWriter xml = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(text);
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuite");
      xml.writeAttribute("name", xmlText(suiteName));
      xml.writeAttribute("tests", Integer.toString(report.results().size()));
      xml.writeAttribute("failures", Long.toString(report.count(Verdict.FAILED) + report.count(Verdict.WARNED)));
      xml.writeAttribute("errors", Long.toString(report.count(Verdict.ERROR)));
      xml.writeAttribute("skipped", Long.toString(report.count(Verdict.NO_BASELINE)));
      xml.writeCharacters("\n");
      for (RuleResult r : report.results()) {
        xml.writeCharacters("  ");
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", xmlText(suiteName));
        xml.writeAttribute("name", xmlText(r.rule().text()));
        xml.writeAttribute("time", "0");
        xml.writeStartElement("properties");
        property(xml, "severity", r.rule().severity().word());
        property(xml, "metric", r.metricId());
        property(xml, "measured", number(r.measured()));
        property(xml, "threshold", number(r.threshold()));
        property(xml, "baseline", number(r.baseline()));
        property(xml, "verdict", r.verdict().word());
        xml.writeEndElement();
        switch (r.verdict()) {
          case FAILED, WARNED -> {
            xml.writeStartElement("failure");
            xml.writeAttribute("type", r.rule().severity().word());
            xml.writeAttribute("message", xmlText(r.message()));
            xml.writeCharacters(xmlText(r.message()));
            xml.writeEndElement();
          }
          case ERROR -> {
            xml.writeStartElement("error");
            xml.writeAttribute("message", xmlText(r.message()));
            xml.writeCharacters(xmlText(r.message()));
            xml.writeEndElement();
          }
          case NO_BASELINE -> {
            xml.writeEmptyElement("skipped");
            xml.writeAttribute("message", xmlText(r.message()));
          }
          case PASSED -> { }
        }
        xml.writeStartElement("system-out");
        xml.writeCharacters(xmlText(r.message()));
        xml.writeEndElement();
        xml.writeEndElement();
        xml.writeCharacters("\n");
      }
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("writing XML to a string cannot fail", e);
    }
    return text.toString() + "\n";
  }

  private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
    xml.writeEmptyElement("property");
    xml.writeAttribute("name", name);
    xml.writeAttribute("value", xmlText(value));
  }

  private static void putNumber(ObjectNode node, String key, Double value) {
    if (value == null) {
      node.putNull(key);
    } else if (Double.isNaN(value) || Double.isInfinite(value)) {
      node.put(key, value.toString());
    } else {
      node.put(key, value);
    }
  }

  private static String number(Double value) {
    return value == null ? "-" : QualityGate.format(value);
  }

  private static String clip(String text) {
    String shown = visible(text);
    return shown.length() <= WIDEST_CELL ? shown : shown.substring(0, WIDEST_CELL - 1) + "…";
  }

  /** Control characters as \\uXXXX, so a rule or a metric name cannot move the console's cursor. */
  static String visible(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }

  /**
   * Text XML 1.0 can hold: characters it forbids even as references (most C0 controls, lone
   * surrogates, U+FFFE/U+FFFF) become \\uXXXX, so the file always parses.
   */
  static String xmlText(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
      if (pair) {
        out.append(c).append(text.charAt(++i));
      } else if (c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)) {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out.toString();
  }
}
