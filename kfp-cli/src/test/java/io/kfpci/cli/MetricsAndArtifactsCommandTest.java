package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kfpci metrics} and {@code kfpci artifacts} against the real ML Metadata store (PyPI
 * ml-metadata behind kfp-core's test gRPC server), filled with kfp-core's launcher-shaped run.
 */
class MetricsAndArtifactsCommandTest {
  private static final String ROOT = "minio://mlpipeline/v2/artifacts/seed-pipeline/";

  @TempDir
  static Path directory;
  private static MlmdStoreProcess mlmd;
  private static String address;

  @BeforeAll
  static void startStore() throws Exception {
    mlmd = MlmdStoreProcess.start(directory, MlmdStoreProcess.LAUNCHER_RUN);
    address = mlmd.address();
  }

  @AfterAll
  static void stopStore() throws Exception {
    if (mlmd != null) {
      mlmd.close();
    }
  }

  @Test
  void metricsPrintsATable() {
    CliRun run = CliRun.of("metrics", "run-1", "--mlmd", address);

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("""
        TASK                 OUTPUT   METRIC    VALUE
        for-loop-2[0]/score  metrics  f1        0.5
        train                metrics  accuracy  0.93
        train                metrics  loss      0.125
        evaluate eval_metrics (system.ClassificationMetrics): {"confidenceMetrics":[{"confidenceThreshold":0.9,\
        "falsePositiveRate":0.1,"recall":0.5},{"confidenceThreshold":0.5,"falsePositiveRate":0.2,"recall":0.8}],\
        "confusionMatrix":{"annotationSpecs":[{"displayName":"cat"},{"displayName":"dog"}],"rows":[{"row":[9,1]},\
        {"row":[2,8]}]}}
        """);
  }

  @Test
  void metricsAsJsonUseTheRunSummaryKeys() throws Exception {
    CliRun run = CliRun.of("metrics", "run-1", "--mlmd", address, "--output", "json");

    assertThat(run.exitCode()).isZero();
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(run.out()).get("metrics")).isEqualTo(json.readTree("""
        [{"task_id":"for-loop-2[0]/score","output":"metrics","name":"f1","value":0.5},
         {"task_id":"train","output":"metrics","name":"accuracy","value":0.93},
         {"task_id":"train","output":"metrics","name":"loss","value":0.125}]"""));
    assertThat(json.readTree(run.out()).get("classification_metrics").get(0).get("value").get("confusionMatrix")
        .get("rows").toString()).isEqualTo("[{\"row\":[9,1]},{\"row\":[2,8]}]");
  }

  @Test
  void artifactsListsOneTypeWithProducerAndUri() {
    CliRun run = CliRun.of("artifacts", "run-1", "--mlmd", address, "--type", "Model");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("train  model  system.Model  " + ROOT + "run-1/train/5e1f/model"
        + "  {epochs=3, framework=\"sklearn\"}\n");
  }

  @Test
  void downloadWithoutAnEndpointIsABadUsage() {
    CliRun run = CliRun.of("artifacts", "run-1", "--mlmd", address, "--download", directory.resolve("out").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).isEqualTo("error: --download needs --s3-endpoint (e.g. http://localhost:9000)\n"
        + "Run 'kfpci artifacts --help' for the options.\n");
  }

  @Test
  void anUnreachableStoreFailsNamingTheAddress() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    CliRun run = CliRun.of("metrics", "run-1", "--mlmd", "127.0.0.1:" + port, "--mlmd-timeout", "5");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("error: the ML Metadata store at 127.0.0.1:" + port
        + " is unreachable (GetContextByTypeAndName: UNAVAILABLE").endsWith(
        "'kubectl port-forward -n kubeflow svc/metadata-grpc-service 8080:8080'\n");
  }

  @Test
  void anUnknownRunFails() {
    CliRun run = CliRun.of("metrics", "nope", "--mlmd", address);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("error: the ML Metadata store at " + address + " has no system.PipelineRun"
        + " context named 'nope': check the run id, and that --mlmd points at the store of the cluster that ran it\n");
  }
}
