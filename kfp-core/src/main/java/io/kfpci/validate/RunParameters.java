package io.kfpci.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfpci.ir.FieldPath;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.proto.ComponentInputsSpec;
import io.kfpci.ir.proto.ParameterType.ParameterTypeEnum;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.problem.Problem;
import io.kfpci.problem.Rule;
import io.kfpci.problem.SourcePosition;
import io.kfpci.problem.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Preflight of run parameters given as {@code name=value} text (CLI -p, Jenkins step maps) against
 * the pipeline's root inputs, so a typo fails in seconds instead of after a cluster round trip.
 * Values are typed by the declared parameter type: numbers, booleans, and JSON for lists and structs.
 */
public final class RunParameters {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunParameters() {}

  /** Splits {@code name=value} arguments; the first '=' separates, so values may contain '='. */
  public static Map<String, String> parseAssignments(List<String> assignments) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String a : assignments) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("run parameter '" + a + "' is not name=value");
      }
      out.put(a.substring(0, eq).strip(), a.substring(eq + 1));
    }
    return out;
  }

  /** The problems of these parameters (unknown names, wrong types, missing required ones). */
  public static List<Problem> check(PipelineDocument doc, Map<String, String> given) {
    List<Problem> problems = new ArrayList<>();
    typed(doc, given, problems);
    return problems;
  }

  /** The parameters as typed JSON values; throws with every problem when any is wrong. */
  public static Map<String, JsonNode> resolve(PipelineDocument doc, Map<String, String> given)
      throws InvalidPipelineException {
    List<Problem> problems = new ArrayList<>();
    Map<String, JsonNode> values = typed(doc, given, problems);
    if (!problems.isEmpty()) {
      throw new InvalidPipelineException(problems);
    }
    return values;
  }

  private static Map<String, JsonNode> typed(PipelineDocument doc, Map<String, String> given, List<Problem> problems) {
    Map<String, ComponentInputsSpec.ParameterSpec> declared =
        doc.spec().getRoot().getInputDefinitions().getParametersMap();
    FieldPath inputsPath = FieldPath.of("root", "inputDefinitions", "parameters");
    Map<String, JsonNode> values = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : given.entrySet()) {
      String name = entry.getKey();
      SourcePosition cliPosition = new SourcePosition("-p " + name, 0, 0);
      ComponentInputsSpec.ParameterSpec spec = declared.get(name);
      if (spec == null) {
        String suggestion = Suggestions.didYouMean(name, declared.keySet());
        problems.add(Problem.error(Rule.RUN_PARAMETER_UNKNOWN, cliPosition, inputsPath.key(name).toString(),
            "pipeline '" + doc.pipelineName() + "' has no parameter '" + name + "'"
                + (suggestion.isEmpty() ? "" : "; " + suggestion),
            declared.isEmpty() ? "the pipeline takes no parameters"
                : "its parameters are: " + String.join(", ", new java.util.TreeSet<>(declared.keySet()))));
        continue;
      }
      try {
        values.put(name, convert(entry.getValue(), spec.getParameterType()));
      } catch (IllegalArgumentException e) {
        problems.add(Problem.error(Rule.RUN_PARAMETER_TYPE, cliPosition, inputsPath.key(name).toString(),
            "parameter '" + name + "' is " + spec.getParameterType() + ", but '" + abbreviate(entry.getValue())
                + "' " + e.getMessage(), "for example -p " + name + "=" + example(spec.getParameterType())));
      }
    }
    for (Map.Entry<String, ComponentInputsSpec.ParameterSpec> entry : declared.entrySet()) {
      ComponentInputsSpec.ParameterSpec spec = entry.getValue();
      if (!given.containsKey(entry.getKey()) && !spec.hasDefaultValue() && !spec.getIsOptional()) {
        FieldPath declaredAt = inputsPath.key(entry.getKey());
        problems.add(Problem.error(Rule.RUN_PARAMETER_MISSING, doc.sourceMap().positionOf(declaredAt),
            declaredAt.toString(),
            "required parameter '" + entry.getKey() + "' (" + spec.getParameterType() + ") is not given",
            "pass -p " + entry.getKey() + "=VALUE"));
      }
    }
    return values;
  }

  /** Converts text to the JSON value of a declared type; the message says what is wrong. */
  public static JsonNode convert(String text, ParameterTypeEnum type) {
    switch (type) {
      case NUMBER_INTEGER -> {
        try {
          return JSON.getNodeFactory().numberNode(Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("is not a whole number");
        }
      }
      case NUMBER_DOUBLE -> {
        try {
          double value = Double.parseDouble(text.strip());
          if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new NumberFormatException();
          }
          return JSON.getNodeFactory().numberNode(value);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("is not a number");
        }
      }
      case BOOLEAN -> {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("true") || t.equals("false")) {
          return JSON.getNodeFactory().booleanNode(Boolean.parseBoolean(t));
        }
        throw new IllegalArgumentException("is not true or false");
      }
      case LIST, STRUCT -> {
        JsonNode node;
        try {
          node = JSON.readTree(text);
        } catch (java.io.IOException e) {
          throw new IllegalArgumentException("is not valid JSON");
        }
        boolean ok = type == ParameterTypeEnum.LIST ? node != null && node.isArray() : node != null && node.isObject();
        if (!ok) {
          throw new IllegalArgumentException(type == ParameterTypeEnum.LIST ? "is not a JSON list" : "is not a JSON object");
        }
        return node;
      }
      default -> {
        return JSON.getNodeFactory().textNode(text);
      }
    }
  }

  private static String example(ParameterTypeEnum type) {
    return switch (type) {
      case NUMBER_INTEGER -> "10";
      case NUMBER_DOUBLE -> "0.5";
      case BOOLEAN -> "true";
      case LIST -> "'[\"a\", \"b\"]'";
      case STRUCT -> "'{\"key\": \"value\"}'";
      default -> "text";
    };
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
