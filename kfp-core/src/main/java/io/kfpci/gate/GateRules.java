package io.kfpci.gate;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kfpci.gate.Threshold.RuleSyntaxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads gate rules from their text ({@code --rule}) and from a rules file kept beside the
 * pipeline:
 *
 * <pre>
 * rules:
 *   - test_accuracy &gt;= 0.85                 # severity fail, the default
 *   - rule: test_f1 &gt; baseline - 0.01
 *     severity: warn
 * </pre>
 *
 * Every error names the rule's origin and the column (for a rule) or line (for the file).
 */
public final class GateRules {
  /** Rules files are small; a larger one is a mistake (a data file named by accident). */
  public static final long MAX_FILE_BYTES = 1 << 20;

  private GateRules() {}

  /**
   * Parses one rule.
   *
   * @param origin where it came from, e.g. {@code --rule 1}
   * @throws GateException naming the origin, the rule and the column of the problem
   */
  public static GateRule parse(String text, RuleSeverity severity, String origin) throws GateException {
    try {
      return parseOrThrow(text, severity, origin);
    } catch (RuleSyntaxException e) {
      throw new GateException(origin + ": cannot read rule '" + oneLine(text) + "' at column " + e.column()
          + ": " + e.getMessage() + "\n  " + oneLine(text) + "\n  " + " ".repeat(Math.max(0, e.column() - 1)) + "^");
    }
  }

  private static GateRule parseOrThrow(String text, RuleSeverity severity, String origin) throws RuleSyntaxException {
    if (text == null || text.isBlank()) {
      throw new RuleSyntaxException(1, "the rule is empty; write it as METRIC OP THRESHOLD, e.g. test_accuracy >= 0.85");
    }
    int i = skipSpaces(text, 0);
    String metric;
    if (text.charAt(i) == '"') {
      StringBuilder name = new StringBuilder();
      int j = i + 1;
      while (j < text.length() && text.charAt(j) != '"') {
        if (text.charAt(j) == '\\' && j + 1 < text.length()) {
          j++;
        }
        name.append(text.charAt(j++));
      }
      if (j >= text.length()) {
        throw new RuleSyntaxException(i + 1, "the quoted metric name has no closing '\"'");
      }
      metric = name.toString();
      i = j + 1;
    } else {
      int start = i;
      while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && "<>=!".indexOf(text.charAt(i)) < 0) {
        i++;
      }
      metric = text.substring(start, i);
    }
    if (metric.isEmpty()) {
      throw new RuleSyntaxException(i + 1, "a rule starts with a metric name, e.g. test_accuracy >= 0.85");
    }
    i = skipSpaces(text, i);
    Comparison comparison = null;
    for (Comparison c : Comparison.values()) {
      if (text.startsWith(c.symbol(), i)) {
        comparison = c;
        break;
      }
    }
    if (comparison == null) {
      throw new RuleSyntaxException(i + 1, "expected a comparison (>=, >, <=, <, ==, !=) after the metric '"
          + metric + "'" + (i < text.length() ? ", found '" + text.charAt(i) + "'" : ""));
    }
    i += comparison.symbol().length();
    int thresholdStart = skipSpaces(text, i);
    if (thresholdStart >= text.length()) {
      throw new RuleSyntaxException(thresholdStart + 1, "the threshold is missing after '" + comparison.symbol() + "'");
    }
    Threshold threshold = Threshold.parse(text.substring(thresholdStart), thresholdStart + 1);
    return new GateRule(text.strip(), metric, comparison, threshold, severity, origin);
  }

  private static int skipSpaces(String text, int i) {
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /**
   * Reads a rules file (YAML or JSON).
   *
   * @throws GateException naming the file and line: unreadable, too large, not of the shape above,
   *     an unknown key, a bad severity, or a rule that does not parse
   */
  public static List<GateRule> load(Path file) throws GateException {
    String name = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new GateException("rules file " + name + " does not exist or is not a regular file");
    }
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new GateException("rules file " + name + " is larger than " + MAX_FILE_BYTES + " bytes; is it the right file?");
      }
    } catch (IOException e) {
      throw new GateException("cannot read rules file " + name + ": " + e.getMessage(), e);
    }
    YAMLFactory yaml = YAMLFactory.builder().build();
    try (InputStream in = Files.newInputStream(file); JsonParser p = yaml.createParser(in)) {
      return readRules(p, name);
    } catch (JsonProcessingException e) {
      // The parser's own message quotes the offending text only from this rules file.
      JsonLocation at = e.getLocation();
      throw new GateException(name + (at == null ? "" : ":" + at.getLineNr()) + ": not valid YAML: "
          + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new GateException("cannot read rules file " + name + ": " + e.getMessage(), e);
    }
  }

  private static List<GateRule> readRules(JsonParser p, String file) throws IOException, GateException {
    JsonToken first = p.nextToken();
    if (first != JsonToken.START_OBJECT) {
      throw shape(file, p, "a rules file is a mapping with a 'rules' list");
    }
    List<GateRule> rules = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      int line = line(p);
      p.nextToken();
      if (!"rules".equals(key)) {
        throw new GateException(file + ":" + line + ": unknown key '" + key + "'; a rules file has one key, 'rules'");
      }
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw shape(file, p, "'rules' is a list of rules");
      }
      rules = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        rules.add(readRule(p, file));
      }
    }
    if (rules == null) {
      throw new GateException(file + ": no 'rules' list; a rules file starts with 'rules:' and lists one rule a line, such as '- test_accuracy >= 0.85'");
    }
    return List.copyOf(rules);
  }

  private static GateRule readRule(JsonParser p, String file) throws IOException, GateException {
    int line = line(p);
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      return parse(p.getText(), RuleSeverity.FAIL, file + ":" + line);
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw shape(file, p, "a rule is a string, or a mapping with 'rule' and 'severity'");
    }
    String text = null;
    RuleSeverity severity = RuleSeverity.FAIL;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      int keyLine = line(p);
      JsonToken value = p.nextToken();
      if (value != JsonToken.VALUE_STRING) {
        throw new GateException(file + ":" + keyLine + ": '" + key + "' is a string");
      }
      switch (key) {
        case "rule" -> text = p.getText();
        case "severity" -> severity = RuleSeverity.parse(p.getText(), file + ":" + keyLine);
        default -> throw new GateException(file + ":" + keyLine + ": unknown key '" + key
            + "' in a rule; the keys are 'rule' and 'severity'");
      }
    }
    if (text == null) {
      throw new GateException(file + ":" + line + ": the rule has no 'rule' key");
    }
    return parse(text, severity, file + ":" + line);
  }

  private static GateException shape(String file, JsonParser p, String expected) {
    return new GateException(file + ":" + line(p) + ": " + expected);
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }

  private static String oneLine(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    return out.toString();
  }
}
