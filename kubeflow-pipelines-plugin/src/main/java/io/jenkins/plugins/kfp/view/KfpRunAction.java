package io.jenkins.plugins.kfp.view;

import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.kfp.Messages;
import io.jenkins.plugins.kfp.internal.RunStorage;
import io.kfpci.KfpException;
import io.kfpci.monitor.RunDigest;
import io.kfpci.monitor.RunOutputs;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.RunSummary;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.RunAction2;
import jenkins.tasks.SimpleBuildStep;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;

/**
 * One pipeline run of a build: the build page shows its one-paragraph digest
 * ({@code summary.jelly}), {@code <build>/kfp-<run-id>/} shows the run view with the run report,
 * and {@code report} serves the stored report page itself.
 *
 * <p>Persisted in build.xml: the run's identifiers, final state, digest text and metrics (small,
 * so trends over many builds read no files). The run's summary.json and report.html are stored
 * under {@code <build dir>/kfp/<run-id>/} when the run finishes.
 */
public class KfpRunAction implements RunAction2, SimpleBuildStep.LastBuildAction {
  static final String ICON = "/plugin/kubeflow-pipelines/images/kfp.svg";
  /**
   * The report is self-contained HTML without scripts: nothing may load from elsewhere, nothing
   * may run, and the page gets a unique origin (sandbox), so even a hostile task output shown in
   * it cannot act as the user.
   */
  static final String REPORT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox";

  private final String runId;
  private final String pipelineName;
  private final String state;
  private final String digest;
  private final long durationMillis;
  private final LinkedHashMap<String, Double> metrics;
  private final boolean hasReport;
  private final String node;
  private final String runDirectory;
  /** The last quality gate over this run (null when none ran): its outcome and one line per rule. */
  private String gateOutcome;
  private List<String> gateVerdicts;
  /** For a run on a KFP endpoint: the endpoint's name and the run's page in the KFP UI; null for a local run. */
  private String endpoint;
  private String uiUrl;
  /** The run's output artifacts (null in build.xml written before they were kept). */
  private ArrayList<Artifact> artifacts;
  private transient Run<?, ?> run;

  KfpRunAction(String runId, String pipelineName, String state, String digest, long durationMillis,
      Map<String, Double> metrics, boolean hasReport, String node, String runDirectory) {
    this.runId = runId;
    this.pipelineName = pipelineName;
    this.state = state;
    this.digest = digest;
    this.durationMillis = durationMillis;
    this.metrics = new LinkedHashMap<>(metrics);
    this.hasReport = hasReport;
    this.node = node;
    this.runDirectory = runDirectory;
  }

  /** The action for a finished run, under the run id the controller chose for it. */
  public static KfpRunAction of(String runId, RunSummary summary, boolean hasReport, String node, String runDirectory) {
    RunDigest digest = RunDigest.of(summary);
    KfpRunAction action = new KfpRunAction(runId, summary.pipelineName(), summary.state().name(), digest.text(),
        digest.duration() == null ? -1 : digest.duration().toMillis(), RunOutputs.metrics(summary), hasReport, node,
        runDirectory);
    action.artifacts = new ArrayList<>(summary.artifacts().stream().map(Artifact::of).toList());
    return action;
  }

  /**
   * The action for a finished run on a KFP endpoint. It has no node and no run directory: nothing
   * of it is on an agent (so {@code kfpGate} writes its verdicts to the copy stored in the build
   * only), and its files are in the build's {@code kfp/<run id>/}.
   *
   * @param uiUrl the run's page in the KFP UI, or "" when the endpoint has no UI link
   */
  public static KfpRunAction remote(RunSummary summary, String endpoint, String uiUrl) {
    KfpRunAction action = of(summary.runId(), summary, true, "", "");
    action.endpoint = endpoint;
    action.uiUrl = uiUrl;
    return action;
  }

  /**
   * One output artifact as the run view lists it: where it came from (its task and output), what
   * it is, where it is (the store's URI) and, when downloaded, the file in the run directory with
   * its {@code .lineage.json} next to it.
   */
  public static final class Artifact {
    private final String task;
    private final String output;
    private final String type;
    private final String uri;
    private final String path;

    Artifact(String task, String output, String type, String uri, String path) {
      this.task = task;
      this.output = output;
      this.type = type;
      this.uri = uri;
      this.path = path;
    }

    static Artifact of(ArtifactSummary a) {
      return new Artifact(a.producerTaskId(), a.name(), a.type(), a.uri(), a.path() == null ? "" : a.path());
    }

    public String getTask() {
      return task;
    }

    public String getOutput() {
      return output;
    }

    public String getType() {
      return type;
    }

    public String getUri() {
      return uri;
    }

    /** Relative to the run directory; "" when the artifact was not downloaded. */
    public String getPath() {
      return path;
    }

