package io.jenkins.plugins.kfp.internal;

import java.io.Serializable;

/**
 * The options of a local run shared by the {@code kfpRun} step and the freestyle builder.
 *
 * @param pipelineRoot where runs write, "" for the configured default
 * @param enableCaching false runs every task again instead of reusing cached outputs
 * @param parallelism how many tasks run at once, 0 for the runner's default
 * @param timeoutMinutes after how long the run is canceled, 0 for never
 */
public record LocalRunOptions(String pipelineRoot, boolean enableCaching, int parallelism, int timeoutMinutes)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public LocalRunOptions {
    pipelineRoot = pipelineRoot == null ? "" : pipelineRoot.strip();
    if (parallelism < 0) {
      throw new IllegalArgumentException("parallelism must be 0 (the runner's default) or more, not " + parallelism);
    }
    if (timeoutMinutes < 0) {
      throw new IllegalArgumentException("timeout must be 0 (none) or more minutes, not " + timeoutMinutes);
    }
  }
}
