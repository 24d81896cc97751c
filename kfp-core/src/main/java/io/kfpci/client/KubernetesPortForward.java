package io.kfpci.client;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.kfpci.k8s.Clusters;
import io.kfpci.k8s.K8sException;
import java.net.URI;
import java.util.Objects;

/**
 * Reaches the KFP API service through Kubernetes, for agents outside the cluster: a port-forward
 * of {@code svc/ml-pipeline:8888} (by default; ML Metadata's is
 * {@link io.kfpci.artifacts.MetadataStoreForward}) to a free port on 127.0.0.1, made with the
 * kubeconfig (or the in-cluster service account when running in a pod). Close it when the calls
 * are done; it owns the Kubernetes client it made.
 */
public final class KubernetesPortForward implements AutoCloseable {
  public static final String SERVICE = "ml-pipeline";
  public static final int PORT = 8888;

  private final KubernetesClient kubernetes;
  private final boolean ownsClient;
  private final LocalPortForward forward;

  private KubernetesPortForward(KubernetesClient kubernetes, boolean ownsClient, LocalPortForward forward) {
    this.kubernetes = kubernetes;
    this.ownsClient = ownsClient;
    this.forward = forward;
  }

  /** Forwards {@code svc/ml-pipeline:8888} of {@code namespace}, with the kubeconfig or in-cluster config. */
  public static KubernetesPortForward open(String namespace) throws KfpApiException {
    return open(null, null, namespace);
  }

  /**
   * Forwards {@code svc/ml-pipeline:8888} of {@code namespace} in the cluster of {@code kubeconfig}
   * and {@code context}; either null means kubectl's choice ($KUBECONFIG, ~/.kube/config, its
   * current context, or in-cluster), so one command reaches the API, ML Metadata and the pods in the
   * same cluster.
   */
  public static KubernetesPortForward open(java.nio.file.Path kubeconfig, String context, String namespace)
      throws KfpApiException {
    KubernetesClient client;
    try {
      // As kubectl finds its cluster, with deadlines, and without quoting a broken kubeconfig.
      client = Clusters.connect(kubeconfig, context);
    } catch (K8sException e) {
      throw fail("cannot reach Kubernetes for --via-kubernetes: " + e.getMessage(), null);
    }
    try {
      return open(client, true, namespace, SERVICE, PORT);
    } catch (KfpApiException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** Forwards {@code svc/service:port} of {@code namespace} through the given client (kept open). */
  public static KubernetesPortForward open(KubernetesClient client, String namespace, String service, int port)
      throws KfpApiException {
    return open(client, false, namespace, service, port);
  }

  private static KubernetesPortForward open(KubernetesClient client, boolean owns, String namespace, String service,
      int port) throws KfpApiException {
    Objects.requireNonNull(namespace, "namespace");
    String where = "svc/" + service + ":" + port + " in namespace " + namespace;
    try {
      Service svc = client.services().inNamespace(namespace).withName(service).get();
      if (svc == null) {
        throw fail("there is no service " + service + " in namespace " + namespace + " of the cluster at "
            + client.getMasterUrl() + "; give the namespace KFP is installed in (--kfp-namespace)", null);
      }
      LocalPortForward forward = client.services().inNamespace(namespace).withName(service).portForward(port);
      return new KubernetesPortForward(client, owns, forward);
    } catch (KubernetesClientException e) {
      throw fail("cannot port-forward " + where + " (HTTP " + e.getCode() + "): " + e.getMessage(), e);
    } catch (IllegalStateException e) {
      // fabric8 forwards a service through one of its pods, and says so when it finds none.
      throw fail("cannot port-forward " + where + ": no pod matches the service's selector (is KFP running?)", e);
    }
  }

  /** The forwarded API: {@code http://127.0.0.1:<local port>}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + localPort());
  }

  /** The port on 127.0.0.1 that reaches the service, for protocols other than HTTP (gRPC). */
  public int localPort() {
    return forward.getLocalPort();
  }

  /**
   * Whether the forward still works: its local listener is open and no connection through it has
   * failed (fabric8 forwards to one pod chosen when it opened, so a restarted pod breaks it).
   */
  public boolean isAlive() {
    return forward.isAlive() && !forward.errorOccurred();
  }

  @Override
  public void close() {
    try {
      forward.close();
    } catch (java.io.IOException e) {
      // The local listener is gone either way; nothing holds the port after this.
    } finally {
      if (ownsClient) {
        kubernetes.close();
      }
    }
  }

  private static KfpApiException fail(String message, Throwable cause) {
    return new KfpApiException(message, 0, "", "", "", false, cause);
  }
}
