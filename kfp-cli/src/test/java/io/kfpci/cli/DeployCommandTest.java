package io.kfpci.cli;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kfpci deploy} against fabric8's CRUD mock server, reached through a kubeconfig. */
@EnableKubernetesMockClient(crud = true)
class DeployCommandTest {
  static KubernetesClient client;
  @TempDir Path dir;
  private Path kubeconfig;

  private static final GateResult PASSED = new GateResult("evaluate/metrics/test_accuracy", "test_accuracy >= 0.85",
      0.87, true, "0.87 >= 0.85", "fail", "passed", 0.85, null);
  private static final GateResult FAILED = new GateResult("evaluate/metrics/test_f1", "test_f1 >= 0.9",
      0.81, false, "0.81 is not >= 0.9", "fail", "failed", 0.9, null);

  @BeforeEach
  void cluster() throws Exception {
    client.genericKubernetesResources(InferenceServices.CONTEXT).inNamespace("models").delete();
    kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: ci
          user: {token: not-a-real-token}
        contexts:
        - name: mock
          context: {cluster: mock, user: ci}
        current-context: mock
        """.formatted(client.getConfiguration().getMasterUrl()));
  }

  private Path summary(List<GateResult> gates) throws Exception {
    Instant t = Instant.parse("2026-11-28T10:00:00Z");
    TaskSummary train = new TaskSummary("train", "train", "", "comp-train", "container", null, RuntimeState.SUCCEEDED,
        t, t.plusSeconds(5), 1, false, "python:3.11", List.of(), Map.of(),
        List.of(new ArtifactSummary("model", "system.Model", "minio://mlpipeline/v2/artifacts/p/run-9/train/model",
            null, -1, null, Map.of(), "train")), List.of(), "", List.of(), 0, null);
    RunSummary s = new RunSummary(1, "p", "run-9", RuntimeState.SUCCEEDED, t, t, t.plusSeconds(9), Map.of(),
        new RunSummary.Location("kfp", "http://kfp.example", null), null, List.of(train), gates);
    Path file = dir.resolve("summary.json");
    RunSummaryJson.write(s, file);
    return file;
  }

  @Test
  void refusesARunWithoutAPassingGate() throws Exception {
    CliRun r = CliRun.of("deploy", summary(List.of(PASSED, FAILED)).toString(), "--name", "churn", "--namespace", "models",
        "--kubeconfig", kubeconfig.toString());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(r.err()).isEqualTo("error: refusing to deploy models/churn: run run-9 did not pass its gate: test_f1 >= 0.9 "
        + "failed (0.81 is not >= 0.9) (--force deploys anyway, and says so)\n");
    assertThat(client.genericKubernetesResources(InferenceServices.CONTEXT).inNamespace("models").list().getItems()).isEmpty();
  }

  @Test
  void dryRunPrintsTheInferenceServiceOfAGatedRun() throws Exception {
    CliRun r = CliRun.of("deploy", summary(List.of(PASSED)).toString(), "--name", "churn", "--namespace", "models",
        "--dry-run", "--canary-percent", "20");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          annotations:
            kfpci.io/pipeline: p
            kfpci.io/run-id: run-9
            kfpci.io/model: train/model
          name: churn
          namespace: models
        spec:
          predictor:
            model:
              modelFormat:
                name: sklearn
              storageUri: s3://mlpipeline/v2/artifacts/p/run-9/train/model
            canaryTrafficPercent: 20
        """);
  }

  @Test
  void forceDeploysWarnsAndRecordsTheOverrideInTheSummary() throws Exception {
    Path file = summary(List.of(FAILED));
    CompletableFuture<Void> kserve = CompletableFuture.runAsync(() -> {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        GenericKubernetesResource isvc = client.genericKubernetesResources(InferenceServices.CONTEXT)
            .inNamespace("models").withName("churn").get();
        if (isvc != null) {
          isvc.getAdditionalProperties().put("status", Map.of("conditions",
              List.of(Map.of("type", "Ready", "status", "True")), "url", "http://churn.models.example.com"));
          client.genericKubernetesResources(InferenceServices.CONTEXT).inNamespace("models").resource(isvc).update();
          return;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    });

    CliRun r = CliRun.of("deploy", file.toString(), "--name", "churn", "--namespace", "models", "--force",
        "--kubeconfig", kubeconfig.toString());
    kserve.get(30, TimeUnit.SECONDS);

    assertThat(r.exitCode()).as(r.err()).isZero();
    String warning = "WARNING: deploying models/churn without a passing gate (--force): run run-9 did not pass its gate: "
        + "test_f1 >= 0.9 failed (0.81 is not >= 0.9)";
    assertThat(r.out()).startsWith(warning + "\ncreated InferenceService models/churn\n")
        .endsWith("InferenceService models/churn is ready at http://churn.models.example.com\n"
            + "deployed train/model of run run-9 as models/churn (new)\n");
    assertThat(r.err()).isEqualTo(warning + "\n");
    List<GateResult> gates = RunSummaryJson.read(file).gates();
    assertThat(gates).hasSize(2);
    assertThat(gates.get(1).verdict()).isEqualTo("forced");
    assertThat(gates.get(1).message()).isEqualTo("deployed models/churn without a passing gate: run run-9 did not pass "
        + "its gate: test_f1 >= 0.9 failed (0.81 is not >= 0.9)");
  }

  @Test
  void aBadNameAndARunWithoutAModelAreRefusedBeforeAnyCall() throws Exception {
    CliRun badName = CliRun.of("deploy", summary(List.of(PASSED)).toString(), "--name", "Churn_Model", "--dry-run");
    assertThat(badName.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(badName.err()).startsWith("error: --name 'Churn_Model' is not a name Kubernetes accepts for an InferenceService");

    Instant t = Instant.parse("2026-11-28T10:00:00Z");
    RunSummary noModel = new RunSummary(1, "p", "run-9", RuntimeState.SUCCEEDED, t, t, t, Map.of(),
        new RunSummary.Location("kfp", "http://kfp.example", null), null, List.of(), List.of(PASSED));
    Path file = dir.resolve("nomodel.json");
    RunSummaryJson.write(noModel, file);
    CliRun none = CliRun.of("deploy", file.toString(), "--name", "churn", "--dry-run");
    assertThat(none.err()).isEqualTo("error: run run-9 has no artifacts, so no model to deploy\n");
  }
}
