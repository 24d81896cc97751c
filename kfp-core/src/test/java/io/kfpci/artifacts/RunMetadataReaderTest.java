package io.kfpci.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.MetricSummary;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java MLMD client against the real ML Metadata store, filled as the KFP driver and launcher
 * fill it for a run with a cache hit, a ParallelFor loop with a failed iteration, scalar metrics,
 * classification metrics and model, dataset, HTML and Markdown outputs (launcher_run.json).
 */
class RunMetadataReaderTest {
  private static final String ROOT = "minio://mlpipeline/v2/artifacts/seed-pipeline/";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path directory;
  private static MlmdTestServer server;

  @BeforeAll
  static void startStore() throws Exception {
    server = MlmdTestServer.start(RunMetadataReaderTest.class, "launcher_run.json", directory);
  }

  @AfterAll
  static void stopStore() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static RunMetadata read(String runId, int pageSize) throws Exception {
    MetadataStoreOptions options = MetadataStoreOptions.builder().address(server.address()).pageSize(pageSize)
        .callDeadline(Duration.ofSeconds(20)).build();
    try (RunMetadataReader reader = RunMetadataReader.open(options)) {
      return reader.read(runId);
    }
  }

  @Test
  void tasksAreKeyedByDagPathWithLoopIterationsAndCacheHits() throws Exception {
    // A page of 3 makes the 9 executions of run-1 take 3 pages of GetExecutionsByContext.
    RunMetadata run = read("run-1", 3);

    assertThat(run.runId()).isEqualTo("run-1");
    String c = "system.ContainerExecution";
    String d = "system.DAGExecution";
    assertThat(run.tasks()).containsExactly(
        new TaskExecution("evaluate", "evaluate", server.executionId("evaluate"), c, ExecutionState.COMPLETE,
            false, null, null, "seed-run1-system-container-impl-333", "kubeflow", null, 1),
        new TaskExecution("for-loop-2", "for-loop-2", server.executionId("loop"), d, ExecutionState.COMPLETE,
            false, null, null, null, null, null, 1),
        new TaskExecution("for-loop-2[0]", "for-loop-2_idx_0", server.executionId("loop0"), d,
            ExecutionState.COMPLETE, false, null, 0, null, null, null, 1),
        new TaskExecution("for-loop-2[0]/score", "score", server.executionId("score0"), c, ExecutionState.COMPLETE,
            false, null, null, "seed-run1-system-container-impl-444", "kubeflow", null, 1),
        new TaskExecution("for-loop-2[1]", "for-loop-2_idx_1", server.executionId("loop1"), d,
            ExecutionState.COMPLETE, false, null, 1, null, null, null, 1),
        new TaskExecution("for-loop-2[1]/score", "score", server.executionId("score1"), c, ExecutionState.FAILED,
            false, null, null, "seed-run1-system-container-impl-555", "kubeflow",
            ROOT + "run-1/score/a1/executor-logs-0", 1),
        new TaskExecution("preprocess", "preprocess", server.executionId("preprocess"), c, ExecutionState.CACHED,
            true, Long.toString(server.executionId("r0-preprocess")), null, null, null, null, 1),
        new TaskExecution("train", "train", server.executionId("train"), c, ExecutionState.COMPLETE,
            false, null, null, "seed-run1-system-container-impl-222", "kubeflow",
            ROOT + "run-1/train/5e1f/executor-logs-0", 1));
  }

  @Test
  void metricsAreTheScalarCustomPropertiesOfMetricsOutputs() throws Exception {
    RunMetadata run = read("run-1", 100);

    assertThat(run.metrics()).containsExactly(
        new MetricSummary("for-loop-2[0]/score", "metrics", "f1", 0.5),
        new MetricSummary("train", "metrics", "accuracy", 0.93),
        new MetricSummary("train", "metrics", "loss", 0.125));
    assertThat(run.classificationMetrics()).hasSize(1);
    ClassificationMetricsSummary eval = run.classificationMetrics().get(0);
    assertThat(List.of(eval.taskId(), eval.output(), eval.type()))
        .containsExactly("evaluate", "eval_metrics", "system.ClassificationMetrics");
    assertThat(JSON.writeValueAsString(eval.value())).isEqualTo("{\"confidenceMetrics\":["
        + "{\"confidenceThreshold\":0.9,\"falsePositiveRate\":0.1,\"recall\":0.5},"
        + "{\"confidenceThreshold\":0.5,\"falsePositiveRate\":0.2,\"recall\":0.8}],"
        + "\"confusionMatrix\":{\"annotationSpecs\":[{\"displayName\":\"cat\"},{\"displayName\":\"dog\"}],"
        + "\"rows\":[{\"row\":[9,1]},{\"row\":[2,8]}]}}");
  }

