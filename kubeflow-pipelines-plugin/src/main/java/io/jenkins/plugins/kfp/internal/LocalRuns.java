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
import java.io.IOException;
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
    try {
      // The controller persists these and hands them back to the agent: only the run's own paths.
      RunStorage.checkLaunchPaths(prepared.runDir(), prepared.specFile(), runId);
    } catch (KfpException e) {
      throw new AbortException(e.getMessage());
    }
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
   * directory (so the run view outlives the agent's files), a {@link KfpRunAction} is added and
   * the build saved (so a controller crash before the build ends keeps it), and the step's result
   * map is returned. A run whose runner wrote no report (it died) gets one rendered here from its
   * summary, with the trends of the job's earlier builds.
   *
   * <p>The summary comes from the agent and is not trusted: it is stored under the run id this
   * controller chose ({@code runId}), refused when it names another run or a file outside the run
   * directory ({@link RunStorage}).
   */
  public static Recorded record(Run<?, ?> build, FilePath workspace, String runId, String runDir, String summaryJson,
      String node) throws IOException, InterruptedException {
    RunStorage.Stored stored;
    try {
      stored = RunStorage.store(build.getRootDir().toPath(), runId, summaryJson, runDir + "/" + RunStorage.SUMMARY_FILE);
    } catch (KfpException e) {
      throw new AbortException(e.getMessage());
    }
    RunSummary summary = stored.summary();
    FilePath report = new FilePath(workspace.getChannel(), runDir).child(RunStorage.REPORT_FILE);
    boolean agentReport = report.exists();
    if (agentReport) {
      report.copyTo(new FilePath(stored.report().toFile()));
    } else {
      RunReportPage.write(summary, history(build, summary.pipelineName()), stored.report());
    }
    KfpRunAction action = KfpRunAction.of(runId, summary, true, node, runDir);
    build.addAction(action);
    build.save();
    return new Recorded(action, RunOutputs.of(summary, Path.of(runDir),
        agentReport ? Path.of(runDir, RunStorage.REPORT_FILE) : null));
  }

  /** Summaries of the same pipeline stored by the job's earlier builds, newest first. */
  public static List<RunSummary> history(Run<?, ?> build, String pipelineName) {
    List<RunSummary> out = new ArrayList<>();
    Run<?, ?> earlier = build.getPreviousBuild();
    for (int seen = 0; earlier != null && seen < REPORT_HISTORY; seen++, earlier = earlier.getPreviousBuild()) {
      for (KfpRunAction run : earlier.getActions(KfpRunAction.class)) {
        if (!run.getPipelineName().equals(pipelineName)) {
          continue;
        }
        try {
          out.add(RunSummaryJson.read(RunStorage.directory(earlier.getRootDir().toPath(), run.getRunId())
              .resolve(RunStorage.SUMMARY_FILE)));
        } catch (KfpException e) {
          // A build whose files were deleted or damaged just has no point in the trend.
          LOGGER.log(Level.FINE, "skipping run " + run.getRunId() + " of " + earlier + " in the report's history", e);
        }
      }
    }
    return out;
  }
}
