package io.jenkins.plugins.kfp.internal;

import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.kfp.KfpSettings;
import io.jenkins.plugins.kfp.view.KfpRunAction;
import io.kfpci.KfpException;
import io.kfpci.monitor.MonitorException;
import io.kfpci.monitor.RunOutputs;
import io.kfpci.monitor.WatchState;
import io.kfpci.report.RunReportPage;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The steps of a local run shared by the {@code kfpRun} step and the freestyle builder: prepare
 * and launch on the agent, and record the finished run in the build. Runs on the controller,
 * on whichever thread the caller uses; every agent call is a short remote call.
 */
public final class LocalRuns {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Logger LOGGER = Logger.getLogger(LocalRuns.class.getName());
  /**
   * After a cancel request, how long the runner may take to stop its tasks and run the exit
   * handlers before its process tree is killed (system property {@code
   * io.jenkins.plugins.kfp.killAfterSeconds}, default 120).
   */
  public static final long KILL_AFTER_MILLIS = Long.getLong("io.jenkins.plugins.kfp.killAfterSeconds", 120L) * 1000L;

  private LocalRuns() {}

  /** A run id that is unique and says which build made it: {@code jenkins-42-1a2b3c4d}. */
  public static String newRunId(Run<?, ?> run) {
    byte[] random = new byte[4];
    RANDOM.nextBytes(random);
    return "jenkins-" + run.getNumber() + "-" + HexFormat.of().formatHex(random);
  }

  /** Compiles (for a .py), validates, types the parameters and writes the run spec, on the agent. */
  public static AgentPrepareRun.Prepared prepare(FilePath workspace, String pipeline, Map<String, String> params,
      LocalRunOptions options, String runId, KfpSettings settings, TaskListener listener)
      throws IOException, InterruptedException {
    AgentPrepareRun.Prepared prepared = workspace.act(new AgentPrepareRun(pipeline, params, options, runId, settings));
    listener.getLogger().print(prepared.messages());
    return prepared;
  }

  /**
   * Installs the runner on the agent if needed and starts the run detached (or attaches to its
   * runner if one was started already). Returns the watch state to persist.
   */
  public static String start(FilePath workspace, String runDir, String specFile, KfpSettings settings)
      throws IOException, InterruptedException {
    String runnerJar = RunnerInstaller.install(workspace, settings);
    return workspace.act(new AgentLaunch(runDir, specFile, runnerJar));
  }

  /** The watch state with the cancel request noted, so a runner dying now ends the run CANCELED. */
  public static String cancelRequested(String watchState) throws AbortException {
    try {
      return WatchState.fromJson(watchState).withCancelRequested().toJson();
    } catch (MonitorException e) {
      throw new AbortException(e.getMessage());
    }
  }

  /** How far the watch got, for status lines: "RUNNING, run.log read to byte 1234". */
  public static String describe(String watchState) {
    try {
      WatchState state = WatchState.fromJson(watchState);
      return (state.runState() == null ? "not started yet" : state.runState().name()) + ", run.log read to byte "
          + state.logOffset();
    } catch (MonitorException e) {
      return "unreadable watch state (" + e.getMessage() + ")";
    }
  }

  /** A finished run as recorded in the build, with the result map a step returns. */
  public record Recorded(KfpRunAction action, Map<String, Object> result) {}

  /** How many earlier builds a report rendered here looks back on for its trends. */
  static final int REPORT_HISTORY = 20;

  /**
   * Records a finished run in the build: summary.json and report.html are copied into the build
   * directory (so the run view outlives the agent's files), a {@link KfpRunAction} is added, and
   * the step's result map is returned. A run whose runner wrote no report (it died) gets one
   * rendered here from its summary, with the trends of the job's earlier builds.
   */
  public static Recorded record(Run<?, ?> build, FilePath workspace, String runDir, String summaryJson,
      String node) throws IOException, InterruptedException {
    RunSummary summary;
    try {
      summary = RunSummaryJson.fromJson(summaryJson, runDir + "/summary.json");
    } catch (KfpException e) {
      throw new AbortException(e.getMessage());
    }
    File stored = KfpRunAction.storageDirectory(build, summary.runId());
    Files.createDirectories(stored.toPath());
    Files.writeString(new File(stored, KfpRunAction.SUMMARY_FILE).toPath(), summaryJson, StandardCharsets.UTF_8);
    FilePath report = new FilePath(workspace.getChannel(), runDir).child(KfpRunAction.REPORT_FILE);
    File storedReport = new File(stored, KfpRunAction.REPORT_FILE);
    boolean agentReport = report.exists();
    if (agentReport) {
      report.copyTo(new FilePath(storedReport));
    } else {
      RunReportPage.write(summary, history(build, summary.pipelineName()), storedReport.toPath());
    }
    KfpRunAction action = KfpRunAction.of(summary, true, node, runDir);
    build.addAction(action);
    return new Recorded(action, RunOutputs.of(summary, Path.of(runDir),
        agentReport ? Path.of(runDir, KfpRunAction.REPORT_FILE) : null));
  }

  /** Summaries of the same pipeline stored by the job's earlier builds, newest first. */
  static List<RunSummary> history(Run<?, ?> build, String pipelineName) {
    List<RunSummary> out = new ArrayList<>();
    Run<?, ?> earlier = build.getPreviousBuild();
    for (int seen = 0; earlier != null && seen < REPORT_HISTORY; seen++, earlier = earlier.getPreviousBuild()) {
      for (KfpRunAction run : earlier.getActions(KfpRunAction.class)) {
        if (!run.getPipelineName().equals(pipelineName)) {
          continue;
        }
        File file = new File(KfpRunAction.storageDirectory(earlier, run.getRunId()), KfpRunAction.SUMMARY_FILE);
        try {
          out.add(RunSummaryJson.read(file.toPath()));
        } catch (KfpException e) {
          // A build whose files were deleted or damaged just has no point in the trend.
          LOGGER.log(Level.FINE, "skipping " + file + " in the report's history", e);
        }
      }
    }
    return out;
  }
}
