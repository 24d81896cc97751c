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
import io.kfpci.artifacts.MetadataStoreOptions;
import io.jenkins.plugins.kfp.PluginClassesAccess;
import io.kfpci.client.KfpConnection;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.ScriptedRunExecutor;
import io.kfpci.remote.ObservationPass;
import io.kfpci.report.RuntimeState;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ML Metadata through a port-forward for an endpoint without an ML Metadata address but with
 * Kubernetes access, against fabric8's mock API server: opened only when the store is first read,
 * in the endpoint's KFP namespace (else {@code kubeflow}), reused, reopened after being idle, kept
 * apart from the API's forward, and closed with the others; the endpoint named in every failure.
 * A forward that does not open is one warning for a remote run's checks, which go on, and its
 * summary is still recorded (against the KFP API emulator).
 */
@EnableKubernetesMockClient(crud = true)
class MetadataForwardsTest {
  KubernetesClient client;

  private final long[] now = {5_000_000L};
  private final List<String> opened = new ArrayList<>();

  private PortForwards forwards() {
    return new PortForwards((endpoint, secrets) -> {
      opened.add(endpoint.getName());
      return new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
    }, () -> now[0]);
  }

  private void install(String namespace, String service, String selector, int port) {
    client.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata().withName(service)
        .endMetadata().withNewSpec().addToSelector("component", selector).addNewPort().withPort(port).endPort()
        .endSpec().build()).create();
    client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(selector + "-0")
        .addToLabels("component", selector).endMetadata().withNewStatus().withPhase("Running").endStatus().build())
        .create();
  }

  private void installMetadata(String namespace) {
    install(namespace, "metadata-grpc-service", "metadata-grpc-server", 8080);
  }

  private static KfpEndpoint byUrl(String name) {
    KfpEndpoint e = new KfpEndpoint(name, "https://kfp.example.com/pipeline");
    e.setKubeconfigCredentialsId("kubeconfig");
    return e;
  }

  private static EndpointAccess.Secrets kubeconfig(String content) {
    return new EndpointAccess.Secrets(null, null, content, null, null);
  }

  @Test
  void anEndpointWithoutAnAddressReadsMlMetadataThroughAReusedForward() throws Exception {
    installMetadata("kubeflow");
    KfpEndpoint e = byUrl("prod");
    try (PortForwards forwards = forwards()) {
      RemoteObservation observation = EndpointAccess.observation(e, kubeconfig("config-a"), forwards);
      // Resolving the observation (as a step's start does, on the CPS thread) opens nothing.
      assertThat(observation.observesMetadata()).isTrue();
      assertThat(observation.metadata()).isNull();
      assertThat(observation.toString()).contains("metadata=port-forward").doesNotContain("config-a");
      assertThat(opened).isEmpty();

      MetadataStoreOptions store = observation.metadataStore();
      assertThat(store.host()).isEqualTo("127.0.0.1");
      assertThat(store.callDeadline()).isEqualTo(MetadataStoreOptions.DEFAULT_DEADLINE);
      assertThat(store.describe()).isEqualTo("127.0.0.1:" + store.port()
          + " (forwarded from svc/metadata-grpc-service:8080 in namespace kubeflow)");
      try (Socket s = new Socket("127.0.0.1", store.port())) {
        assertThat(s.isConnected()).isTrue();
      }

      // The next check's observation reuses the forward.
      now[0] += PortForwards.IDLE_MILLIS - 1;
      assertThat(EndpointAccess.observation(e, kubeconfig("config-a"), forwards).metadataStore()).isEqualTo(store);
      assertThat(opened).containsExactly("prod");
      assertThat(forwards.size()).isEqualTo(1);

      // Unused for the idle time: closed, and opened again when needed.
      now[0] += PortForwards.IDLE_MILLIS;
      MetadataStoreOptions again = forwards.metadata(e, kubeconfig("config-a"));
      assertThat(again.port()).isPositive();
      assertThat(opened).containsExactly("prod", "prod");
      assertThat(forwards.size()).isEqualTo(1);

      forwards.close();
      assertThat(forwards.size()).isZero();
    }
  }

  @Test
  void anEndpointGivenByNamespaceForwardsItsApiAndMlMetadataSeparately() throws Exception {
    install("team-kfp", "ml-pipeline", "ml-pipeline", 8888);
    installMetadata("team-kfp");
    KfpEndpoint e = new KfpEndpoint("team", "");
    e.setKfpNamespace("team-kfp");
    e.setInCluster(true);
    try (PortForwards forwards = forwards()) {
      int api = forwards.endpoint(e, EndpointAccess.Secrets.NONE).getPort();
      MetadataStoreOptions store = forwards.metadata(e, EndpointAccess.Secrets.NONE);
      assertThat(store.forwardedFrom()).isEqualTo("svc/metadata-grpc-service:8080 in namespace team-kfp");
      assertThat(store.port()).isNotEqualTo(api);
      assertThat(forwards.size()).isEqualTo(2);
      assertThat(PortForwards.metadataKey(e, EndpointAccess.Secrets.NONE))
          .isEqualTo("metadata team\nteam-kfp\nin-cluster");
    }
  }

  @Test
  void anAddressOrNoKubernetesAccessMeansNoForward() throws Exception {
    KfpEndpoint withAddress = byUrl("prod");
    withAddress.setMlmdAddress("metadata-grpc-service.kubeflow:8080");
    KfpEndpoint noAccess = new KfpEndpoint("plain", "https://kfp.example.com/pipeline");
    try (PortForwards forwards = forwards()) {
      assertThat(forwards.metadata(withAddress, kubeconfig("config-a"))).isNull();
      assertThat(forwards.metadata(noAccess, EndpointAccess.Secrets.NONE)).isNull();
      RemoteObservation configured = EndpointAccess.observation(withAddress, kubeconfig("config-a"), forwards);
      assertThat(configured.metadataStore().address()).isEqualTo("metadata-grpc-service.kubeflow:8080");
      RemoteObservation none = EndpointAccess.observation(noAccess, EndpointAccess.Secrets.NONE, forwards);
      assertThat(none.observesMetadata()).isFalse();
      assertThat(none.metadataStore()).isNull();
      assertThat(opened).isEmpty();
    }
  }

  @Test
  void aMissingServiceNamesTheEndpointAndTheNamespaceAndKeepsNothingOpen() throws Exception {
    KfpEndpoint e = byUrl("prod");
    try (PortForwards forwards = forwards()) {
      RemoteObservation observation = EndpointAccess.observation(e, kubeconfig("config-a"), forwards);
      assertThatThrownBy(observation::metadataStore)
          .isInstanceOf(KfpException.class)
          .hasMessage("endpoint prod: ML Metadata through Kubernetes: there is no service metadata-grpc-service in "
              + "namespace kubeflow of the cluster at " + client.getMasterUrl() + "; give the namespace KFP is "
              + "installed in (--kfp-namespace)");
      assertThat(forwards.size()).isZero();
    }
  }

  @Test
  void aForwardThatDoesNotOpenIsOneWarningAndTheRunIsStillWatchedAndRecorded(@TempDir Path buildDir)
      throws Exception {
    ScriptedRunExecutor executor = ScriptedRunExecutor.manual();
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().runExecutor(executor));
        PortForwards forwards = forwards()) {
      KfpConnection connection = RemoteUpload.connection("prod", kfp.baseUrl().toString(), "", "", null, w -> {});
      byte[] ir = Files.readAllBytes(PluginClassesAccess.repoRoot()
          .resolve("kfp-cli/src/test/resources/cli/RemoteCommandsTest/two-step.yaml"));
      RemoteRuns.Submitted submitted = RemoteRuns.submit(connection, new RemoteRuns.Request("two-step.yaml", ir,
          Map.of(), "nightly", "", "", "", "abc1234", "Jenkins team/train#4"), RemoteRuns.newMark());
      // No metadata-grpc-service in the mock cluster.
      RemoteObservation observation = EndpointAccess.observation(byUrl("prod"), kubeconfig("config-a"), forwards);
      String failure = "endpoint prod: ML Metadata through Kubernetes: there is no service metadata-grpc-service in "
          + "namespace kubeflow of the cluster at " + client.getMasterUrl() + "; give the namespace KFP is installed "
          + "in (--kfp-namespace)";
      List<String> console = new ArrayList<>();

      RemoteRuns.Checked first = RemoteRuns.check(connection, submitted.watchState(), submitted.taskNames(),
          observation, true, ObservationPass.Failures.NONE, console::add);
      RemoteRuns.Checked second = RemoteRuns.check(connection, first.watchState(), submitted.taskNames(),
          observation, true, first.failures(), console::add);

      assertThat(console).containsExactly("[kfp] run: PENDING", "[kfp] warning: " + failure);
      assertThat(first.failures().metadata()).isEqualTo(failure);
      assertThat(second.failures().metadata()).isEqualTo(failure);
      assertThat(forwards.size()).isZero();

      executor.advanceToEnd(submitted.runId());
      RemoteRuns.Checked last = RemoteRuns.check(connection, second.watchState(), submitted.taskNames(),
          observation, true, second.failures(), console::add);
      assertThat(last.finished()).isTrue();
      assertThat(console).filteredOn(line -> line.startsWith("[kfp] warning:")).hasSize(1);

      console.clear();
      RemoteRuns.Recorded recorded = RemoteRuns.record(connection, last.watchState(), "two-step", buildDir, List.of(),
          observation, false, console::add);
      assertThat(console).containsExactly("[kfp] warning: metrics and artifacts unavailable: " + failure);
      assertThat(recorded.summary().state()).isEqualTo(RuntimeState.SUCCEEDED);
      assertThat(recorded.directory().resolve("summary.json")).isRegularFile();
    }
  }
}
