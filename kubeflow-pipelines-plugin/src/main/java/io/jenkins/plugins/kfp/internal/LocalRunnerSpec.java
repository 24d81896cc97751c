package io.jenkins.plugins.kfp.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.kfp.KfpSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the run spec that {@code io.kfpci.local.LocalRunnerMain} reads (its one argument), with
 * the keys of {@code io.kfpci.local.LocalRunSpec} (docs/local-runner.md). Kept in one place so it
 * follows the local runner's spec exactly.
 *
 * <p>The spec, the compiled IR and the runner's stdout and stderr live in a launch directory,
 * {@code <pipeline root>/.launch/<run id>/}, not in the run directory: the runner creates its run
 * directory itself and refuses one that already holds files.
 */
final class LocalRunnerSpec {
  /** The local runner's entry point in kfp-core. */
  static final String MAIN_CLASS = "io.kfpci.local.LocalRunnerMain";
  static final String FILE_NAME = "run-spec.json";
  static final String LAUNCH_DIRECTORY = ".launch";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private LocalRunnerSpec() {}

  static Path launchDirectory(Path pipelineRoot, String runId) {
    return pipelineRoot.resolve(LAUNCH_DIRECTORY).resolve(runId);
  }

  static Path write(Path launchDir, Path ir, Map<String, String> parameters, Path pipelineRoot, String runId,
      LocalRunOptions options, KfpSettings settings, Path workspace) throws IOException {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("pipeline", ir.toAbsolutePath().toString());
    ObjectNode params = spec.putObject("parameters");
    parameters.forEach(params::put);
    spec.put("pipeline_root", pipelineRoot.toAbsolutePath().toString());
    spec.put("run_id", runId);
    spec.put("no_cache", !options.enableCaching());
    if (options.parallelism() > 0) {
      spec.put("parallelism", options.parallelism());
    }
    if (!settings.pythonExecutable().isEmpty()) {
      spec.put("python", settings.pythonExecutable());
    }
    if (!settings.cacheDirectory().isEmpty()) {
      spec.put("cache_dir", settings.cacheDirectory());
    }
    spec.put("kfp_version", settings.effectiveKfpVersion());
    // Tasks start in the workspace, so relative data paths in the parameters resolve there.
    spec.put("working_directory", workspace.toAbsolutePath().toString());
    Files.createDirectories(launchDir);
    Path file = launchDir.resolve(FILE_NAME);
    Files.writeString(file, JSON.writeValueAsString(spec), StandardCharsets.UTF_8);
    return file;
  }
}
