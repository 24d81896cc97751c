package io.kfpci.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * ML Metadata through a port-forward of {@code svc/metadata-grpc-service:8080}, against fabric8's
 * mock API server (CRUD mode): the service and namespace it asks for, the options it gives, and
 * what it says when KFP is not where it looks.
 */
@EnableKubernetesMockClient(crud = true)
class MetadataStoreForwardTest {
  KubernetesClient client;

  @Test
  void aMissingServiceIsUnavailableAndNamesTheNamespaceToGive() {
    createService("kubeflow");
    assertThatThrownBy(() -> MetadataStoreForward.open(client, "team-kfp"))
        .isInstanceOfSatisfying(MetadataStoreUnavailableException.class, e -> {
          assertThat(e.address()).isEqualTo("svc/metadata-grpc-service:8080 in namespace team-kfp");
          assertThat(e.isRetryable()).isTrue();
        })
        .hasMessage("ML Metadata through Kubernetes: there is no service metadata-grpc-service in namespace team-kfp of"
            + " the cluster at " + client.getMasterUrl() + "; give the namespace KFP is installed in (--kfp-namespace)");
  }

  @Test
  void aServiceWithoutPodsSaysKfpIsNotRunning() {
    createService("kubeflow");
    assertThatThrownBy(() -> MetadataStoreForward.open(client, "kubeflow"))
        .isInstanceOf(MetadataStoreUnavailableException.class)
        .hasMessage("ML Metadata through Kubernetes: cannot port-forward svc/metadata-grpc-service:8080 in namespace"
            + " kubeflow: no pod matches the service's selector (is KFP running?)");
  }

  @Test
  void theForwardGivesTheStoreOptionsOfItsLocalPortUntilClosed() throws Exception {
    createService("kubeflow");
    // Another service's pod must not be taken for the store's.
    client.pods().inNamespace("kubeflow").resource(new PodBuilder().withNewMetadata().withName("ml-pipeline-0")
        .addToLabels("app", "ml-pipeline").endMetadata().build()).create();
    assertThatThrownBy(() -> MetadataStoreForward.open(client, "kubeflow"))
        .hasMessageContaining("no pod matches the service's selector");
    client.pods().inNamespace("kubeflow").resource(new PodBuilder().withNewMetadata().withName("metadata-grpc-0")
        .addToLabels("component", "metadata-grpc-server").endMetadata().withNewStatus().withPhase("Running")
        .endStatus().build()).create();

    int port;
    MetadataStoreForward kept;
    try (MetadataStoreForward forward = MetadataStoreForward.open(client, "kubeflow")) {
      kept = forward;
      assertThat(forward.isAlive()).isTrue();
      MetadataStoreOptions options = forward.options(Duration.ofSeconds(7));
      port = options.port();
      assertThat(options.host()).isEqualTo("127.0.0.1");
      assertThat(options.callDeadline()).isEqualTo(Duration.ofSeconds(7));
      assertThat(options.address()).isEqualTo(forward.address()).isEqualTo("127.0.0.1:" + port);
      assertThat(forward.target()).isEqualTo("svc/metadata-grpc-service:8080 in namespace kubeflow");
      assertThat(options.describe()).isEqualTo("127.0.0.1:" + port
          + " (forwarded from svc/metadata-grpc-service:8080 in namespace kubeflow)");
      try (Socket s = new Socket("127.0.0.1", port)) {
        assertThat(s.isConnected()).isTrue();
      }
    }
    // Closed: the forward says it is not alive (a holder of it reopens one), and the caller's
    // client is still usable. (Whether the local port refuses at once is not asserted: fabric8
    // closes its listener on another thread, and the freed port may be taken by another test.)
    assertThat(kept.isAlive()).isFalse();
    assertThat(client.services().inNamespace("kubeflow").withName("metadata-grpc-service").get()).isNotNull();
  }

  private void createService(String namespace) {
    client.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata()
        .withName("metadata-grpc-service").endMetadata().withNewSpec().addToSelector("component", "metadata-grpc-server")
        .addNewPort().withPort(8080).endPort().endSpec().build()).create();
  }
}
