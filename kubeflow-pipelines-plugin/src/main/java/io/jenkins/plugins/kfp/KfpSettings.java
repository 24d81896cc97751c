package io.jenkins.plugins.kfp;

import io.kfpci.python.PythonSettings;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * The global defaults a piece of agent work needs, copied from the global configuration when the
 * work is scheduled so the agent never reads controller state. Blank means "kfp-core's default on
 * that agent". Sent over the remoting channel; never persisted.
 *
 * @param kfpVersion the kfp SDK version of the managed compiler venv
 * @param pythonExecutable the interpreter that creates venvs on the agent
 * @param cacheDirectory the per-agent cache of venvs and runner jars
 * @param pipelineRoot where local runs write, relative to the workspace unless absolute
 */
public record KfpSettings(String kfpVersion, String pythonExecutable, String cacheDirectory, String pipelineRoot)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The default pipeline root: {@code kfp-runs} in the workspace, as for {@code kfpci run}. */
  public static final String DEFAULT_PIPELINE_ROOT = "kfp-runs";

  public KfpSettings {
    kfpVersion = blankToEmpty(kfpVersion);
    pythonExecutable = blankToEmpty(pythonExecutable);
    cacheDirectory = blankToEmpty(cacheDirectory);
    pipelineRoot = blankToEmpty(pipelineRoot);
  }

  /** These settings with the step's own kfp version, when it gives one. */
  public KfpSettings withKfpVersion(String stepValue) {
    String value = blankToEmpty(stepValue);
    return value.isEmpty() ? this : new KfpSettings(value, pythonExecutable, cacheDirectory, pipelineRoot);
  }

  /** The kfp version to compile with: the configured one, else the version this plugin pins. */
  public String effectiveKfpVersion() {
    return kfpVersion.isEmpty() ? PythonSettings.DEFAULT_KFP_VERSION : kfpVersion;
  }

  /** The Python settings on the agent this runs on (environment defaults filled in there). */
  public PythonSettings pythonSettings() {
    PythonSettings.Builder builder = PythonSettings.builder();
    if (!pythonExecutable.isEmpty()) {
      builder.pythonExecutable(pythonExecutable);
    }
    if (!cacheDirectory.isEmpty()) {
      builder.cacheDirectory(Path.of(cacheDirectory));
    }
    return builder.build();
  }

  /** The pipeline root for a run: the step's own, else the configured default, else {@link #DEFAULT_PIPELINE_ROOT}. */
  public String pipelineRootOr(String stepValue) {
    String value = blankToEmpty(stepValue);
    if (!value.isEmpty()) {
      return value;
    }
    return pipelineRoot.isEmpty() ? DEFAULT_PIPELINE_ROOT : pipelineRoot;
  }

  private static String blankToEmpty(String value) {
    return value == null ? "" : value.strip();
  }
}
