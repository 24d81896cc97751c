package io.kfpci.gate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kfpci.KfpException;
import io.kfpci.report.MetricSummary;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The metrics a gate reads, from a run summary (docs/run-summary.md, local or remote) or a metrics
 * JSON file: {@code {"test_accuracy": 0.91, ...}}, a list of
 * {@code {"task_id", "output", "name", "value"}}, or an object with such a list under
 * {@code "metrics"} (what {@code kfpci metrics --output json} prints).
 *
 * @param file where it was read
 * @param summary the run summary, when the file is one (verdicts are written back into it)
 * @param metrics every metric
 */
public record MetricSource(Path file, RunSummary summary, List<MetricSummary> metrics) {
  /** Run summaries of 12,000 task executions are a few MB; anything far larger is not one. */
  public static final long MAX_BYTES = 64L << 20;

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  public MetricSource {
    metrics = List.copyOf(metrics);
  }

  /**
   * Reads {@code file}.
   *
   * @throws GateException naming the file and what is wrong with it
   */
  public static MetricSource read(Path file) throws GateException {
    String text;
    try {
      if (!Files.isRegularFile(file)) {
        throw new GateException(file + " does not exist or is not a regular file");
      }
      if (Files.size(file) > MAX_BYTES) {
        throw new GateException(file + " is larger than " + (MAX_BYTES >> 20) + " MiB; it is not a run summary or metrics file");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new GateException("cannot read " + file + ": " + e.getMessage(), e);
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      // Say where, not what: the file may not be ours, and its content is not ours to print.
      throw new GateException(file + ":" + e.getLocation().getLineNr() + ": not JSON; expected a run summary "
          + "or a metrics file (docs/gates.md)", e);
    }
    if (root != null && root.isObject() && root.has("format_version") && root.has("tasks")) {
      try {
        RunSummary summary = RunSummaryJson.fromJson(text, file.toString());
        return new MetricSource(file, summary, summary.metrics());
      } catch (KfpException e) {
        throw new GateException(e.getMessage(), e);
      }
    }
    return new MetricSource(file, null, metricsFile(root, file));
  }

  private static List<MetricSummary> metricsFile(JsonNode root, Path file) throws GateException {
    List<MetricSummary> out = new ArrayList<>();
    if (root != null && root.isObject() && root.has("metrics") && root.get("metrics").isArray()) {
      root = root.get("metrics");
    }
    if (root != null && root.isArray()) {
      int i = 0;
      for (JsonNode item : root) {
        String where = file + ": metrics[" + i++ + "]";
        if (!item.isObject() || !item.path("name").isTextual() || !item.path("value").isNumber()) {
          throw new GateException(where + " needs a string 'name' and a number 'value'");
        }
        out.add(new MetricSummary(item.path("task_id").asText(""), item.path("output").asText(""),
            item.get("name").asText(), item.get("value").asDouble()));
      }
      return out;
    }
    if (root != null && root.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNumber()) {
          throw new GateException(file + ": '" + e.getKey() + "' is not a number; a metrics file maps names to numbers");
        }
        out.add(new MetricSummary("", "", e.getKey(), e.getValue().asDouble()));
      }
      return out;
    }
    throw new GateException(file + ": expected a run summary or a metrics file (docs/gates.md)");
  }
}
