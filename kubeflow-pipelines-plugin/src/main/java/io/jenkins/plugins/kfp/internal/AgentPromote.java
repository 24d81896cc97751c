package io.jenkins.plugins.kfp.internal;

import hudson.remoting.VirtualChannel;
import io.kfpci.KfpException;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import java.io.File;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import jenkins.MasterToSlaveFileCallable;

/**
 * Promotes a local run's model from its run directory on the agent that ran it (the callable's
 * file): the files are uploaded from there, never through the controller. The summary is the one
 * the controller stored for the run (it decided the gate), not the agent's copy; the object store
 * credential travels with this call only.
 */
public final class AgentPromote extends MasterToSlaveFileCallable<BuildPromote.Promoted> {
  private static final long serialVersionUID = 1L;

  private final String summaryJson;
  private final String model;
  private final String target;
  private final String gitCommit;
  private final BuildPromote.Store store;

  /**
   * @param summaryJson the run's summary as stored in the build
   * @param model {@code task-id/output}, "" for the run's only model
   * @param target {@code s3://bucket/prefix/}
   * @param gitCommit recorded with the release, or null
   */
  public AgentPromote(String summaryJson, String model, String target, String gitCommit, BuildPromote.Store store) {
    this.summaryJson = summaryJson;
    this.model = model;
    this.target = target;
    this.gitCommit = gitCommit;
    this.store = store;
  }

  @Override
  public BuildPromote.Promoted invoke(File runDirectory, VirtualChannel channel) throws IOException, InterruptedException {
    RunSummary summary;
    try {
      summary = RunSummaryJson.fromJson(summaryJson, "the stored summary");
    } catch (KfpException e) {
      return new BuildPromote.Promoted("", "", model, List.of(), e.getMessage());
    }
    return BuildPromote.promote(summary, model, runDirectory.toPath(), target, gitCommit, store, Clock.systemUTC());
  }
}
