package io.kfpci.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kfpci.k8s.Clusters;
import io.kfpci.k8s.K8sException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which cluster KFP runs in, for the commands that reach it through Kubernetes ({@code --pods},
 * {@code --mlmd-via-kubernetes}, {@code --via-kubernetes}): a kubeconfig and its context, else
 * kubectl's search. One choice per command: the API's forward, ML Metadata's and the pods' logs
 * all use it.
 */
final class KubeconfigOptions {
  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig of the cluster KFP runs in, for"
      + " --via-kubernetes, --mlmd-via-kubernetes and --pods (default: $KUBECONFIG, ~/.kube/config, or in-cluster).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "CONTEXT", description = "Kubeconfig context (default: its current context).")
  String context;

  boolean given() {
    return kubeconfig != null || context != null;
  }

  KubernetesClient connect() throws K8sException {
    return Clusters.connect(kubeconfig, context);
  }
}
