package io.jenkins.plugins.kfp.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the run spec that {@code io.kfpci.local.LocalRunnerMain} reads (its one argument).
 * Kept in one place so that it follows the local runner's spec exactly.
 */
final class LocalRunnerSpec {
  /** The local runner's entry point in kfp-core. */
  static final String MAIN_CLASS = "io.kfpci.local.LocalRunnerMain";
  static final String FILE_NAME = "run-spec.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private LocalRunnerSpec() {}

  static Path write(Path runDir, Path ir, Map<String, ?> parameters, Path pipelineRoot, String runId,
      LocalRunOptions options) throws IOException {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("pipeline", ir.toString());
    spec.set("parameters", JSON.valueToTree(parameters));
    spec.put("pipeline_root", pipelineRoot.toString());
    spec.put("run_id", runId);
    spec.put("no_cache", !options.enableCaching());
    if (options.parallelism() > 0) {
      spec.put("parallelism", options.parallelism());
    }
    Path file = runDir.resolve(FILE_NAME);
    Files.writeString(file, JSON.writeValueAsString(spec), StandardCharsets.UTF_8);
    return file;
  }
}
