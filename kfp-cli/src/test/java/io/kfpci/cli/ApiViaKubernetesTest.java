package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --via-kubernetes} makes its port-forward of {@code svc/ml-pipeline:8888} in the cluster of
 * the command's {@code --kubeconfig}/{@code --context}: the same cluster as ML Metadata's forward and
 * the pods', against fabric8's mock API server (which holds no KFP, so each command stops at the
 * forward, naming the cluster it asked).
 */
@EnableKubernetesMockClient(crud = true)
class ApiViaKubernetesTest {
  KubernetesClient client;
  @TempDir Path dir;

  private String noService(String namespace) {
    return "error: there is no service ml-pipeline in namespace " + namespace + " of the cluster at "
        + client.getMasterUrl() + "; give the namespace KFP is installed in (--kfp-namespace)\n";
  }

  @Test
  void watchAndLogsForwardTheApiInTheClusterOfTheirKubeconfig() throws Exception {
    Path kubeconfig = MockKubeconfig.write(dir, client, "default");
    CliRun watch = CliRun.of("watch", "run-1", "--via-kubernetes", "--kubeconfig", kubeconfig.toString(),
        "--kfp-namespace", "team-kfp");
    assertThat(watch.err()).isEqualTo(noService("team-kfp"));
    assertThat(watch.exitCode()).isEqualTo(ExitCodes.SERVER);
    assertThat(watch.out()).isEmpty();

    CliRun logs = CliRun.of("logs", "run-1", "--via-kubernetes", "--kubeconfig", kubeconfig.toString(),
        "--context", "mock", "--mlmd", "127.0.0.1:1");
    assertThat(logs.err()).isEqualTo(noService("kubeflow"));
    assertThat(logs.exitCode()).isEqualTo(ExitCodes.FAILED);
  }

  @Test
  void onSubmitTheKubeconfigServesTheForwardAndNoLongerImpliesPods() throws Exception {
    Path kubeconfig = MockKubeconfig.write(dir, client, "default");
    Path pipeline = CliRun.fixture(RemoteCommandsTest.class, "two-step.yaml", dir);
    // Before, --kubeconfig without --mlmd-via-kubernetes meant --pods, refused without a store.
    CliRun submit = CliRun.of("submit", pipeline.toString(), "--via-kubernetes", "--kubeconfig", kubeconfig.toString(),
        "--wait", "--pipeline-root", dir.resolve("runs").toString());
    assertThat(submit.err()).isEqualTo(noService("kubeflow"));
    assertThat(submit.exitCode()).isEqualTo(ExitCodes.SERVER);
  }

  @Test
  void aContextTheKubeconfigLacksIsNamedAndAnEndpointTooIsABadUsage() throws Exception {
    Path kubeconfig = MockKubeconfig.write(dir, client, "default");
    CliRun wrong = CliRun.of("watch", "run-1", "--via-kubernetes", "--kubeconfig", kubeconfig.toString(),
        "--context", "prod");
    assertThat(wrong.err()).isEqualTo("error: cannot reach Kubernetes for --via-kubernetes: kubeconfig " + kubeconfig
        + " has no context prod\n");
    assertThat(wrong.exitCode()).isEqualTo(ExitCodes.SERVER);

    CliRun both = CliRun.of("watch", "run-1", "--via-kubernetes", "--endpoint", "http://127.0.0.1:1",
        "--kubeconfig", kubeconfig.toString());
    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).isEqualTo("error: give --endpoint or --via-kubernetes, not both\n");
    assertThat(client.services().inAnyNamespace().list().getItems()).isEmpty();
  }
}
