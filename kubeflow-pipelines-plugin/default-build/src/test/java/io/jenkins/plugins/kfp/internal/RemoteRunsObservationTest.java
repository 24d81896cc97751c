package io.jenkins.plugins.kfp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.jenkins.plugins.kfp.PluginClassesAccess;
import io.jenkins.plugins.kfp.view.KfpRunAction;
import io.kfpci.artifacts.MetadataStoreOptions;
import io.kfpci.artifacts.ObjectStoreOptions;
import io.kfpci.client.KfpConnection;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.ScriptedRunExecutor;
import io.kfpci.python.PythonEnvironmentException;
import io.kfpci.python.PythonSettings;
import io.kfpci.python.Venv;
import io.kfpci.python.VenvManager;
import io.kfpci.remote.ObservationPass;
import io.kfpci.remote.RemoteWatchState;
import io.kfpci.report.RunSummaryJson;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a remote {@code kfpRun} shows besides states, without Jenkins: the controller's check and
 * record calls against the KFP emulator, the real ML Metadata store (kfp-core's launcher-shaped
 * run under the emulator's run id), fabric8's mock API server for the tasks' pods and logs, and
 * S3Proxy as the object store. Each log line is given once with its task, a check resumed from the
 * saved watch state repeats none, metrics and artifacts land in the stored summary and the step's
 * map, downloads go under the build's run directory, and a store that cannot be reached leaves the
 * states flowing with one warning.
 */
@EnableKubernetesMockClient
class RemoteRunsObservationTest {
  private static final Path FIXTURES = PluginClassesAccess.repoRoot()
      .resolve("kfp-core/src/test/resources/artifacts/RunMetadataReaderTest");
  private static final List<String> TASKS = List.of("preprocess", "train");
  private static final String ACCESS = "kfp-access";
  private static final String SECRET = "kfp-secret-do-not-print";
  private static final List<String> LOG_LINES = List.of("[train] fitting", "[train] accuracy=0.93",
      "[evaluate] evaluating", "[for-loop-2[0]/score] score 0", "[for-loop-2[1]/score] score 1",
      "[for-loop-2[1]/score] score 1 again");

  // Instance fields: a mock API server per test, so one test's pods are not another's.
  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir Path dir;
  @TempDir Path buildDir;
  private KfpEmulator kfp;
  private Process mlmd;
  private S3Proxy s3;
  private BlobStoreContext blobs;

  @AfterEach
  void stop() throws Exception {
    if (kfp != null) {
      kfp.close();
    }
    if (mlmd != null) {
      try (OutputStream stdin = mlmd.getOutputStream()) {
        stdin.flush(); // the server stops when its stdin closes
      }
      if (!mlmd.waitFor(10, TimeUnit.SECONDS)) {
        mlmd.destroyForcibly();
      }
    }
    if (s3 != null) {
      s3.stop();
    }
    if (blobs != null) {
      blobs.close();
    }
  }

  private static void skipOrFail(String reason) {
    if (System.getenv("CI") != null) {
      fail(reason);
    }
    Assumptions.abort("skipped: " + reason);
  }

  private KfpConnection startKfp(ScriptedRunExecutor executor) throws Exception {
    kfp = Emulators.start(KfpEmulator.builder().runExecutor(executor));
    return RemoteUpload.connection("prod", kfp.baseUrl().toString(), "", "", () -> "", w -> {});
  }

  private static RemoteRuns.Request request() throws Exception {
    byte[] ir = Files.readAllBytes(PluginClassesAccess.repoRoot()
        .resolve("kfp-cli/src/test/resources/cli/RemoteCommandsTest/two-step.yaml"));
    return new RemoteRuns.Request("two-step.yaml", ir, Map.of(), "nightly", "", "", "", "abc1234",
        "Jenkins team/train#7");
  }

  /** The real ML Metadata store holding kfp-core's launcher-shaped run as {@code runId}; its address. */
  private String startStore(String runId) throws Exception {
    Venv venv = null;
    try {
      venv = new VenvManager(PythonSettings.defaults()).ensure(List.of("ml-metadata==1.17.1"));
    } catch (PythonEnvironmentException e) {
      skipOrFail("the real ML Metadata store cannot be installed here: " + e.getMessage());
    }
    Path fixture = Files.writeString(dir.resolve("run.json"),
        Files.readString(FIXTURES.resolve("launcher_run.json")).replace("\"run-1\"", "\"" + runId + "\""));
    Path portFile = dir.resolve("port.json");
    mlmd = new ProcessBuilder(venv.python().toString(), FIXTURES.resolve("mlmd_server.py").toString(),
        fixture.toString(), dir.resolve("mlmd.sqlite").toString(), portFile.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(portFile)) {
      if (!mlmd.isAlive() || System.nanoTime() > until) {
        mlmd.destroyForcibly();
        throw new IllegalStateException("the MLMD test server did not start:\n"
            + Files.readString(dir.resolve("server.log")));
      }
      Thread.sleep(50);
    }
    return "127.0.0.1:" + new ObjectMapper().readTree(portFile.toFile()).get("port").asInt();
  }

  /** The fixture's task pods on the mock API server, ended, with their {@code main} logs. */
  private void pods() {
    pod("seed-run1-system-container-impl-222", "2026-11-28T10:00:00Z fitting", "2026-11-28T10:00:01.5Z accuracy=0.93");
    pod("seed-run1-system-container-impl-333", "2026-11-28T10:00:02Z evaluating");
    pod("seed-run1-system-container-impl-444", "2026-11-28T10:00:03Z score 0");
    pod("seed-run1-system-container-impl-555", "2026-11-28T10:00:03Z score 1", "2026-11-28T10:00:03Z score 1 again");
  }

  private void pod(String name, String... lines) {
    String base = "/api/v1/namespaces/kubeflow/pods/" + name;
    server.expect().get().withPath(base).andReturn(200, new PodBuilder().withNewMetadata().withName(name)
        .withNamespace("kubeflow").endMetadata().withNewStatus().withPhase("Succeeded").endStatus().build()).always();
    server.expect().get().withPath(base + "/log?pretty=false&container=main&timestamps=true")
        .andReturn(200, String.join("\n", lines) + "\n").always();
  }

  private ObjectStoreOptions startObjectStore() throws Exception {
    blobs = ContextBuilder.newBuilder("transient").credentials("unused", "unused").build(BlobStoreContext.class);
    BlobStore store = blobs.getBlobStore();
    store.createContainerInLocation(null, ObjectStoreOptions.KFP_BUCKET);
    s3 = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
    s3.start();
    while (!AbstractLifeCycle.STARTED.equals(s3.getState())) {
      Thread.sleep(10);
    }
    byte[] model = "model-bytes\n".getBytes(StandardCharsets.UTF_8);
    store.putBlob(ObjectStoreOptions.KFP_BUCKET, store.blobBuilder("v2/artifacts/seed-pipeline/run-1/train/5e1f/model")
        .payload(model).contentLength(model.length).build());
    return ObjectStoreOptions.builder().endpoint("http://127.0.0.1:" + s3.getPort()).credentials(ACCESS, SECRET)
        .build();
  }

  private static RemoteObservation observation(String address, String kubeconfig, ObjectStoreOptions objectStore) {
    return new RemoteObservation(MetadataStoreOptions.builder().address(address).build(), objectStore, kubeconfig,
        false);
  }

  @Test
  void eachLogLineOnceWithItsTaskAndAResumedCheckRepeatsNone() throws Exception {
    ScriptedRunExecutor executor = ScriptedRunExecutor.manual();
    KfpConnection connection = startKfp(executor);
    RemoteRuns.Submitted submitted = RemoteRuns.submit(connection, request(), RemoteRuns.newMark());
    RemoteObservation observation = observation(startStore(submitted.runId()), MockKubeconfigs.of(client, "kubeflow"), null);
    pods();
    executor.advance(submitted.runId());

    List<String> console = new ArrayList<>();
    RemoteRuns.Checked first = RemoteRuns.check(connection, submitted.watchState(), TASKS, observation, true,
        ObservationPass.Failures.NONE, console::add);

    List<String> logLines = console.stream().filter(l -> !l.startsWith("[kfp]")).toList();
    assertThat(logLines).hasSize(LOG_LINES.size() + 1).containsAll(LOG_LINES);
    assertThat(logLines.indexOf("[train] fitting")).isLessThan(logLines.indexOf("[train] accuracy=0.93"));
    assertThat(logLines).filteredOn(l -> l.startsWith("[preprocess] ")).singleElement().asString()
        .startsWith("[preprocess] (served from cache (execution ").endsWith("): it ran no pod and has no log)");
    // State lines come first, as the API saw them; they alone are the returned lines.
    assertThat(console.subList(0, first.lines().size())).isEqualTo(first.lines()).allMatch(l -> l.startsWith("[kfp] "));
    assertThat(first.lines()).containsExactly("[kfp] run: PENDING", "[kfp] run: RUNNING", "[kfp] preprocess: RUNNING");
    assertThat(console).noneMatch(l -> l.contains("warning"));
    assertThat(first.failures()).isEqualTo(ObservationPass.Failures.NONE);
    assertThat(RemoteWatchState.fromJson(first.watchState()).logCursors()).hasSize(5)
        .allSatisfy((task, cursor) -> assertThat(cursor.done()).as(task).isTrue());

    // A restart: the next check starts from the saved JSON and prints new states only.
    executor.advanceToEnd(submitted.runId());
    List<String> resumed = new ArrayList<>();
    RemoteRuns.Checked second = RemoteRuns.check(connection, first.watchState(), TASKS, observation, true,
        first.failures(), resumed::add);
    assertThat(resumed).isNotEmpty().allMatch(l -> l.startsWith("[kfp] ")).doesNotContainAnyElementsOf(console);
    assertThat(second.finished()).isTrue();

    // Without the saved cursors the same pass would print every line again: the state is what prevents it.
    List<String> fresh = new ArrayList<>();
    RemoteRuns.check(connection, submitted.watchState(), TASKS, observation, true, ObservationPass.Failures.NONE,
        fresh::add);
    assertThat(fresh).containsAll(LOG_LINES);

    // mirrorLogs: false reads the records but no log.
    List<String> quiet = new ArrayList<>();
    RemoteRuns.check(connection, submitted.watchState(), TASKS, observation, false, ObservationPass.Failures.NONE,
        quiet::add);
    assertThat(quiet).allMatch(l -> l.startsWith("[kfp] "));
  }

  @Test
  void aPodWhoseLogCannotBeReadWarnsOnceAndTheOthersAreMirroredOnce() throws Exception {
    ScriptedRunExecutor executor = ScriptedRunExecutor.manual();
    KfpConnection connection = startKfp(executor);
    RemoteRuns.Submitted submitted = RemoteRuns.submit(connection, request(), RemoteRuns.newMark());
    RemoteObservation observation = observation(startStore(submitted.runId()), MockKubeconfigs.of(client, "kubeflow"), null);
    pod("seed-run1-system-container-impl-222", "2026-11-28T10:00:00Z fitting", "2026-11-28T10:00:01.5Z accuracy=0.93");
    pod("seed-run1-system-container-impl-333", "2026-11-28T10:00:02Z evaluating");
    pod("seed-run1-system-container-impl-444", "2026-11-28T10:00:03Z score 0");
    // The second score attempt's pod runs, but the API server fails to give its log.
    String broken = "/api/v1/namespaces/kubeflow/pods/seed-run1-system-container-impl-555";
    server.expect().get().withPath(broken).andReturn(200, new PodBuilder().withNewMetadata()
        .withName("seed-run1-system-container-impl-555").withNamespace("kubeflow").endMetadata().withNewStatus()
        .withPhase("Running").endStatus().build()).always();
    server.expect().get().withPath(broken + "/log?pretty=false&container=main&timestamps=true")
        .andReturn(500, "etcd is sad").always();

    List<String> console = new ArrayList<>();
    String state = submitted.watchState();
    ObservationPass.Failures failures = ObservationPass.Failures.NONE;
    for (int i = 0; i < 3; i++) {
      RemoteRuns.Checked checked = RemoteRuns.check(connection, state, TASKS, observation, true, failures,
          console::add);
      state = checked.watchState();
      failures = checked.failures();
    }

    assertThat(console).filteredOn(l -> l.contains("warning")).singleElement().asString()
        .startsWith("[kfp] warning: task logs unavailable for now: ");
    assertThat(console).filteredOn(l -> !l.startsWith("[kfp]") && !l.startsWith("[preprocess]"))
        .containsExactlyInAnyOrder("[train] fitting", "[train] accuracy=0.93", "[evaluate] evaluating",
            "[for-loop-2[0]/score] score 0");
    assertThat(failures.logs()).isNotNull();
    assertThat(RemoteWatchState.fromJson(state).logCursors().get("for-loop-2[1]/score")).satisfiesAnyOf(
        c -> assertThat(c).isNull(), c -> assertThat(c.done()).isFalse());
  }

  @Test
  void metricsAndDownloadedArtifactsLandInTheSummaryAndTheMap() throws Exception {
    ScriptedRunExecutor executor = ScriptedRunExecutor.manual();
    KfpConnection connection = startKfp(executor);
    RemoteRuns.Submitted submitted = RemoteRuns.submit(connection, request(), RemoteRuns.newMark());
    RemoteObservation observation = observation(startStore(submitted.runId()), null, startObjectStore());
    executor.advanceToEnd(submitted.runId());
    RemoteRuns.Checked checked = RemoteRuns.check(connection, submitted.watchState(), TASKS, observation, false,
        ObservationPass.Failures.NONE, line -> {});
    assertThat(checked.finished()).isTrue();

    List<String> console = new ArrayList<>();
    RemoteRuns.Recorded recorded = RemoteRuns.record(connection, checked.watchState(), "two-step", buildDir, List.of(),
        observation, true, console::add);

    Path runDir = buildDir.resolve("kfp").resolve(submitted.runId());
    Path model = runDir.resolve("artifacts/train/model");
    assertThat(Files.readString(model)).isEqualTo("model-bytes\n");
    assertThat(new ObjectMapper().readTree(runDir.resolve("artifacts/train/model.lineage.json").toFile())
        .get("uri").asText()).isEqualTo("minio://mlpipeline/v2/artifacts/seed-pipeline/run-1/train/5e1f/model");
    assertThat(recorded.result()).containsEntry("state", "SUCCEEDED").containsEntry("runDir", runDir.toString());
    @SuppressWarnings("unchecked")
    Map<String, Double> metrics = (Map<String, Double>) recorded.result().get("metrics");
    assertThat(metrics).containsEntry("accuracy", 0.93).containsEntry("loss", 0.125).containsEntry("f1", 0.5);
    @SuppressWarnings("unchecked")
    Map<String, String> artifacts = (Map<String, String>) recorded.result().get("artifacts");
    assertThat(artifacts).containsEntry("train/model", model.toString())
        .containsEntry("evaluate/report", "minio://mlpipeline/v2/artifacts/seed-pipeline/run-1/evaluate/77aa/report");
    // The stored summary is what the report, the trend and kfpGate read: it has the metrics and the local file.
    var stored = RunSummaryJson.read(runDir.resolve("summary.json"));
    assertThat(stored.metrics()).anySatisfy(m -> {
      assertThat(m.taskId()).isEqualTo("train");
      assertThat(m.name()).isEqualTo("accuracy");
      assertThat(m.value()).isEqualTo(0.93);
    });
    assertThat(stored.artifacts()).anySatisfy(a -> {
      assertThat(a.producerTaskId()).isEqualTo("train");
      assertThat(a.path()).isEqualTo("artifacts/train/model");
      assertThat(a.sha256()).isNotBlank();
    });
    assertThat(Files.readString(runDir.resolve("report.html"))).contains("accuracy");
    assertThat(console).anyMatch(l -> l.startsWith("[kfp] downloaded 1 artifact(s) of run " + submitted.runId()
        + " to " + runDir.resolve("artifacts") + "; "));
    assertThat(String.join("\n", console)).doesNotContain(SECRET);

    // The run view of the build: metrics (so the job's trend), the UI link, artifacts with their producer and lineage.
    KfpRunAction action = KfpRunAction.remote(recorded.summary(), "prod", submitted.uiUrl());
    assertThat(action.isRemote()).isTrue();
    assertThat(action.getEndpoint()).isEqualTo("prod");
    assertThat(action.getUiUrl()).isEqualTo(submitted.uiUrl());
    // Nothing of it is on an agent: kfpGate writes no copy of its verdicts anywhere but the build.
    assertThat(action.getNode()).isEmpty();
    assertThat(action.getRunDirectory()).isEmpty();
    assertThat(action.getMetrics()).isEqualTo(metrics);
    assertThat(action.getArtifacts()).anySatisfy(a -> {
      assertThat(a.getTask()).isEqualTo("train");
      assertThat(a.getOutput()).isEqualTo("model");
      assertThat(a.getType()).isEqualTo("system.Model");
      assertThat(a.getPath()).isEqualTo("artifacts/train/model");
      assertThat(a.getLineage()).isEqualTo("artifacts/train/model.lineage.json");
    }).anySatisfy(a -> {
      assertThat(a.getTask()).isEqualTo("evaluate");
      assertThat(a.getOutput()).isEqualTo("report");
      assertThat(a.getPath()).isEmpty();
      assertThat(a.getLineage()).isEmpty();
    });
  }

  @Test
  void anUnreachableMetadataStoreLeavesTheStatesFlowingWithOneWarning() throws Exception {
    ScriptedRunExecutor executor = ScriptedRunExecutor.manual();
    KfpConnection connection = startKfp(executor);
    RemoteRuns.Submitted submitted = RemoteRuns.submit(connection, request(), RemoteRuns.newMark());
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort(); // nothing listens there once the socket is closed
    }
    RemoteObservation observation = new RemoteObservation(MetadataStoreOptions.builder()
        .address("127.0.0.1:" + closed).callDeadline(Duration.ofSeconds(5)).build(), null, null, false);

    List<String> console = new ArrayList<>();
    String state = submitted.watchState();
    ObservationPass.Failures failures = ObservationPass.Failures.NONE;
    boolean finished = false;
    for (int i = 0; i < 20 && !finished; i++) {
      RemoteRuns.Checked checked = RemoteRuns.check(connection, state, TASKS, observation, true, failures,
          console::add);
      state = checked.watchState();
      failures = checked.failures();
      finished = checked.finished();
      executor.advance(submitted.runId());
    }

    assertThat(finished).isTrue();
    assertThat(console).filteredOn(l -> l.contains("warning")).singleElement().asString()
        .startsWith("[kfp] warning: metrics and artifacts unavailable for now: ");
    assertThat(console).filteredOn(l -> !l.contains("warning")).containsExactly("[kfp] run: PENDING",
        "[kfp] run: RUNNING", "[kfp] preprocess: RUNNING", "[kfp] preprocess: SUCCEEDED", "[kfp] train: RUNNING",
        "[kfp] train: SUCCEEDED", "[kfp] run: SUCCEEDED");
    assertThat(failures.metadata()).isNotNull();

    // Recording the ended run still works, without metrics, with the reason said.
    List<String> recordConsole = new ArrayList<>();
    RemoteRuns.Recorded recorded = RemoteRuns.record(connection, state, "two-step", buildDir, List.of(), observation,
        false, recordConsole::add);
    assertThat(recorded.result()).containsEntry("state", "SUCCEEDED").containsEntry("metrics", Map.of());
    assertThat(recordConsole).singleElement().asString().startsWith("[kfp] warning: metrics and artifacts unavailable: ");
  }
}
