package io.jenkins.plugins.kfp.internal;

import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.kfp.KfpSettings;
import java.io.File;
import jenkins.MasterToSlaveFileCallable;

/** The kfpci cache directory as the agent sees it (configured, else its user's default). */
final class AgentCacheDirectory extends MasterToSlaveFileCallable<String> {
  private static final long serialVersionUID = 1L;

  private final KfpSettings settings;

  AgentCacheDirectory(KfpSettings settings) {
    this.settings = settings;
  }

  @Override
  public String invoke(File workspace, VirtualChannel channel) {
    return settings.pythonSettings().cacheDirectory().toString();
  }
}
