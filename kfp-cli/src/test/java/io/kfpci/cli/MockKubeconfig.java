package io.kfpci.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A kubeconfig file for fabric8's mock API server, so a command finds the mock as kubectl would. */
final class MockKubeconfig {
  private MockKubeconfig() {}

  /** Writes {@code dir/kubeconfig}: context {@code mock}, default namespace {@code namespace}, a dummy token. */
  static Path write(Path dir, KubernetesClient mock, String namespace) throws IOException {
    return write(dir, mock.getConfiguration().getMasterUrl(), namespace);
  }

  /** As {@link #write(Path, KubernetesClient, String)}, for a mock API server at {@code server}. */
  static Path write(Path dir, String server, String namespace) throws IOException {
    return Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        contexts:
        - name: mock
          context: {cluster: mock, user: mock, namespace: %s}
        current-context: mock
        users:
        - name: mock
          user: {token: not-a-secret}
        """.formatted(server, namespace));
  }
}
