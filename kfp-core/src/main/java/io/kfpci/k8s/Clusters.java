package io.kfpci.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kubernetes clients the way kubectl finds its cluster: a kubeconfig file and context, or
 * {@code $KUBECONFIG}/{@code ~/.kube/config}, or the in-cluster service account. Every request has
 * deadlines, so an unreachable API server fails a command in seconds instead of hanging a build.
 */
public final class Clusters {
  /** Connect and per-request deadline. */
  public static final int TIMEOUT_MILLIS = 15_000;

  private Clusters() {}

  /**
   * @param kubeconfig a kubeconfig file, or null for the usual search
   * @param context a context of it, or null for its current context
   */
  public static KubernetesClient connect(Path kubeconfig, String context) throws K8sException {
    Config config;
    try {
      if (kubeconfig != null) {
        if (!Files.isRegularFile(kubeconfig)) {
          throw new K8sException("--kubeconfig " + kubeconfig + " does not exist or is not a regular file");
        }
        config = Config.fromKubeconfig(context, kubeconfig.toFile());
      } else {
        if (!kubeconfigFound() && !inCluster()) {
          throw new K8sException("no Kubernetes cluster configured: no kubeconfig ($KUBECONFIG or ~/.kube/config) and "
              + "not running in a pod; give --kubeconfig FILE");
        }
        config = Config.autoConfigure(context);
      }
    } catch (RuntimeException e) {
      // Any parser failure (the YAML parser's exceptions are not fabric8's): the kubeconfig may hold
      // tokens, and the parser's message quotes the line it choked on, so neither is passed on.
      throw new K8sException("cannot use kubeconfig " + (kubeconfig == null ? "(default)" : kubeconfig)
          + (context == null ? "" : " context " + context) + ": it is not a valid kubeconfig or has no such context ("
          + e.getClass().getSimpleName() + "; its content is not shown: it may hold tokens)");
    }
    if (context != null && config.getCurrentContext() != null && !context.equals(config.getCurrentContext().getName())) {
      throw new K8sException("kubeconfig " + (kubeconfig == null ? "(default)" : kubeconfig) + " has no context " + context);
    }
    config.setConnectionTimeout(TIMEOUT_MILLIS);
    config.setRequestTimeout(TIMEOUT_MILLIS);
    config.setRequestRetryBackoffLimit(2);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * A client from a kubeconfig's content (a credential's file, never written to disk), at its
   * current context. The content is a secret: messages never quote it.
   */
  public static KubernetesClient fromKubeconfig(String content) throws K8sException {
    Config config;
    try {
      config = Config.fromKubeconfig(content);
    } catch (RuntimeException e) {
      // As above: neither the content nor the parser's message (which quotes it) is passed on.
      throw new K8sException("the kubeconfig given is not a valid kubeconfig (" + e.getClass().getSimpleName()
          + "; its content is not shown: it may hold tokens)");
    }
    config.setConnectionTimeout(TIMEOUT_MILLIS);
    config.setRequestTimeout(TIMEOUT_MILLIS);
    config.setRequestRetryBackoffLimit(2);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static boolean kubeconfigFound() {
    String env = System.getenv("KUBECONFIG");
    if (env != null && !env.isBlank()) {
      return true;
    }
    return Files.isRegularFile(Path.of(System.getProperty("user.home"), ".kube", "config"));
  }

  private static boolean inCluster() {
    return System.getenv("KUBERNETES_SERVICE_HOST") != null
        && Files.isRegularFile(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"));
  }
}
