package io.jenkins.plugins.kfp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.kfpci.KfpException;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The controller's port-forwards to {@code svc/ml-pipeline:8888}, against fabric8's mock API
 * server: opened once and reused, one per kubeconfig, reopened after being idle, all closed
 * together; the endpoint named in every failure.
 */
@EnableKubernetesMockClient(crud = true)
class PortForwardsTest {
  KubernetesClient client;

  private final long[] now = {1_000_000L};
  private final List<String> opened = new ArrayList<>();

  private PortForwards forwards() {
    // A client of its own per forward (the forward closes it), on the mock server.
    return new PortForwards((endpoint, secrets) -> {
      opened.add(endpoint.getName() + " " + PortForwards.key(endpoint, secrets).lines().skip(2).findFirst().orElseThrow()
          .replaceAll(":[0-9a-f]{64}", ":<sha256>"));
      return new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
    }, () -> now[0]);
  }

  private void installKfp() {
    client.services().inNamespace("kubeflow").resource(new ServiceBuilder().withNewMetadata().withName("ml-pipeline")
        .endMetadata().withNewSpec().addToSelector("app", "ml-pipeline").addNewPort().withPort(8888).endPort().endSpec()
        .build()).create();
    client.pods().inNamespace("kubeflow").resource(new PodBuilder().withNewMetadata().withName("ml-pipeline-0")
        .addToLabels("app", "ml-pipeline").endMetadata().withNewStatus().withPhase("Running").endStatus().build())
        .create();
  }

  private static KfpEndpoint throughKubernetes(String name) {
    KfpEndpoint e = new KfpEndpoint(name, "");
    e.setKfpNamespace("kubeflow");
    e.setKubeconfigCredentialsId("kubeconfig");
    return e;
  }

  private static EndpointAccess.Secrets kubeconfig(String content) {
    return new EndpointAccess.Secrets(null, null, content, null, null);
  }

  @Test
  void aForwardIsOpenedOnceAndReusedUntilIdleOrClosed() throws Exception {
    installKfp();
    KfpEndpoint e = throughKubernetes("prod");
    try (PortForwards forwards = forwards()) {
      URI first = forwards.endpoint(e, kubeconfig("config-a"));
      assertThat(first.toString()).matches("http://127\\.0\\.0\\.1:\\d+");
      try (Socket s = new Socket("127.0.0.1", first.getPort())) {
        assertThat(s.isConnected()).isTrue();
      }
      now[0] += PortForwards.IDLE_MILLIS - 1;
      assertThat(forwards.endpoint(e, kubeconfig("config-a"))).isEqualTo(first);
      assertThat(opened).containsExactly("prod kubeconfig:<sha256>");

      // Another kubeconfig (a renewed credential) gets a forward of its own.
      URI other = forwards.endpoint(e, kubeconfig("config-b"));
      assertThat(other).isNotEqualTo(first);
      assertThat(forwards.size()).isEqualTo(2);

      // Unused for the idle time: closed, and opened again when needed.
      now[0] += PortForwards.IDLE_MILLIS;
      URI again = forwards.endpoint(e, kubeconfig("config-a"));
      assertThat(forwards.size()).isEqualTo(1);
      assertThat(opened).hasSize(3);
      assertThat(again.getPort()).isPositive();

      forwards.close();
      assertThat(forwards.size()).isZero();
    }
  }

  @Test
  void anEndpointWithAUrlNeedsNoForward() throws Exception {
    try (PortForwards forwards = forwards()) {
      assertThat(forwards.endpoint(new KfpEndpoint("prod", "https://kfp.example.com"), EndpointAccess.Secrets.NONE))
          .isNull();
      assertThat(opened).isEmpty();
    }
  }

  @Test
  void aMissingServiceNamesTheEndpointAndClosesTheClient() throws Exception {
    try (PortForwards forwards = forwards()) {
      assertThatThrownBy(() -> forwards.endpoint(throughKubernetes("prod"), kubeconfig("config-a")))
          .isInstanceOf(KfpException.class)
          .hasMessage("endpoint prod: there is no service ml-pipeline in namespace kubeflow of the cluster at "
              + client.getMasterUrl() + "; give the namespace KFP is installed in (--kfp-namespace)");
      assertThat(forwards.size()).isZero();
    }
  }

  @Test
  void theRealClientsSayWhatIsMissing() {
    KfpEndpoint neither = new KfpEndpoint("prod", "");
    neither.setKfpNamespace("kubeflow");
    try (PortForwards forwards = PortForwards.temporary()) {
      assertThatThrownBy(() -> forwards.endpoint(neither, EndpointAccess.Secrets.NONE))
          .isInstanceOf(KfpException.class)
          .hasMessage("endpoint prod is reached through Kubernetes but has neither a kubeconfig credential nor \"in "
              + "cluster\"; choose one in Manage Jenkins, Kubeflow Pipelines");
      String secret = "token: kube-secret-0011223344";
      assertThatThrownBy(() -> forwards.endpoint(throughKubernetes("prod"), kubeconfig("{" + secret)))
          .isInstanceOf(KfpException.class)
          .hasMessageStartingWith("endpoint prod: the kubeconfig given is not a valid kubeconfig")
          .hasMessageNotContaining("kube-secret-0011223344");
    }
  }
}
