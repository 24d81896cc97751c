package io.jenkins.plugins.kfp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.KfpException;
import io.kfpci.client.KfpApi;
import io.kfpci.client.KfpClient;
import io.kfpci.client.KfpConnection;
import io.kfpci.client.ListQuery;
import io.kfpci.client.PipelinePackage;
import io.kfpci.client.PipelineUploader;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.monitor.RunConsole;
import io.kfpci.monitor.RunOutputs;
import io.kfpci.remote.RemoteSummaries;
import io.kfpci.remote.RemoteWatchState;
import io.kfpci.remote.RunTracker;
import io.kfpci.report.RunReportPage;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.validate.RunParameters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code kfpRun} on a KFP endpoint without Jenkins: the controller's calls (submit, one check,
 * terminate, record), each a short, blocking call made on a pool thread of the durable execution,
 * which persists only what these return as text: the KFP run id, the submission mark and the
 * core's {@link RemoteWatchState} JSON. The same core APIs as {@code kfpci submit} and
 * {@code kfpci watch}: {@link PipelineUploader}, {@link KfpClient#createRunOnce},
 * {@link RunTracker#advance} over {@link KfpClient#getRun}, {@link RemoteSummaries}.
 */
public final class RemoteRuns {
  /** How a build's submission is marked in the run's description, so a restart finds it again. */
  public static final String MARK = "jenkins-submission: ";

  private RemoteRuns() {}

  /** A fresh mark for one submission: chosen and persisted before the create is sent. */
  public static String newMark() {
    return UUID.randomUUID().toString();
  }

  /** What the step asked for; {@code params} are checked against the pipeline's inputs before any call. */
  public record Request(String fileName, byte[] content, Map<String, String> params, String experiment,
      String runName, String serviceAccount, String versionPattern, String gitShortSha, String buildLabel) {
    public Request {
      content = content.clone();
      params = Map.copyOf(params);
    }

    @Override
    public byte[] content() {
      return content.clone();
    }
  }

  /**
   * A run on the server: its id, experiment, pipeline name, KFP UI link (or null), first watch
   * state, whether it was found by its mark rather than created, and the pipeline's task names
   * (upstream first), which tell the watch which of the server's task rows are tasks.
   */
  public record Submitted(String runId, String experimentId, String pipelineName, String uiUrl, String watchState,
      boolean found, List<String> taskNames) {
    public Submitted {
      taskNames = List.copyOf(taskNames);
    }
  }

  /**
   * Uploads the pipeline (idempotently) and creates the run, unless a run carrying {@code mark}
   * already exists in the experiment: a controller restart between the create and saving its
   * answer then adopts that run instead of starting a second one.
   */
  public static Submitted submit(KfpConnection connection, Request request, String mark)
      throws KfpException, InterruptedException {
    PipelinePackage pkg = PipelinePackage.of(request.fileName(), request.content());
    PipelineDocument document = PipelineLoader.load(request.fileName(), request.content());
    Map<String, JsonNode> values = RunParameters.resolve(document, request.params());
    String pipelineName = pkg.pipelineName();
    try (KfpClient client = KfpClient.connect(connection)) {
      if (client.healthz().isMultiUser() && (connection.namespace() == null || connection.namespace().isBlank())) {
        throw new KfpException("KFP at " + connection.endpoint() + " runs in multi-user mode: give endpoint "
            + connection.name() + " a namespace in Manage Jenkins, Kubeflow Pipelines");
      }
      KfpApi.Experiment experiment = client.experiment(request.experiment());
      Optional<KfpApi.Run> earlier = findMarked(client, experiment.experimentId(), mark);
      KfpApi.Run run;
      if (earlier.isPresent()) {
        run = earlier.get();
      } else {
        String version;
        try {
          version = PipelineUploader.versionName(request.versionPattern(), request.gitShortSha(), pkg);
        } catch (IllegalArgumentException e) {
          throw new KfpException("versionName: " + e.getMessage(), e);
        }
        PipelineUploader.Result up = new PipelineUploader(client).upload(pkg, pipelineName, version, null);
        String name = request.runName().isEmpty() ? pipelineName + " " + request.buildLabel() : request.runName();
        run = client.createRunOnce(new KfpApi.CreateRunRequest(experiment.experimentId(), name,
            request.buildLabel() + "\n" + MARK + mark,
            new KfpApi.PipelineVersionReference(up.pipeline().pipelineId(), up.version().pipelineVersionId()), null,
            new KfpApi.RuntimeConfig(values, null),
            request.serviceAccount().isEmpty() ? null : request.serviceAccount()));
      }
      return new Submitted(run.runId(), experiment.experimentId(), pipelineName, connection.runUiUrl(run.runId()),
          RemoteWatchState.initial(connection.name(), run.runId()).toJson(), earlier.isPresent(),
          List.copyOf(RunTracker.taskNames(pkg.pipelineSpec())));
    }
  }

  /**
   * The run of the experiment whose description carries {@code mark}, among the newest 200 (one
   * page, newest first: a lost create is seconds old). The core's {@code findSubmission} matches a
   * whole description, which holds the core's own token too, so the mark's line is matched here.
   */
  static Optional<KfpApi.Run> findMarked(KfpClient client, String experimentId, String mark)
      throws KfpException, InterruptedException {
    String line = MARK + mark;
    for (KfpApi.Run r : client.listRuns(experimentId, ListQuery.all().sortBy("created_at desc")).items()) {
      if (r.description() != null && r.description().lines().anyMatch(line::equals)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * One check: the console lines of what changed since {@code watchState}, the state to persist
   * once they are printed, and whether the run ended.
   */
  public record Checked(List<String> lines, String watchState, String runState, boolean finished) {
    public Checked {
      lines = List.copyOf(lines);
    }
  }

  public static Checked check(KfpConnection connection, String watchState, List<String> taskNames)
      throws KfpException, InterruptedException {
    RemoteWatchState state = RemoteWatchState.fromJson(watchState);
    try (KfpClient client = KfpClient.connect(connection)) {
      RunTracker.Advance advance = RunTracker.advance(state, client.getRun(state.runId()),
          new java.util.LinkedHashSet<>(taskNames));
      RemoteWatchState next = advance.state();
      return new Checked(advance.events().stream().map(RunConsole::format).toList(), next.toJson(),
          next.runState() == null ? "PENDING" : next.runState().name(), next.finished());
    }
  }

  /**
   * Asks the server to terminate the run and returns the watch state to persist, which remembers
   * the request (so a run that then ends FAILED, all a 2.17 server reports, is shown CANCELED).
   */
  public static String terminate(KfpConnection connection, String watchState) throws KfpException, InterruptedException {
    RemoteWatchState state = RemoteWatchState.fromJson(watchState);
    try (KfpClient client = KfpClient.connect(connection)) {
      client.terminateRun(state.runId());
    }
    return state.withTerminateRequested().toJson();
  }

  /** A finished run as stored in the build: its summary and the map the step returns. */
  public record Recorded(RunSummary summary, Path directory, Map<String, Object> result) {}

  /**
   * Stores the finished run's summary (checked as any summary is, {@link RunStorage}) and report
   * page in {@code <build dir>/kfp/<run id>/}, and returns the local {@code kfpRun}'s map plus
   * {@code uiUrl} ("" when the endpoint has no UI link).
   */
  public static Recorded record(KfpConnection connection, String watchState, String pipelineName, Path buildDir,
      List<RunSummary> history) throws KfpException, InterruptedException, IOException {
    RemoteWatchState state = RemoteWatchState.fromJson(watchState);
    RunSummary summary;
    try (KfpClient client = KfpClient.connect(connection)) {
      summary = RemoteSummaries.summary(client.getRun(state.runId()), state, connection, pipelineName);
    }
    RunStorage.Stored stored = RunStorage.store(buildDir, state.runId(), RunSummaryJson.toJson(summary),
        "the summary of KFP run " + state.runId());
    RunReportPage.write(stored.summary(), history, stored.report());
    Map<String, Object> result = new java.util.LinkedHashMap<>(RunOutputs.of(stored.summary(), stored.directory(),
        stored.report()));
    String ui = connection.runUiUrl(state.runId());
    result.put("uiUrl", ui == null ? "" : ui);
    return new Recorded(stored.summary(), stored.directory(), result);
  }
}
