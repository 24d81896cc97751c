package io.kfpci.local.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.KfpException;
import io.kfpci.ir.Placeholders;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The secret values of one run, and how they are masked: every occurrence of a value (and of its
 * JSON-escaped forms, as it appears inside a JSON string a task prints or as any
 * {@code json_escape[N]} placeholder the runner accepts hands it over) is replaced by
 * {@link #MASK} in each line the runner logs or prints and in every value of the run summary, so
 * the console, run.log, task.log, summary.json and report.html never hold it. Only a task's own
 * executor_input.json (0600) does. Immutable and thread-safe.
 *
 * <p>A run parameter is secret when the run names it ({@code --secret-param NAME}, the spec's
 * {@code secret_params}) or when its name follows the convention of {@link #isSecretName}.
 */
public final class Secrets {
  public static final String MASK = "****";
  public static final Secrets NONE = new Secrets(List.of());
  /** Names that hold a secret by convention: password, token or secret, alone or as a _suffix. */
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i)(?:.*_)?(?:password|passwd|token|secret)");

  /** Longest first, so a value containing another is masked whole. */
  private final List<String> values;

  private Secrets(List<String> values) {
    this.values = values;
  }

  /** Masks these values; empty ones are ignored (there is nothing to hide). */
  public static Secrets of(Collection<String> secretValues) {
    Set<String> all = new LinkedHashSet<>();
    for (String v : secretValues) {
      if (v == null || v.isEmpty()) {
        continue;
      }
      all.add(v);
      // Every form a json_escape[N] placeholder can hand a task, which it may print as it got it.
      for (int level = 0; level <= Placeholders.MAX_JSON_ESCAPE; level++) {
        all.add(Placeholders.jsonEscape(v, level));
      }
    }
    List<String> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    return new Secrets(List.copyOf(sorted));
  }

  /** True for parameter names that are secret by convention: {@code password}, {@code db_password}, {@code api_token}, {@code client_secret}. */
  public static boolean isSecretName(String name) {
    return SECRET_NAME.matcher(name).matches();
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** {@code text} with every secret value replaced by {@link #MASK}; null stays null. */
  public String mask(String text) {
    if (text == null || values.isEmpty()) {
      return text;
    }
    String out = text;
    for (String v : values) {
      if (out.contains(v)) {
        out = out.replace(v, MASK);
      }
    }
    return out;
  }

  /** True if {@code text} holds a secret value. */
  public boolean appearsIn(String text) {
    return text != null && values.stream().anyMatch(text::contains);
  }

  /** A copy of {@code node} with every string (values, not keys) masked. */
  public JsonNode mask(JsonNode node) {
    if (node == null || values.isEmpty()) {
      return node;
    }
    if (node.isTextual()) {
      String masked = mask(node.textValue());
      return masked.equals(node.textValue()) ? node : JsonNodeFactory.instance.textNode(masked);
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(n -> out.add(mask(n)));
      return out;
    }
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      node.fields().forEachRemaining(e -> out.set(e.getKey(), mask(e.getValue())));
      return out;
    }
    // A number or boolean secret (e.g. a PIN typed as int) is masked as a string.
    String text = node.asText();
    return !text.isEmpty() && values.contains(text) ? JsonNodeFactory.instance.textNode(MASK) : node;
  }

  /** A map of values, masked. */
  public Map<String, JsonNode> mask(Map<String, JsonNode> map) {
    if (values.isEmpty()) {
      return map;
    }
    Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
    map.forEach((k, v) -> out.put(k, mask(v)));
    return out;
  }

  /** The summary with every string in it masked: parameters, outputs, errors, log tails, metadata. */
  public RunSummary mask(RunSummary summary) {
    if (values.isEmpty()) {
      return summary;
    }
    try {
      JsonNode tree = JsonValues.JSON.readTree(RunSummaryJson.toJson(summary));
      return RunSummaryJson.fromJson(JsonValues.write(mask(tree)), "the masked run summary");
    } catch (com.fasterxml.jackson.core.JsonProcessingException | KfpException e) {
      throw new IllegalStateException("a run summary always reads back after masking", e);
    }
  }
}
