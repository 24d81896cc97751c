package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.kfpci.artifacts.RunMetadata;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.MetricSummary;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote path end to end, with real parts wherever they exist: {@code kfpci submit --wait} of
 * the seed pipeline (examples/ml_training_pipeline.py, compiled by the real kfp SDK) to the KFP
 * emulator, whose runs are executed for real by the local runner ({@link LocalBackedRunExecutor});
 * as each task ends, its output files go to a real S3 server (S3Proxy), its records to the real
 * ML Metadata store, and its pod with its real log lines to the Kubernetes mock server
 * ({@link LauncherStandIn}). The watch must mirror every log line once, end with the same metrics
 * table as the local run, and {@code kfpci artifacts --download} must fetch the very model the
 * local run trained.
 *
 * <p>One submitted run is shared by the tests: it runs the whole pipeline (about 20 s once the
 * seed pipeline's venv is cached, which DemoCommandTest builds in the same build).
 */
class RemoteEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static MlmdStoreProcess mlmd;
  private static BlobStoreContext blobs;
  private static S3Proxy s3;
  private static String s3Endpoint;
  private static KubernetesMockServer cluster;
  private static KfpEmulator kfp;
  private static LocalBackedRunExecutor executor;
  private static Path kubeconfig;
  private static CliRun submitted;
  private static String runId;
  private static RunSummary local;
  private static Path localRun;

  @BeforeAll
  static void submitTheSeedPipelineAndWait() throws Exception {
    mlmd = MlmdStoreProcess.start(Files.createDirectories(dir.resolve("mlmd")));

    blobs = ContextBuilder.newBuilder("transient").credentials("unused", "unused").build(BlobStoreContext.class);
    s3 = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.NONE, null, null).build();
    s3.start();
    while (!AbstractLifeCycle.STARTED.equals(s3.getState())) {
      Thread.sleep(10);
    }
    s3Endpoint = "http://127.0.0.1:" + s3.getPort();
    MinioClient objects = MinioClient.builder().endpoint(s3Endpoint).build();
    objects.makeBucket(MakeBucketArgs.builder().bucket(LauncherStandIn.BUCKET).build());
    assertThat(objects.bucketExists(BucketExistsArgs.builder().bucket(LauncherStandIn.BUCKET).build())).isTrue();

    // Expectations are added while the watcher reads: a concurrent map, not the default HashMap.
    cluster = new KubernetesMockServer(new MockWebServer(), new ConcurrentHashMap<>(), false);
    cluster.init();
    kubeconfig = MockKubeconfig.write(dir, cluster.url("/"), "kubeflow");

    executor = new LocalBackedRunExecutor(Files.createDirectories(dir.resolve("cluster")),
        new LauncherStandIn(mlmd, objects, cluster));
    kfp = Emulators.start(KfpEmulator.builder().runExecutor(executor));

    Submitted run = submit(CliRun.repoRoot().resolve(DemoCommand.DATA));
    submitted = run.cli();
    runId = run.runId();
    local = run.local();
    localRun = run.localRun();
  }

  /** What {@code kfpci submit --wait} printed, and the local run behind it. */
  private record Submitted(CliRun cli, String runId, RunSummary local, Path localRun) {}

  private static Submitted submit(Path data) throws Exception {
    CliRun cli = CliRun.of("submit", CliRun.repoRoot().resolve("examples/ml_training_pipeline.py").toString(),
        "--endpoint", kfp.baseUrl().toString(), "--wait", "-p", "data_path=" + data, "--mlmd", mlmd.address(),
        "--kubeconfig", kubeconfig.toString(), "--s3-endpoint", s3Endpoint,
        "--pipeline-root", dir.resolve("watched").toString());
    String first = cli.out().lines().filter(l -> l.startsWith("submitted run ")).findFirst()
        .orElseThrow(() -> new AssertionError("no run was submitted:\n" + cli.out() + cli.err()));
    String id = first.split(" ")[2];
    RunSummary summary = executor.finished(id).get(10, TimeUnit.MINUTES);
    return new Submitted(cli, id, summary, executor.runsRoot().resolve(summary.pipelineName()).resolve(id));
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (kfp != null) {
      kfp.close();
    }
    if (cluster != null) {
      cluster.destroy();
    }
    if (s3 != null) {
      s3.stop();
    }
    if (blobs != null) {
      blobs.close();
    }
    if (mlmd != null) {
      mlmd.close();
    }
  }

  @Test
  void submitWaitEndsSucceededWithEveryLogLineOnceLabelledWithItsTask() throws Exception {
    assertThat(submitted.exitCode()).as(submitted.out() + submitted.err()).isZero();
    assertThat(submitted.err()).isEmpty();
    assertThat(local.state()).isEqualTo(RuntimeState.SUCCEEDED);
    List<String> lines = submitted.out().lines().toList();
    assertThat(lines).contains("[run] -- SUCCEEDED", "run " + runId + " SUCCEEDED");
    // The nested task's state lines carry the id its log lines carry.
    assertThat(lines).contains("[condition-1/deploy-model] -- SUCCEEDED").noneMatch(l -> l.startsWith("[deploy-model]"));

    List<TaskSummary> containers = local.tasks().stream().filter(t -> t.kind().equals("container")).toList();
    assertThat(containers).extracting(TaskSummary::id)
        .containsExactlyInAnyOrder("preprocess", "train", "evaluate", "condition-1/deploy-model");
    List<String> expected = new ArrayList<>();
    for (TaskSummary task : containers) {
      List<String> taskLines = LauncherStandIn.logLines(localRun, task).stream().map(l -> "[" + task.id() + "] " + l)
          .toList();
      assertThat(taskLines).as("the local log of " + task.id()).isNotEmpty();
      // In the order the task wrote them, each once.
      assertThat(lines.stream().filter(l -> l.startsWith("[" + task.id() + "] ") && !isStateLine(l)).toList())
          .as("the mirrored log of " + task.id()).containsExactlyElementsOf(taskLines);
      expected.addAll(taskLines);
    }
    // And no other task line: no notice, no line of another task's log, no line twice.
    List<String> mirrored = lines.stream().filter(l -> l.startsWith("[") && !l.startsWith("[run] ") && !isStateLine(l))
        .toList();
    assertThat(mirrored).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aFailingTaskEndsTheRunFailedWithItsErrorMirroredOnceAndNoMetrics() throws Exception {
    Path missing = dir.resolve("no-such-data.csv");

    Submitted run = submit(missing);

    assertThat(run.local().state()).isEqualTo(RuntimeState.FAILED);
    TaskSummary preprocess = run.local().tasks().stream().filter(t -> t.id().equals("preprocess")).findFirst()
        .orElseThrow();
    assertThat(preprocess.state()).isEqualTo(RuntimeState.FAILED);
    List<String> log = LauncherStandIn.logLines(run.localRun(), preprocess).stream().map(l -> "[preprocess] " + l)
        .toList();
    assertThat(log).anyMatch(l -> l.contains("FileNotFoundError") && l.contains(missing.toString()));
    assertThat(run.cli().exitCode()).as(run.cli().out() + run.cli().err()).isEqualTo(ExitCodes.FAILED);
    List<String> lines = run.cli().out().lines().toList();
    assertThat(lines.stream().filter(l -> l.startsWith("[") && !l.startsWith("[run] ") && !isStateLine(l)).toList())
        .containsExactlyElementsOf(log);
    assertThat(lines).contains("[preprocess] -- FAILED", "[run] -- FAILED");
    assertThat(lines.subList(lines.size() - 4, lines.size() - 2)).containsExactly(
        "run " + run.runId() + " logged no metrics", "run " + run.runId() + " FAILED");
  }

  /** "[task] -- STATE ..." and "[task] -- image ..." are the watch's own lines, not a log's. */
  private static boolean isStateLine(String line) {
    int end = line.indexOf("] -- ");
    return end > 0 && line.indexOf(' ') == end + 1;
  }

  @Test
  void theMetricsTableAtTheEndIsTheLocalRunsTable() throws Exception {
    // The local run's metrics as the store keeps them: ML Metadata writes a double into its SQL as
    // std::to_string does (QueryConfigExecutor::Bind(double)), to six decimal places.
    List<MetricSummary> metrics = new ArrayList<>(local.metrics().stream()
        .map(m -> new MetricSummary(m.taskId(), m.output(), m.name(), asMlmdStoresIt(m.value()))).toList());
    metrics.sort(Comparator.comparing(MetricSummary::taskId).thenComparing(MetricSummary::output)
        .thenComparing(MetricSummary::name));
    assertThat(metrics).extracting(MetricSummary::taskId).contains("preprocess", "train", "evaluate");
    StringWriter table = new StringWriter();
    try (PrintWriter out = new PrintWriter(table)) {
      MetricsCommand.text(new RunMetadata(runId, List.of(), metrics, List.of(), List.of()), out);
    }
    String text = submitted.out().replace("\r\n", "\n");
    int start = text.indexOf("TASK ");
    int end = text.indexOf("run " + runId + " SUCCEEDED\n");
    assertThat(start).as(text).isPositive();
    assertThat(text.substring(start, end)).isEqualTo(table.toString().replace(System.lineSeparator(), "\n"));

    // The watch's summary (the contract every consumer reads) carries the same metrics.
    String summaryLine = submitted.out().lines().filter(l -> l.startsWith("summary: ")).findFirst().orElseThrow();
    RunSummary remote = RunSummaryJson.read(Path.of(summaryLine.substring("summary: ".length())));
    assertThat(remote.runId()).isEqualTo(runId);
    assertThat(remote.state()).isEqualTo(RuntimeState.SUCCEEDED);
    List<MetricSummary> summarized = new ArrayList<>(remote.metrics());
    summarized.sort(Comparator.comparing(MetricSummary::taskId).thenComparing(MetricSummary::output)
        .thenComparing(MetricSummary::name));
    assertThat(summarized).containsExactlyElementsOf(metrics);

    // kfpci metrics reads the same records: every value exactly the local run's.
    CliRun json = CliRun.of("metrics", runId, "--mlmd", mlmd.address(), "--output", "json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    List<MetricSummary> read = new ArrayList<>();
    for (JsonNode m : JSON.readTree(json.out()).get("metrics")) {
      read.add(new MetricSummary(m.get("task_id").asText(), m.get("output").asText(), m.get("name").asText(),
          m.get("value").asDouble()));
    }
    assertThat(read).containsExactlyElementsOf(metrics);
  }

  /** {@code std::to_string(double)}: {@code %f}, the exact binary value rounded half-even to 6 decimals. */
  static double asMlmdStoresIt(double value) {
    return new BigDecimal(value).setScale(6, RoundingMode.HALF_EVEN).doubleValue();
  }

  @Test
  void theDownloadedModelIsTheModelTheLocalRunTrained() throws Exception {
    ArtifactSummary model = local.artifacts().stream().filter(a -> a.type().equals("system.Model")).findFirst()
        .orElseThrow();
    Path trained = localRun.resolve(model.path());
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(trained)));
    assertThat(model.sha256()).isEqualTo(digest);
    Path download = dir.resolve("download");

    CliRun artifacts = CliRun.of("artifacts", runId, "--mlmd", mlmd.address(), "--s3-endpoint", s3Endpoint,
        "--download", download.toString(), "--type", "Model");

    assertThat(artifacts.err()).isEmpty();
    assertThat(artifacts.exitCode()).isZero();
    String uriPrefix = LauncherStandIn.DEFAULT_PIPELINE_ROOT + "/" + local.pipelineName() + "/" + runId + "/train/";
    List<String> lines = artifacts.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("train  model  system.Model  " + uriPrefix);
    assertThat(lines.get(1)).isEqualTo("downloaded " + download.resolve("train/model") + " (" + Files.size(trained)
        + " bytes, sha256 " + digest + ")");
    assertThat(Files.mismatch(download.resolve("train/model"), trained)).isEqualTo(-1L);

    JsonNode lineage = JSON.readTree(download.resolve("train/model.lineage.json").toFile());
    assertThat(lineage.get("run_id").asText()).isEqualTo(runId);
    assertThat(lineage.get("task_id").asText()).isEqualTo("train");
    assertThat(lineage.get("output").asText()).isEqualTo("model");
    assertThat(lineage.get("type").asText()).isEqualTo("system.Model");
    assertThat(lineage.get("uri").asText()).startsWith(uriPrefix).endsWith("/model")
        .isEqualTo(lines.get(0).split("  ")[3]);
    assertThat(lineage.get("sha256").asText()).isEqualTo(digest);
    assertThat(lineage.get("size").asLong()).isEqualTo(Files.size(trained));
    assertThat(lineage.get("metadata").get("framework").asText()).isEqualTo(model.metadata().get("framework").asText());
  }
}