    /**
     * The lineage file a download of a remote run's artifact writes next to it; "" when not
     * downloaded (a local run's artifacts have none: they were made where they are).
     */
    public String getLineage() {
      return path.isEmpty() ? "" : path + ".lineage.json";
    }
  }

  @Override
  public String getIconFileName() {
    return ICON;
  }

  @Override
  public String getDisplayName() {
    return Messages.KfpRunAction_DisplayName(pipelineName);
  }

  @Override
  public String getUrlName() {
    return "kfp-" + runId;
  }

  @Override
  public void onAttached(Run<?, ?> r) {
    this.run = r;
  }

  @Override
  public void onLoad(Run<?, ?> r) {
    this.run = r;
  }

  /**
   * The job's metrics trend. Jenkins adds the project actions of every {@code LastBuildAction} of
   * the last build, and a build has one of these per {@code kfpRun}: only its first run gives the
   * trend, so the job shows one.
   */
  @Override
  public Collection<? extends Action> getProjectActions() {
    return projectActions(this, run.getActions(KfpRunAction.class), run.getParent());
  }

  static Collection<? extends Action> projectActions(KfpRunAction self, List<KfpRunAction> runsOfBuild, Job<?, ?> job) {
    return !runsOfBuild.isEmpty() && runsOfBuild.get(0) == self ? List.of(new KfpTrendAction(job)) : List.of();
  }

  public Run<?, ?> getRun() {
    return run;
  }

  public String getRunId() {
    return runId;
  }

  public String getPipelineName() {
    return pipelineName;
  }

  public String getState() {
    return state;
  }

  public boolean isSucceeded() {
    return "SUCCEEDED".equals(state);
  }

  /** The one-paragraph summary: state, duration, tasks, key metrics. */
  public String getDigest() {
    return digest;
  }

  /** "1 min 12 s", or "" when the run never started. */
  public String getDuration() {
    return durationMillis < 0 ? "" : RunDigest.formatDuration(Duration.ofMillis(durationMillis));
  }

  /** Every metric of the run by name (see the kfpRun step's {@code metrics}). */
  public Map<String, Double> getMetrics() {
    return java.util.Collections.unmodifiableMap(metrics);
  }

  /** A metric value as the build page shows it. */
  public String format(double value) {
    return RunDigest.formatNumber(value);
  }

  public boolean isHasReport() {
    return hasReport;
  }

  /** Whether the run ran on a KFP endpoint rather than on an agent. */
  public boolean isRemote() {
    return endpoint != null;
  }

  /** The KFP endpoint the run ran on, or "" for a local run. */
  public String getEndpoint() {
    return endpoint == null ? "" : endpoint;
  }

  /** The run's page in the KFP UI, or "" (a local run, or an endpoint without a UI link). */
  public String getUiUrl() {
    return uiUrl == null ? "" : uiUrl;
  }

  /** The run's output artifacts, in task order. */
  public List<Artifact> getArtifacts() {
    return artifacts == null ? List.of() : List.copyOf(artifacts);
  }

  /** The agent the run ran on ("" for the built-in node). */
  public String getNode() {
    return node;
  }

  /** The run directory on that agent; "" for a run on a KFP endpoint. */
  public String getRunDirectory() {
    return runDirectory;
  }

  /** {@code PASSED}, {@code UNSTABLE} or {@code FAILED} from the last kfpGate over this run, or null. */
  public String getGateOutcome() {
    return gateOutcome;
  }

  /** {@code rule: verdict, message} for each rule of that gate. */
  public List<String> getGateVerdicts() {
    return gateVerdicts == null ? List.of() : List.copyOf(gateVerdicts);
  }

  /**
   * Records a gate's verdicts so the build page shows them (the caller saves the build); a later
   * gate over the same run replaces them, as it replaces them in the stored summary.
   */
  public void recordGate(String outcome, List<String> verdicts) {
    this.gateOutcome = outcome;
    this.gateVerdicts = new java.util.ArrayList<>(verdicts);
  }

  /**
   * Serves the stored report page with a Content-Security-Policy that allows no script and no
   * outside resource. The run view embeds it in an iframe pointing here.
   */
  public void doReport(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
    Path file;
    try {
      file = RunStorage.directory(run.getRootDir().toPath(), runId).resolve(RunStorage.REPORT_FILE);
    } catch (KfpException e) {
      // A build.xml edited by hand or written by an older version: serve nothing.
      file = null;
    }
    if (!hasReport || file == null || !Files.isRegularFile(file)) {
      rsp.sendError(HttpServletResponse.SC_NOT_FOUND, Messages.KfpRunAction_NoReport(runId));
      return;
    }
    rsp.setContentType("text/html;charset=UTF-8");
    rsp.setHeader("Content-Security-Policy", REPORT_CSP);
    rsp.setHeader("X-Content-Type-Options", "nosniff");
    rsp.setHeader("Referrer-Policy", "no-referrer");
    Files.copy(file, rsp.getOutputStream());
  }
}
