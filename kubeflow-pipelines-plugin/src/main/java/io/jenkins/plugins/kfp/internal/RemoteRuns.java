package io.jenkins.plugins.kfp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kfpci.KfpException;
import io.kfpci.artifacts.ArtifactDownloader;
import io.kfpci.artifacts.DownloadReport;
import io.kfpci.artifacts.DownloadedArtifact;
import io.kfpci.artifacts.MetadataStoreException;
import io.kfpci.artifacts.MetadataStoreOptions;
import io.kfpci.artifacts.ObjectStoreException;
import io.kfpci.artifacts.RunMetadataReader;
import io.kfpci.artifacts.RunNotInMetadataStoreException;
import io.kfpci.client.KfpApi;
import io.kfpci.client.KfpClient;
import io.kfpci.client.KfpConnection;
import io.kfpci.client.ListQuery;
import io.kfpci.client.PipelinePackage;
import io.kfpci.client.PipelineUploader;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.k8s.Clusters;
import io.kfpci.k8s.K8sException;
import io.kfpci.monitor.RunConsole;
import io.kfpci.monitor.RunOutputs;
import io.kfpci.remote.ObservationPass;
import io.kfpci.remote.RemoteSummaries;
import io.kfpci.remote.RemoteWatchState;
import io.kfpci.remote.RunTracker;
import io.kfpci.remote.logs.ApiServerLogArchive;
import io.kfpci.remote.logs.ArchivedLogSource;
import io.kfpci.remote.logs.LogMirror;
import io.kfpci.remote.logs.ObjectStoreLogArchive;
import io.kfpci.remote.logs.PodLogs;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.RunReportPage;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.TaskSummary;
import io.kfpci.validate.RunParameters;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

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
  /** Where KFP's workflow controller archives the pods' logs in the artifact store (FACTS 4.3). */
  static final String ARCHIVED_LOGS_PREFIX = "private-artifacts/";
  /** The run directory's subdirectory the artifacts are downloaded to, by task id and output name. */
  public static final String ARTIFACTS_DIRECTORY = "artifacts";

  private RemoteRuns() {}

  /** A fresh mark for one submission: chosen and persisted before the create is sent. */
  public static String newMark() {
    return UUID.randomUUID().toString();
  }

  /** What the step asked for; {@code params} are checked against the pipeline's inputs before any call. */
  public record Request(String fileName, byte[] content, Map<String, String> params, String experiment,
      String runName, String serviceAccount, String versionPattern, String gitShortSha, String buildLabel,
      boolean enableCaching) {
    public Request {
      content = content.clone();
      params = Map.copyOf(params);
    }

    /** A run that keeps the pipeline's own caching options. */
    public Request(String fileName, byte[] content, Map<String, String> params, String experiment, String runName,
        String serviceAccount, String versionPattern, String gitShortSha, String buildLabel) {
      this(fileName, content, params, experiment, runName, serviceAccount, versionPattern, gitShortSha, buildLabel,
          true);
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
    PipelinePackage compiled = PipelinePackage.of(request.fileName(), request.content());
    // enableCaching: false runs every task, as the local runner's no-cache does: caching is turned
    // off in the IR sent, a version of its own (kfpci submit --no-cache).
    PipelinePackage pkg = request.enableCaching() ? compiled : compiled.withCachingDisabled();
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

  /** How long {@link #terminateMarked} waits between its looks for a create that is still under way. */
  public static final Duration MARKED_LOOK_INTERVAL = Duration.ofSeconds(1);
  /** How many times {@link #terminateMarked} looks for the run before it gives up. */
  static final int MARKED_LOOKS = 5;

  /** Waits between two looks; {@code Thread::sleep} outside tests. */
  @FunctionalInterface
  public interface Pause {
    void pause(Duration duration) throws InterruptedException;
  }

  /**
   * After an abort interrupted {@link #submit} (the create may have reached the server or still be
   * on its way): finds the run carrying {@code mark} in {@code experiment} and terminates it, so
   * the build leaves no run behind. The server may store the create only after the client gave up
   * on its answer, so it looks {@link #MARKED_LOOKS} times, {@code pause} apart. Returns the run's
   * id, or empty when the server never got the run (the abort came before the create).
   */
  public static Optional<String> terminateMarked(KfpConnection connection, String experiment, String mark,
      Pause pause) throws KfpException, InterruptedException {
    try (KfpClient client = KfpClient.connect(connection)) {
      Optional<KfpApi.Experiment> found = client.findExperiment(experiment);
      if (found.isEmpty()) {
        // The abort came before the experiment existed, so before any create.
        return Optional.empty();
      }
      String experimentId = found.get().experimentId();
      for (int look = 1; look <= MARKED_LOOKS; look++) {
        Optional<KfpApi.Run> run = findMarked(client, experimentId, mark);
        if (run.isPresent()) {
          client.terminateRun(run.get().runId());
          return Optional.of(run.get().runId());
        }
        if (look < MARKED_LOOKS) {
          pause.pause(MARKED_LOOK_INTERVAL);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * One check: the console lines of what changed since {@code watchState}, the state to persist
   * once they are printed, whether the run ended, and the observation failures already warned
   * about (null with the check that observes only the API).
   */
  public record Checked(List<String> lines, String watchState, String runState, boolean finished,
      ObservationPass.Failures failures) {
    public Checked {
      lines = List.copyOf(lines);
    }

    public Checked(List<String> lines, String watchState, String runState, boolean finished) {
      this(lines, watchState, runState, finished, null);
    }
  }

  /** One check of the API state only: no metadata, no logs. */
  public static Checked check(KfpConnection connection, String watchState, List<String> taskNames)
      throws KfpException, InterruptedException {
    List<String> lines = new ArrayList<>();
    Checked checked = check(connection, watchState, taskNames, RemoteObservation.NONE, false,
        ObservationPass.Failures.NONE, lines::add);
    return new Checked(lines, checked.watchState(), checked.runState(), checked.finished());
  }

  /**
   * One check: the run's state through the API, then, when {@code observation} has an ML Metadata
   * store (at its address, or through a port-forward opened or reused now), one
   * {@link ObservationPass} over its records and (with {@code mirrorLogs}) the new lines
   * of its tasks' logs, live from the pods when the cluster is reachable, else from the API
   * server's and the object store's archives. Everything the user should see goes to
   * {@code console} as it comes, in this order: state lines, warnings, {@code [task] line} log lines.
   * The returned state carries the log cursors: persisted after printing, a resumed check prints
   * none of these lines again. The metadata and log failures never fail the check; each distinct
   * one is warned about once, given {@code previous} (what the last check returned).
   *
   * @return {@link Checked#lines()} holds the state lines only (already given to {@code console})
   */
  public static Checked check(KfpConnection connection, String watchState, List<String> taskNames,
      RemoteObservation observation, boolean mirrorLogs, ObservationPass.Failures previous, Consumer<String> console)
      throws KfpException, InterruptedException {
    RemoteWatchState state = RemoteWatchState.fromJson(watchState);
    try (KfpClient client = KfpClient.connect(connection)) {
      RunTracker.Advance advance = RunTracker.advance(state, client.getRun(state.runId()),
          new java.util.LinkedHashSet<>(taskNames));
      RemoteWatchState next = advance.state();
      List<String> lines = advance.events().stream().map(RunConsole::format).toList();
      lines.forEach(console);
      ObservationPass.Failures failures = previous == null ? ObservationPass.Failures.NONE : previous;
      MetadataStoreOptions store = null;
      if (observation.observesMetadata()) {
        try {
          store = observation.metadataStore();
        } catch (KfpException e) {
          // The forward to ML Metadata did not open: as an unreachable store, said once; the watch goes on.
          if (!e.getMessage().equals(failures.metadata())) {
            console.accept("[kfp] warning: " + e.getMessage());
          }
          failures = new ObservationPass.Failures(e.getMessage(), failures.logs(), failures.cluster());
        }
      }
      if (store != null) {
        ObservationPass.Result pass = observe(client, store, observation, mirrorLogs, next, failures, console);
        pass.warnings().forEach(w -> console.accept("[kfp] warning: " + w));
        next = next.withLogCursors(pass.cursors());
        failures = pass.failures();
      }
      return new Checked(lines, next.toJson(), next.runState() == null ? "PENDING" : next.runState().name(),
          next.finished(), failures);
    }
  }

  private static ObservationPass.Result observe(KfpClient client, MetadataStoreOptions store,
      RemoteObservation observation, boolean mirrorLogs,
      RemoteWatchState state, ObservationPass.Failures previous, Consumer<String> console) throws InterruptedException {
    KubernetesClient cluster = null;
    String clusterFailure = null;
    if (mirrorLogs && observation.cluster()) {
      try {
        cluster = observation.kubeconfig() != null ? Clusters.fromKubeconfig(observation.kubeconfig())
            : Clusters.connect(null, null);
      } catch (K8sException e) {
        clusterFailure = e.getMessage();
      }
    }
    try (RunMetadataReader reader = RunMetadataReader.open(store)) {
      LogMirror logs = null;
      if (mirrorLogs) {
        List<ArchivedLogSource> archives = new ArrayList<>(List.of(new ApiServerLogArchive(client)));
        if (observation.objectStore() != null) {
          archives.add(new ObjectStoreLogArchive(observation.objectStore(), ARCHIVED_LOGS_PREFIX));
        }
        logs = new LogMirror(cluster == null ? null : new PodLogs(cluster), archives, ObservationPass.console(console),
            Duration.ZERO);
      }
      return ObservationPass.run(reader, logs, state.runId(), state.logCursors(), previous, clusterFailure);
    } finally {
      if (cluster != null) {
        cluster.close();
      }
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
   * {@code uiUrl} ("" when the endpoint has no UI link). The API's view only: no metrics.
   */
  public static Recorded record(KfpConnection connection, String watchState, String pipelineName, Path buildDir,
      List<RunSummary> history) throws KfpException, InterruptedException, IOException {
    return record(connection, watchState, pipelineName, buildDir, history, RemoteObservation.NONE, false, line -> {});
  }

  /**
   * As above, and when {@code observation} has an ML Metadata store the summary (so the map, the
   * report, the trend and {@code kfpGate}) carries the run's metrics and artifacts. With
   * {@code downloadArtifacts} and an object store, the artifacts are downloaded to
   * {@code <run dir>/artifacts/<task id>/<output>} (each with its {@code .lineage.json}) and the
   * summary and map name these files instead of the store's URIs. A store that cannot be read or
   * a failed download is a warning on {@code console}: the run's own outcome stands.
   */
  public static Recorded record(KfpConnection connection, String watchState, String pipelineName, Path buildDir,
      List<RunSummary> history, RemoteObservation observation, boolean downloadArtifacts, Consumer<String> console)
      throws KfpException, InterruptedException, IOException {
    RemoteWatchState state = RemoteWatchState.fromJson(watchState);
    RunSummary summary;
    try (KfpClient client = KfpClient.connect(connection)) {
      summary = RemoteSummaries.summary(client.getRun(state.runId()), state, connection, pipelineName);
    }
    MetadataStoreOptions store = null;
    try {
      store = observation.metadataStore();
    } catch (KfpException e) {
      console.accept("[kfp] warning: metrics and artifacts unavailable: " + e.getMessage());
    }
    if (store != null) {
      try (RunMetadataReader reader = RunMetadataReader.open(store)) {
        summary = RemoteSummaries.withMetadata(summary, reader.read(state.runId()));
      } catch (RunNotInMetadataStoreException e) {
        console.accept("[kfp] warning: run " + state.runId() + " is not in the ML Metadata store at "
            + store.address() + ": its summary has no metrics or artifacts");
      } catch (MetadataStoreException e) {
        console.accept("[kfp] warning: metrics and artifacts unavailable: " + e.getMessage());
      }
    }
    RunStorage.Stored stored = RunStorage.store(buildDir, state.runId(), RunSummaryJson.toJson(summary),
        "the summary of KFP run " + state.runId());
    if (downloadArtifacts) {
      RunSummary local = download(stored, observation, console);
      if (local != stored.summary()) {
        stored = RunStorage.store(buildDir, state.runId(), RunSummaryJson.toJson(local),
            "the summary of KFP run " + state.runId());
      }
    }
    RunReportPage.write(stored.summary(), history, stored.report());
    Map<String, Object> result = new java.util.LinkedHashMap<>(RunOutputs.of(stored.summary(), stored.directory(),
        stored.report()));
    String ui = connection.runUiUrl(state.runId());
    result.put("uiUrl", ui == null ? "" : ui);
    return new Recorded(stored.summary(), stored.directory(), result);
  }

  /** The stored summary with its downloaded artifacts as local files, or the same summary when none was. */
  private static RunSummary download(RunStorage.Stored stored, RemoteObservation observation, Consumer<String> console)
      throws InterruptedException {
    RunSummary summary = stored.summary();
    if (observation.objectStore() == null) {
      console.accept("[kfp] warning: downloadArtifacts: the endpoint has no object store configured; the artifacts"
          + " stay on the server");
      return summary;
    }
    List<ArtifactSummary> remote = summary.artifacts().stream().filter(a -> a.path() == null).toList();
    if (remote.isEmpty()) {
      return summary;
    }
    DownloadReport report;
    try (ArtifactDownloader downloader = new ArtifactDownloader(observation.objectStore())) {
      report = downloader.download(summary.runId(), remote, stored.directory().resolve(ARTIFACTS_DIRECTORY));
    } catch (ObjectStoreException e) {
      console.accept("[kfp] warning: the artifacts of run " + summary.runId() + " were not downloaded: "
          + e.getMessage());
      return summary;
    }
    Map<String, ArtifactSummary> local = new HashMap<>();
    for (DownloadedArtifact d : report.downloaded()) {
      ArtifactSummary a = d.artifact();
      local.put(key(a), new ArtifactSummary(a.name(), a.type(), a.uri(), ARTIFACTS_DIRECTORY + "/" + a.path(),
          a.size(), a.sha256(), a.metadata(), a.producerTaskId()));
    }
    console.accept("[kfp] downloaded " + report.downloaded().size() + " artifact(s) of run " + summary.runId()
        + " to " + stored.directory().resolve(ARTIFACTS_DIRECTORY)
        + (report.missing().isEmpty() ? "" : "; " + report.missing().size() + " had no object in the store"));
    List<TaskSummary> tasks = new ArrayList<>();
    for (TaskSummary t : summary.tasks()) {
      tasks.add(new TaskSummary(t.id(), t.name(), t.parentId(), t.componentName(), t.kind(), t.iteration(), t.state(),
          t.startedAt(), t.finishedAt(), t.attempts(), t.cached(), t.image(), t.upstream(), t.outputParameters(),
          t.artifacts().stream().map(a -> local.getOrDefault(key(a), a)).toList(), t.metrics(), t.log(), t.logTail(),
          t.exitCode(), t.error()));
    }
    RunSummary.PipelineOutputs outputs = summary.outputs();
    if (outputs != null) {
      outputs = new RunSummary.PipelineOutputs(outputs.parameters(), outputs.artifacts().stream()
          .map(a -> {
            ArtifactSummary l = local.values().stream().filter(x -> x.uri().equals(a.uri())).findFirst().orElse(null);
            return l == null ? a : new ArtifactSummary(a.name(), a.type(), a.uri(), l.path(), l.size(), l.sha256(),
                a.metadata(), a.producerTaskId());
          }).toList());
    }
    return new RunSummary(summary.formatVersion(), summary.pipelineName(), summary.runId(), summary.state(),
        summary.createdAt(), summary.startedAt(), summary.finishedAt(), summary.parameters(), summary.location(),
        summary.error(), tasks, summary.gates(), outputs);
  }

  private static String key(ArtifactSummary a) {
    return a.producerTaskId() + "\n" + a.name() + "\n" + a.uri();
  }
}
