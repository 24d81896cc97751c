package io.kfpci.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deploy against fabric8's mock API server in CRUD mode, with the InferenceService resource.
 * A "controller" thread in the test plays KServe: it sets the status the way KServe reports
 * readiness or a model that fails to load.
 */
@EnableKubernetesMockClient(crud = true)
class KServeDeployerTest {
  static KubernetesClient client;
  private final List<String> progress = Collections.synchronizedList(new ArrayList<>());
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

  private static InferenceServiceSpec spec(String storageUri) throws DeployException {
    return InferenceServiceSpec.builder().name("churn").namespace("models").storageUri(storageUri).cpu("1")
        .memory("2Gi").canaryTrafficPercent(10).annotation("kfpci.io/run-id", "run-7").build();
  }

  private GenericKubernetesResource get() {
    return client.genericKubernetesResources(InferenceServices.CONTEXT).inNamespace("models").withName("churn").get();
  }

  /** Sets the Ready condition once the service serves {@code storageUri}, as KServe would. */
  private Future<?> kserveMarks(String storageUri, String readyStatus, Map<String, Object> modelStatus) {
    return kserve.submit(() -> {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        GenericKubernetesResource isvc = get();
        if (isvc != null && storageUri.equals(KServeDeployer.storageUri(isvc))) {
          Map<String, Object> status = new java.util.LinkedHashMap<>();
          status.put("conditions", List.of(Map.of("type", "Ready", "status", readyStatus,
              "reason", readyStatus.equals("True") ? "Ready" : "RevisionMissing")));
          status.put("url", "http://churn.models.example.com");
          if (modelStatus != null) {
            status.put("modelStatus", modelStatus);
          }
          isvc.getAdditionalProperties().put("status", status);
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

  @Test
  void createsTheServiceAndWaitsForReady() throws Exception {
    kserveMarks("s3://mlpipeline/v2/artifacts/run-7/train/model", "True", null);

    KServeDeployer.Outcome outcome = new KServeDeployer(client, Duration.ofSeconds(20), Duration.ofMillis(50))
        .deploy(InferenceServices.manifest(spec("s3://mlpipeline/v2/artifacts/run-7/train/model")), progress::add);

    assertThat(outcome.created()).isTrue();
    assertThat(outcome.url()).isEqualTo("http://churn.models.example.com");
    assertThat(progress).first().isEqualTo("created InferenceService models/churn");
    assertThat(progress).last().isEqualTo("InferenceService models/churn is ready at http://churn.models.example.com");
    GenericKubernetesResource isvc = get();
    assertThat(isvc.getMetadata().getAnnotations()).containsEntry("kfpci.io/run-id", "run-7");
    assertThat(InferenceServices.yaml(isvc)).contains("canaryTrafficPercent: 10", "name: sklearn",
        "storageUri: s3://mlpipeline/v2/artifacts/run-7/train/model", "memory: 2Gi");
  }

  @Test
  void aNewServiceThatNeverBecomesReadyIsDeleted() throws Exception {
    kserveMarks("s3://b/new-model", "False", null);

    assertThatThrownBy(() -> new KServeDeployer(client, Duration.ofMillis(800), Duration.ofMillis(50))
        .deploy(InferenceServices.manifest(spec("s3://b/new-model")), progress::add))
        .isInstanceOf(DeployException.class)
        .hasMessageStartingWith("InferenceService models/churn did not become ready within 800 ms (last: Ready=False")
        .hasMessageEndingWith("; rolled back: deleted it (there was none before)");
    assertThat(get()).isNull();
    assertThat(progress).contains("rolled back: deleted the new InferenceService");
  }

  @Test
  void anUpdateWhoseModelFailsToLoadRestoresThePreviousSpec() throws Exception {
    kserveMarks("s3://b/old-model", "True", null);
    new KServeDeployer(client, Duration.ofSeconds(20), Duration.ofMillis(50))
        .deploy(InferenceServices.manifest(spec("s3://b/old-model")), progress::add);
    progress.clear();
    kserveMarks("s3://b/broken-model", "False", Map.of("transitionStatus", "BlockedByFailedLoad",
        "lastFailureInfo", Map.of("message", "model file not found")));

    assertThatThrownBy(() -> new KServeDeployer(client, Duration.ofSeconds(20), Duration.ofMillis(50))
        .deploy(InferenceServices.manifest(spec("s3://b/broken-model")), progress::add))
        .hasMessage("InferenceService models/churn failed to load its model: BlockedByFailedLoad (model file not found); "
            + "rolled back: restored the previous spec (serving s3://b/old-model)");

    assertThat(KServeDeployer.storageUri(get())).isEqualTo("s3://b/old-model");
    assertThat(progress).first().isEqualTo("updated InferenceService models/churn (was serving s3://b/old-model)");
  }

  @Test
  void anUpdateThatBecomesReadyKeepsTheNewSpec() throws Exception {
    kserveMarks("s3://b/v1", "True", null);
    new KServeDeployer(client, Duration.ofSeconds(20), Duration.ofMillis(50))
        .deploy(InferenceServices.manifest(spec("s3://b/v1")), progress::add);
    kserveMarks("s3://b/v2", "True", null);

    KServeDeployer.Outcome outcome = new KServeDeployer(client, Duration.ofSeconds(20), Duration.ofMillis(50))
        .deploy(InferenceServices.manifest(spec("s3://b/v2")), progress::add);

    assertThat(outcome.created()).isFalse();
    assertThat(KServeDeployer.storageUri(get())).isEqualTo("s3://b/v2");
  }

  @Test
  void namesKubernetesWouldRefuseAreRefusedBeforeAnyCall() {
    assertThatThrownBy(() -> InferenceServiceSpec.builder().name("Churn_Model").storageUri("s3://b/m").build())
        .hasMessageStartingWith("--name 'Churn_Model' is not a name Kubernetes accepts for an InferenceService");
    assertThatThrownBy(() -> InferenceServiceSpec.builder().name("1churn").storageUri("s3://b/m").build())
        .hasMessageStartingWith("--name '1churn' is not a name Kubernetes accepts");
    assertThatThrownBy(() -> InferenceServiceSpec.builder().name("c".repeat(64)).storageUri("s3://b/m").build())
        .hasMessageStartingWith("--name '" + "c".repeat(64) + "' is not a name");
    assertThatThrownBy(() -> InferenceServiceSpec.builder().name("churn").storageUri("s3://b/m").canaryTrafficPercent(101).build())
        .hasMessage("--canary-percent must be from 0 to 100, not 101");
    assertThatThrownBy(() -> InferenceServiceSpec.builder().name("churn").storageUri("s3://b/m").memory("2GB").build())
        .hasMessage("--memory '2GB' is not a Kubernetes quantity (e.g. 500m, 4, 8Gi)");
  }
}
