package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.ScriptedRunExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --mlmd-via-kubernetes}: ML Metadata through a port-forward of
 * {@code svc/metadata-grpc-service:8080}, made with --kubeconfig against fabric8's mock API server.
 * Given with --mlmd, or neither given where a store is needed, is a bad usage before any call; a
 * cluster without the service fails {@code metrics} with what to give, and leaves a watch running
 * without metrics.
 */
@EnableKubernetesMockClient(crud = true)
class MlmdViaKubernetesTest {
  KubernetesClient client;
  @TempDir Path dir;
  private KfpEmulator kfp;

  @AfterEach
  void stop() {
    if (kfp != null) {
      kfp.close();
    }
  }

  private Path kubeconfig() throws Exception {
    return MockKubeconfig.write(dir, client, "default");
  }

  private static void isUsageError(CliRun run, String command, String message) {
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).isEqualTo("error: " + message + "\nRun 'kfpci " + command + " --help' for the options.\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void bothWaysOrNeitherIsABadUsage() {
    String both = "give --mlmd HOST:PORT or --mlmd-via-kubernetes, not both";
    String neither = "give --mlmd HOST:PORT or --mlmd-via-kubernetes: the run's records are in KFP's ML Metadata store";
    for (String command : List.of("metrics", "artifacts", "logs")) {
      isUsageError(CliRun.of(command, "run-1", "--mlmd", "127.0.0.1:8080", "--mlmd-via-kubernetes"), command, both);
      isUsageError(CliRun.of(command, "run-1"), command, neither);
    }
    // Where nothing else uses the cluster, a kubeconfig without the forward would be ignored: it is refused.
    for (String command : List.of("metrics", "artifacts")) {
      isUsageError(CliRun.of(command, "run-1", "--mlmd", "127.0.0.1:8080", "--context", "prod"), command,
          "--kubeconfig and --context are for --mlmd-via-kubernetes: give it, or leave them out");
    }
  }

  @Test
  void bothWaysOnSubmitIsRefusedBeforeAnythingIsSubmitted() {
    kfp = Emulators.start(KfpEmulator.builder());
    Path pipeline = CliRun.fixture(RemoteCommandsTest.class, "two-step.yaml", dir);
    CliRun submit = CliRun.of("submit", pipeline.toString(), "--endpoint", kfp.baseUrl().toString(), "--wait",
        "-p", "rows=5", "--pipeline-root", dir.resolve("runs").toString(), "--mlmd", "127.0.0.1:8080",
        "--mlmd-via-kubernetes");
    assertThat(submit.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(submit.err()).isEqualTo("error: give --mlmd HOST:PORT or --mlmd-via-kubernetes, not both\n");
    assertThat(kfp.state().requests()).isEmpty();

    CliRun malformed = CliRun.of("submit", pipeline.toString(), "--endpoint", kfp.baseUrl().toString(), "--wait",
        "-p", "rows=5", "--mlmd", "metadata-grpc-service");
    assertThat(malformed.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(malformed.err()).isEqualTo("error: ML Metadata address 'metadata-grpc-service' is not host:port"
        + " (e.g. localhost:8080)\n");
    CliRun noDeadline = CliRun.of("submit", pipeline.toString(), "--endpoint", kfp.baseUrl().toString(), "--wait",
        "-p", "rows=5", "--mlmd-via-kubernetes", "--mlmd-timeout", "0");
    assertThat(noDeadline.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noDeadline.err()).isEqualTo("error: --mlmd-timeout must be a positive number of seconds, not 0\n");
    assertThat(kfp.state().requests()).isEmpty();

    CliRun pods = CliRun.of("submit", pipeline.toString(), "--endpoint", kfp.baseUrl().toString(), "--wait",
        "-p", "rows=5", "--pods");
    assertThat(pods.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(pods.err()).isEqualTo("error: --pods needs --mlmd HOST:PORT or --mlmd-via-kubernetes: the tasks' pods"
        + " are found in ML Metadata\n");
    assertThat(kfp.state().runs()).isEmpty();
  }

  @Test
  void metricsNamesTheNamespaceWhereThereIsNoStore() throws Exception {
    createStoreService("kubeflow");
    CliRun run = CliRun.of("metrics", "run-1", "--mlmd-via-kubernetes", "--kubeconfig", kubeconfig().toString(),
        "--kfp-namespace", "team-kfp");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("error: ML Metadata through Kubernetes: there is no service metadata-grpc-service"
        + " in namespace team-kfp of the cluster at " + client.getMasterUrl() + "; give the namespace KFP is installed"
        + " in (--kfp-namespace)\n");
  }

  @Test
  void theReaderGoesThroughTheForward() throws Exception {
    createStoreService("kubeflow");
    client.pods().inNamespace("kubeflow").resource(new PodBuilder().withNewMetadata().withName("metadata-grpc-0")
        .addToLabels("component", "metadata-grpc-server").endMetadata().withNewStatus().withPhase("Running")
        .endStatus().build()).create();
    // The mock API server forwards nothing: the store's calls reach the local end of the forward and
    // fail there, which shows the reader was given the forward's address, not a configured one.
    CliRun run = CliRun.of("artifacts", "run-1", "--mlmd-via-kubernetes", "--kubeconfig", kubeconfig().toString(),
        "--mlmd-timeout", "5");

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err()).matches("error: the ML Metadata store at 127\\.0\\.0\\.1:\\d+ \\(forwarded from"
        + " svc/metadata-grpc-service:8080 in namespace kubeflow\\) is unreachable \\(GetContextByTypeAndName: [^)]+\\)\\."
        + " Check that the service's pod is running and ready, and that Kubernetes lets you port-forward\n");
  }

  @Test
  void aWatchWithoutTheStoreServiceRunsToItsEndWithoutMetricsAndWithoutLogs() throws Exception {
    kfp = Emulators.start(KfpEmulator.builder().runExecutor(ScriptedRunExecutor.timed(Duration.ofMillis(100))));
    Path pipeline = CliRun.fixture(RemoteCommandsTest.class, "two-step.yaml", dir);
    CliRun run = CliRun.of("submit", pipeline.toString(), "--endpoint", kfp.baseUrl().toString(), "--wait",
        "-p", "rows=5", "--pipeline-root", dir.resolve("runs").toString(), "--mlmd-via-kubernetes",
        "--kubeconfig", kubeconfig().toString());

    String why = "ML Metadata through Kubernetes: there is no service metadata-grpc-service in namespace kubeflow of the"
        + " cluster at " + client.getMasterUrl() + "; give the namespace KFP is installed in (--kfp-namespace)";
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.err()).isEqualTo("warning: metrics and artifacts unavailable: " + why + "\n");
    List<String> lines = run.out().lines().toList();
    int at = lines.indexOf("metrics unavailable: " + why);
    assertThat(at).as(run.out()).isPositive();
    assertThat(lines.get(at + 1)).matches("run \\S+ SUCCEEDED");
    // --kubeconfig was for the forward: no task's log was asked for.
    assertThat(lines).noneMatch(l -> l.matches("\\[(preprocess|train)\\] (?!-- ).*"));
  }

  private void createStoreService(String namespace) {
    client.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata()
        .withName("metadata-grpc-service").endMetadata().withNewSpec().addToSelector("component", "metadata-grpc-server")
        .addNewPort().withPort(8080).endPort().endSpec().build()).create();
  }
}
