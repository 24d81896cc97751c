package io.jenkins.plugins.kfp.internal;

import hudson.AbortException;
import io.jenkins.plugins.kfp.KfpSettings;
import io.kfpci.local.LocalRunSpec;
import io.kfpci.local.LocalRunnerMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the run spec that {@link LocalRunnerMain} reads (its one argument), with the local
 * runner's own {@link LocalRunSpec} (docs/local-runner.md), which checks it as it is built.
 *
 * <p>The spec, the compiled IR and the runner's stdout and stderr live in a launch directory,
 * {@code <pipeline root>/.launch/<run id>/}, not in the run directory: the runner creates its run
 * directory itself and refuses one that already holds files.
 */
final class LocalRunnerSpec {
  /** The local runner's entry point in kfp-core. */
  static final String MAIN_CLASS = LocalRunnerMain.class.getName();
  static final String FILE_NAME = "run-spec.json";
  static final String LAUNCH_DIRECTORY = ".launch";

  private LocalRunnerSpec() {}

  static Path launchDirectory(Path pipelineRoot, String runId) {
    return pipelineRoot.resolve(LAUNCH_DIRECTORY).resolve(runId);
  }

  static Path write(Path launchDir, Path ir, Map<String, String> parameters, Path pipelineRoot, String runId,
      LocalRunOptions options, KfpSettings settings, Path workspace) throws IOException {
    LocalRunSpec.Builder spec = LocalRunSpec.builder().pipeline(ir.toAbsolutePath()).parameters(parameters)
        .pipelineRoot(pipelineRoot.toAbsolutePath()).runId(runId).noCache(!options.enableCaching())
        .kfpVersion(settings.effectiveKfpVersion())
        // Tasks start in the workspace, so relative data paths in the parameters resolve there.
        .workingDirectory(workspace.toAbsolutePath());
    if (options.parallelism() > 0) {
      spec.parallelism(options.parallelism());
    }
    if (!settings.pythonExecutable().isEmpty()) {
      spec.python(settings.pythonExecutable());
    }
    if (!settings.cacheDirectory().isEmpty()) {
      spec.cacheDirectory(Path.of(settings.cacheDirectory()));
    }
    String json;
    try {
      json = spec.build().toJson();
    } catch (IllegalArgumentException e) {
      throw new AbortException(e.getMessage());
    }
    Files.createDirectories(launchDir);
    Path file = launchDir.resolve(FILE_NAME);
    Files.writeString(file, json, StandardCharsets.UTF_8);
    return file;
  }
}