  @Test
  void artifactsCarryProducerOutputTypeUriAndMetadata() throws Exception {
    RunMetadata run = read("run-1", 100);

    assertThat(run.artifacts()).allSatisfy(a -> {
      assertThat(a.path()).isNull();
      assertThat(a.sha256()).isNull();
      assertThat(a.size()).isEqualTo(-1);
    });
    assertThat(run.artifacts().stream().map(RunMetadataReaderTest::line).toList()).containsExactly(
        "evaluate eval_metrics system.ClassificationMetrics " + ROOT + "run-1/evaluate/77aa/eval_metrics "
            + "{\"confidenceMetrics\":[{\"confidenceThreshold\":0.9,\"falsePositiveRate\":0.1,\"recall\":0.5},"
            + "{\"confidenceThreshold\":0.5,\"falsePositiveRate\":0.2,\"recall\":0.8}],"
            + "\"confusionMatrix\":{\"annotationSpecs\":[{\"displayName\":\"cat\"},{\"displayName\":\"dog\"}],"
            + "\"rows\":[{\"row\":[9,1]},{\"row\":[2,8]}]}}",
        "evaluate notes system.Markdown " + ROOT + "run-1/evaluate/77aa/notes {\"approved\":1}",
        "evaluate report system.HTML " + ROOT + "run-1/evaluate/77aa/report {}",
        "for-loop-2[0]/score metrics system.Metrics " + ROOT + "run-1/score/a0/metrics {\"f1\":0.5}",
        // The cache hit reports the artifact the earlier run wrote, under this run's task.
        "preprocess dataset system.Dataset " + ROOT + "run-0/preprocess/0b4c/dataset {\"rows\":150}",
        "train metrics system.Metrics " + ROOT + "run-1/train/5e1f/metrics {\"accuracy\":0.93,\"loss\":0.125}",
        "train model system.Model " + ROOT + "run-1/train/5e1f/model {\"epochs\":3,\"framework\":\"sklearn\"}");
  }

  @Test
  void anotherRunOfTheSameStoreIsItsOwn() throws Exception {
    RunMetadata run = read("run-0", 100);

    assertThat(run.tasks()).extracting(TaskExecution::taskId, TaskExecution::state, TaskExecution::cached)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("preprocess", ExecutionState.COMPLETE, false));
    assertThat(run.metrics()).isEmpty();
    assertThat(run.artifacts()).extracting(ArtifactSummary::producerTaskId, ArtifactSummary::name)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("preprocess", "dataset"));
  }

  @Test
  void anUnknownRunIsNamedWithTheStore() {
    assertThatThrownBy(() -> read("no-such-run", 100))
        .isInstanceOf(RunNotInMetadataStoreException.class)
        .hasMessage("the ML Metadata store at " + server.address() + " has no system.PipelineRun context named"
            + " 'no-such-run': check the run id, and that --mlmd points at the store of the cluster that ran it");
  }

  @Test
  void anUnreachableStoreIsADistinctRetryableErrorNamingTheAddress() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    MetadataStoreOptions options = MetadataStoreOptions.builder().address("127.0.0.1:" + port)
        .callDeadline(Duration.ofSeconds(5)).build();
    try (RunMetadataReader reader = RunMetadataReader.open(options)) {
      assertThatThrownBy(() -> reader.read("run-1"))
          .isInstanceOfSatisfying(MetadataStoreUnavailableException.class, e -> {
            assertThat(e.address()).isEqualTo("127.0.0.1:" + port);
            assertThat(e.isRetryable()).isTrue();
          })
          .hasMessageStartingWith("the ML Metadata store at 127.0.0.1:" + port
              + " is unreachable (GetContextByTypeAndName: UNAVAILABLE")
          .hasMessageEndingWith("Check the address, or forward KFP's store with"
              + " 'kubectl port-forward -n kubeflow svc/metadata-grpc-service 8080:8080'");
    }
  }

  @Test
  void aStoreThatNeverAnswersMeetsTheDeadline() throws Exception {
    // Accepts the connection, then says nothing: only the call deadline ends the wait.
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      MetadataStoreOptions options = MetadataStoreOptions.builder().address("127.0.0.1:" + silent.getLocalPort())
          .callDeadline(Duration.ofSeconds(1)).build();
      try (RunMetadataReader reader = RunMetadataReader.open(options)) {
        assertThatThrownBy(() -> reader.read("run-1"))
            .isInstanceOf(MetadataStoreUnavailableException.class)
            .hasMessageStartingWith("the ML Metadata store at 127.0.0.1:" + silent.getLocalPort()
                + " is unreachable (GetContextByTypeAndName: DEADLINE_EXCEEDED");
      }
    }
  }

  @Test
  void badAddressesAreRefusedBeforeAnyCall() {
    assertThatThrownBy(() -> MetadataStoreOptions.builder().address("localhost").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ML Metadata address 'localhost' is not host:port (e.g. localhost:8080)");
    assertThatThrownBy(() -> MetadataStoreOptions.builder().address("localhost:http").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ML Metadata address 'localhost:http' has no numeric port");
    assertThat(MetadataStoreOptions.builder().address("[::1]:8080").build().address()).isEqualTo("[::1]:8080");
  }

  private static String line(ArtifactSummary a) {
    try {
      return a.producerTaskId() + " " + a.name() + " " + a.type() + " " + a.uri() + " "
          + JSON.writeValueAsString(a.metadata());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
