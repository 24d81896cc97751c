package io.jenkins.plugins.kfp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kfpci.deploy.InferenceServices;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.GateResult;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kfpDeploy}'s agent side in-process against fabric8's mock API server (CRUD mode), reached
 * through a kubeconfig in the workspace as an agent would: the manifest the controller planned is
 * applied, a thread playing KServe marks it Ready, and the outcome comes back; a service that never
 * becomes Ready is rolled back and reported as an error.
 */
@EnableKubernetesMockClient(crud = true)
class AgentDeployTest {
  static KubernetesClient client;

  @TempDir Path workspace;
  private ExecutorService kserve;

  @BeforeEach
  void fresh() {
    client.genericKubernetesResources(InferenceServices.CONTEXT).inNamespace("models").delete();
    kserve = Executors.newSingleThreadExecutor();
  }

  @AfterEach
  void stop() throws InterruptedException {
    kserve.shutdownNow();
    assertThat(kserve.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private String planned() throws Exception {
    ArtifactSummary model = new ArtifactSummary("model", "system.Model", "s3://mlpipeline/v2/artifacts/iris/r1/train/model",
        null, -1, null, Map.of(), "train");
    TaskSummary train = new TaskSummary("train", "train", "", "comp-train", "container", null, RuntimeState.SUCCEEDED,
        Instant.parse("2026-11-28T10:00:00Z"), Instant.parse("2026-11-28T10:01:00Z"), 1, false, "", List.of(),
        Map.of(), List.of(model), List.of(), "", List.of(), 0, null);
    RunSummary summary = new RunSummary(1, "iris", "jenkins-3-00aa11bb", RuntimeState.SUCCEEDED,
        Instant.parse("2026-11-28T10:00:00Z"), null, null, Map.of(), new RunSummary.Location("local", "/runs", null),
        null, List.of(train), List.of(new GateResult("train/accuracy", "accuracy >= 0.9", 0.93, true, "", "fail",
            "passed", 0.9, null)));
    Path dir = RunStorage.directory(workspace.resolve("build"), "jenkins-3-00aa11bb");
    Files.createDirectories(dir);
    RunSummaryJson.write(summary, dir.resolve(RunStorage.SUMMARY_FILE));
    return BuildDeploy.plan(dir, new BuildDeploy.Options("iris", "models", "", "", "", "", 0, "", "", "", 0, false))
        .manifestYaml();
  }

  private void kubeconfig() throws Exception {
    Files.writeString(workspace.resolve("kubeconfig"), MockKubeconfigs.of(client, "models"), StandardCharsets.UTF_8);
  }

  private GenericKubernetesResource get() {
    return client.genericKubernetesResources(InferenceServices.CONTEXT).inNamespace("models").withName("iris").get();
  }

  private Future<?> kserveMarks(String readyStatus) {
    return kserve.submit(() -> {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        GenericKubernetesResource isvc = get();
        if (isvc != null && !isvc.getAdditionalProperties().containsKey("status")) {
          isvc.getAdditionalProperties().put("status", Map.of("conditions", List.of(Map.of("type", "Ready", "status",
              readyStatus, "reason", readyStatus.equals("True") ? "Ready" : "RevisionMissing")),
              "url", "http://iris.models.example.com"));
          client.genericKubernetesResources(InferenceServices.CONTEXT).inNamespace("models").resource(isvc).update();
          return;
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    });
  }

  @SuppressWarnings("unchecked")
  private static Object storageUri(GenericKubernetesResource isvc) {
    Map<String, Object> spec = (Map<String, Object>) isvc.getAdditionalProperties().get("spec");
    Map<String, Object> predictor = (Map<String, Object>) spec.get("predictor");
    return ((Map<String, Object>) predictor.get("model")).get("storageUri");
  }

  @Test
  void appliesThePlannedServiceAndWaitsForReady() throws Exception {
    kubeconfig();
    Future<?> marked = kserveMarks("True");
    AgentDeploy.Deployed deployed = new AgentDeploy(planned(), "kubeconfig", "", 20).invoke(workspace.toFile(), null);
    marked.get(20, TimeUnit.SECONDS);
    assertThat(deployed.error()).isNull();
    assertThat(deployed.created()).isTrue();
    assertThat(deployed.url()).isEqualTo("http://iris.models.example.com");
    assertThat(storageUri(get())).isEqualTo("s3://mlpipeline/v2/artifacts/iris/r1/train/model");
    assertThat(get().getMetadata().getAnnotations()).containsEntry("kfpci.io/run-id", "jenkins-3-00aa11bb");
  }

  @Test
  void aServiceThatIsNotReadyIsRolledBackAndReported() throws Exception {
    kubeconfig();
    Future<?> marked = kserveMarks("False");
    AgentDeploy.Deployed deployed = new AgentDeploy(planned(), "kubeconfig", "", 2).invoke(workspace.toFile(), null);
    marked.get(20, TimeUnit.SECONDS);
    assertThat(deployed.error()).startsWith("InferenceService models/iris did not become ready within 2 s (last: Ready=False")
        .endsWith("; rolled back: deleted it (there was none before)");
    assertThat(deployed.lines()).contains("rolled back: deleted the new InferenceService");
    assertThat(deployed.created()).isFalse();
    assertThat(get()).isNull();
  }

  @Test
  void aMissingKubeconfigIsReportedNotThrown() throws Exception {
    AgentDeploy.Deployed deployed = new AgentDeploy(planned(), "nowhere/kubeconfig", "", 2)
        .invoke(workspace.toFile(), null);
    assertThat(deployed.error()).isEqualTo("--kubeconfig " + workspace.resolve("nowhere/kubeconfig")
        + " does not exist or is not a regular file");
    assertThat(deployed.lines()).isEmpty();
  }
}
