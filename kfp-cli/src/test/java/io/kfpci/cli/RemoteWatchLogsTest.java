package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.ScriptedRunExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kfpci watch --mlmd --kubeconfig}, end to end: the run on the KFP emulator, its records in
 * the real ML Metadata store (kfp-core's launcher-shaped run under the emulator's run id), its pods
 * and their logs on fabric8's mock API server. Every log line is printed once with its task, the
 * cache hit says so, the watch ends with the metrics table and the report path, and the summary
 * carries the metrics.
 */
@EnableKubernetesMockClient
class RemoteWatchLogsTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  @TempDir Path dir;
  private KfpEmulator kfp;
  private MlmdStoreProcess mlmd;

  @BeforeEach
  void forgetThePods() {
    server.reset(); // the mock server is the class's: each test says which pods live
  }

  @AfterEach
  void stop() throws Exception {
    if (kfp != null) {
      kfp.close();
    }
    if (mlmd != null) {
      mlmd.close();
    }
  }

  private static void pod(String name, String... lines) {
    String base = "/api/v1/namespaces/kubeflow/pods/" + name;
    server.expect().get().withPath(base).andReturn(200, new PodBuilder().withNewMetadata().withName(name)
        .withNamespace("kubeflow").endMetadata().withNewStatus().withPhase("Succeeded").endStatus().build()).always();
    server.expect().get().withPath(base + "/log?pretty=false&container=main&timestamps=true")
        .andReturn(200, String.join("\n", lines) + "\n").always();
  }

  private record Setup(String runId, String address, Path kubeconfig) {}

  private Setup setUp() throws Exception {
    return setUp(true);
  }

  /** @param lastPodLives false: iteration 1's pod (impl-555) is gone from the cluster */
  private Setup setUp(boolean lastPodLives) throws Exception {
    kfp = Emulators.start(KfpEmulator.builder().runExecutor(ScriptedRunExecutor.timed(Duration.ofMillis(100))));
    Path pipeline = CliRun.fixture(RemoteCommandsTest.class, "two-step.yaml", dir);
    CliRun submitted = CliRun.of("submit", pipeline.toString(), "--endpoint", kfp.baseUrl().toString(), "-p", "rows=5",
        "--output", "json");
    assertThat(submitted.exitCode()).as(submitted.err()).isZero();
    String runId = new ObjectMapper().readTree(submitted.out()).get("run_id").asText();
    mlmd = MlmdStoreProcess.startWithLauncherRun(dir, runId);
    String address = mlmd.address();
    pod("seed-run1-system-container-impl-222", "2026-11-28T10:00:00Z fitting", "2026-11-28T10:00:01.5Z accuracy=0.93");
    pod("seed-run1-system-container-impl-333", "2026-11-28T10:00:02Z evaluating");
    pod("seed-run1-system-container-impl-444", "2026-11-28T10:00:03Z score 0");
    if (lastPodLives) {
      pod("seed-run1-system-container-impl-555", "2026-11-28T10:00:03Z score 1", "2026-11-28T10:00:03Z score 1 again");
    }
    Path kubeconfig = MockKubeconfig.write(dir, client, "kubeflow");
    return new Setup(runId, address, kubeconfig);
  }

  @Test
  void everyLineOnceWithItsTaskThenTheMetricsTableAndTheReport() throws Exception {
    Setup setup = setUp();
    String runId = setup.runId();
    String address = setup.address();
    Path kubeconfig = setup.kubeconfig();
    Path root = dir.resolve("runs");

    CliRun watch = CliRun.of("watch", runId, "--endpoint", kfp.baseUrl().toString(), "--mlmd", address,
        "--kubeconfig", kubeconfig.toString(), "--pipeline-root", root.toString());

    assertThat(watch.exitCode()).as(watch.out() + watch.err()).isZero();
    List<String> lines = watch.out().lines().toList();
    // State lines are "[task] -- STATE"; log lines "[task] text".
    List<String> logLines = lines.stream().filter(l -> l.startsWith("[") && !l.contains("] -- ")).toList();
    assertThat(lines).contains("[run] -- SUCCEEDED");
    assertThat(logLines).containsExactlyInAnyOrder(
        "[train] fitting", "[train] accuracy=0.93", "[evaluate] evaluating",
        "[for-loop-2[0]/score] score 0", "[for-loop-2[1]/score] score 1", "[for-loop-2[1]/score] score 1 again",
        logLines.stream().filter(l -> l.startsWith("[preprocess] (served from cache (execution ")).findFirst()
            .orElse("[preprocess] missing cache notice"));
    // Per task, in the order written.
    assertThat(logLines.indexOf("[train] fitting")).isLessThan(logLines.indexOf("[train] accuracy=0.93"));
    int table = lines.indexOf("TASK                 OUTPUT   METRIC    VALUE");
    assertThat(table).as(watch.out()).isPositive();
    assertThat(lines.subList(table + 1, table + 4)).containsExactly(
        "for-loop-2[0]/score  metrics  f1        0.5",
        "train                metrics  accuracy  0.93",
        "train                metrics  loss      0.125");
    assertThat(lines.get(lines.size() - 3)).isEqualTo("run " + runId + " SUCCEEDED");
    assertThat(lines.get(lines.size() - 2)).startsWith("summary: ");
    assertThat(lines.get(lines.size() - 1)).startsWith("report:  ");
    JsonNode summary = new ObjectMapper().readTree(Files.readString(Path.of(lines.get(lines.size() - 2).substring(9))));
    JsonNode train = null;
    for (JsonNode t : summary.get("tasks")) {
      if (t.get("id").asText().equals("train")) {
        train = t;
      }
    }
    assertThat(train).as(summary.toString()).isNotNull();
    assertThat(train.get("metrics").toString()).contains("\"accuracy\"").contains("0.93");
  }

  @Test
  void logsFollowEndsWhenTheRunHasEndedAndEveryLogIsComplete() throws Exception {
    Setup setup = setUp();

    CliRun logs = CliRun.of("logs", setup.runId(), "--follow", "--task", "score", "--endpoint", kfp.baseUrl().toString(),
        "--mlmd", setup.address(), "--kubeconfig", setup.kubeconfig().toString());

    assertThat(logs.err()).isEmpty();
    assertThat(logs.exitCode()).isZero();
    assertThat(logs.out()).isEqualTo("""
        [for-loop-2[0]/score] score 0
        [for-loop-2[1]/score] score 1
        [for-loop-2[1]/score] score 1 again
        """);
  }

  @Test
  void aPodGoneIsReadFromTheArchiveInTheBucketAndUnderThePrefixGiven() throws Exception {
    Setup setup = setUp(false);
    try (S3TestServer store = S3TestServer.start("team-logs", "mlpipeline")) {
      String key = "seed-run1/2026/11/28/seed-run1-system-container-impl-555/main.log";
      store.put("team-logs", "argo/kubeflow/" + key, "score 1 (archived)\n");
      // KFP's default place holds another text: had the options been ignored, it would be printed.
      store.put("mlpipeline", "private-artifacts/kubeflow/" + key, "the default archive\n");

      CliRun watch = CliRun.of("watch", setup.runId(), "--endpoint", kfp.baseUrl().toString(), "--mlmd",
          setup.address(), "--kubeconfig", setup.kubeconfig().toString(), "--pipeline-root", dir.resolve("runs").toString(),
          "--s3-endpoint", store.endpoint(), "--bucket", "team-logs", "--log-prefix", "argo");

      assertThat(watch.exitCode()).as(watch.out() + watch.err()).isZero();
      List<String> score = watch.out().lines().filter(l -> l.startsWith("[for-loop-2[1]/score] ")).toList();
      assertThat(score).containsExactly("[for-loop-2[1]/score] score 1 (archived)");
    }
  }
}
