package io.kfpci.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A kubeconfig is a secret (it holds tokens and client keys): whatever is wrong with one, the
 * message says which kubeconfig and never quotes its content, and the parser's own message (which
 * may quote it) is not passed on either.
 */
class ClustersTest {
  private static final String TOKEN = "sha256~s3cr3t-t0ken-value";
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {
      "users: [{name: u, user: {token: " + TOKEN + "}}\n  oops: [",
      "{\"users\": \"" + TOKEN + "\"",
      "\t" + TOKEN + ": :",
      "apiVersion: v1\nkind: Config\nusers: " + TOKEN + "\n",
      TOKEN})
  void aBrokenKubeconfigIsRefusedWithoutQuotingIt(String content) throws Exception {
    assertThatThrownBy(() -> Clusters.fromKubeconfig(content).close())
        .isInstanceOf(K8sException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN).contains("not a valid kubeconfig"))
        .satisfies(e -> assertThat(e.getCause() == null ? "" : String.valueOf(e.getCause().getMessage()))
            .doesNotContain(TOKEN));

    Path file = Files.writeString(dir.resolve("config"), content);
    assertThatThrownBy(() -> Clusters.connect(file, null).close())
        .isInstanceOf(K8sException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN).contains(file.toString()))
        .satisfies(e -> assertThat(e.getCause() == null ? "" : String.valueOf(e.getCause().getMessage()))
            .doesNotContain(TOKEN));
  }

  @Test
  void aValidKubeconfigGivesAClientAtItsCurrentContext() throws Exception {
    String content = "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters: [{name: k, cluster: {server: "
        + "'https://127.0.0.1:6443'}}]\ncontexts: [{name: c, context: {cluster: k, user: u, namespace: ml}}]\n"
        + "users: [{name: u, user: {token: " + TOKEN + "}}]\n";
    try (KubernetesClient client = Clusters.fromKubeconfig(content)) {
      assertThat(client.getMasterUrl().toString()).isEqualTo("https://127.0.0.1:6443/");
      assertThat(client.getNamespace()).isEqualTo("ml");
    }
  }
}
