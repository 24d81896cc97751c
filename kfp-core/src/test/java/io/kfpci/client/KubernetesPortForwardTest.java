package io.kfpci.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

/** The port-forward path against fabric8's mock API server (CRUD mode). */
@EnableKubernetesMockClient(crud = true)
class KubernetesPortForwardTest {
  KubernetesClient client;

  @Test
  void aMissingServiceNamesTheNamespaceToGive() {
    assertThatThrownBy(() -> KubernetesPortForward.open(client, "kubeflow", "ml-pipeline", 8888))
        .isInstanceOf(KfpApiException.class)
        .hasMessage("there is no service ml-pipeline in namespace kubeflow of the cluster at " + client.getMasterUrl()
            + "; give the namespace KFP is installed in (--kfp-namespace)");
  }

  @Test
  void aServiceWithoutPodsSaysKfpIsNotRunning() {
    createService();
    assertThatThrownBy(() -> KubernetesPortForward.open(client, "kubeflow", "ml-pipeline", 8888))
        .isInstanceOf(KfpApiException.class)
        .hasMessage("cannot port-forward svc/ml-pipeline:8888 in namespace kubeflow: no pod matches the service's "
            + "selector (is KFP running?)");
  }

  @Test
  void aServiceWithAPodIsForwardedToALocalPort() throws Exception {
    createService();
    client.pods().inNamespace("kubeflow").resource(new PodBuilder().withNewMetadata().withName("ml-pipeline-0")
        .addToLabels("app", "ml-pipeline").endMetadata().withNewStatus().withPhase("Running").endStatus().build()).create();
    try (KubernetesPortForward forward = KubernetesPortForward.open(client, "kubeflow", "ml-pipeline", 8888)) {
      assertThat(forward.endpoint().toString()).matches("http://127\\.0\\.0\\.1:\\d+");
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", forward.endpoint().getPort())) {
        assertThat(s.isConnected()).isTrue();
      }
    }
  }

  private void createService() {
    client.services().inNamespace("kubeflow").resource(new ServiceBuilder().withNewMetadata().withName("ml-pipeline")
        .endMetadata().withNewSpec().addToSelector("app", "ml-pipeline").addNewPort().withPort(8888).endPort().endSpec()
        .build()).create();
  }
}
