package io.jenkins.plugins.kfp.internal;

import io.fabric8.kubernetes.client.KubernetesClient;

/** The kubeconfig a user would hold for fabric8's mock API server: its URL, a token, a namespace. */
final class MockKubeconfigs {
  private MockKubeconfigs() {}

  static String of(KubernetesClient mock, String namespace) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: %s
            insecure-skip-tls-verify: true
        contexts:
        - name: mock
          context:
            cluster: mock
            user: ci
            namespace: %s
        current-context: mock
        users:
        - name: ci
          user:
            token: not-a-real-token
        """.formatted(mock.getConfiguration().getMasterUrl(), namespace);
  }
}
