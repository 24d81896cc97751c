package io.jenkins.plugins.kfp.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.AbortException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Run parameters as a Pipeline script writes them ({@code params: [n_estimators: 50,
 * features: ['a', 'b']]}) turned into the text kfp-core types against the pipeline's inputs:
 * numbers and booleans as written, lists and maps as JSON.
 */
public final class StepParameters {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StepParameters() {}

  public static LinkedHashMap<String, String> asText(Map<String, ?> params) throws AbortException {
    LinkedHashMap<String, String> out = new LinkedHashMap<>();
    if (params == null) {
      return out;
    }
    for (Map.Entry<String, ?> entry : params.entrySet()) {
      Object value = entry.getValue();
      if (value == null) {
        throw new AbortException("run parameter '" + entry.getKey() + "' has no value");
      }
      if (value instanceof Collection<?> || value instanceof Map<?, ?> || value.getClass().isArray()) {
        try {
          out.put(entry.getKey(), JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
          throw new AbortException("run parameter '" + entry.getKey() + "' cannot be written as JSON: " + e.getOriginalMessage());
        }
      } else {
        out.put(entry.getKey(), String.valueOf(value));
      }
    }
    return out;
  }

  /** {@code name=value} lines (the freestyle form's text area); blank lines and # comments are skipped. */
  public static LinkedHashMap<String, String> fromLines(String text) throws AbortException {
    java.util.List<String> lines = (text == null ? "" : text).lines().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    try {
      return new LinkedHashMap<>(io.kfpci.validate.RunParameters.parseAssignments(lines));
    } catch (IllegalArgumentException e) {
      throw new AbortException(e.getMessage());
    }
  }
}
