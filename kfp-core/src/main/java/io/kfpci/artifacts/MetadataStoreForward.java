package io.kfpci.artifacts;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kfpci.client.KfpApiException;
import io.kfpci.client.KubernetesPortForward;
import java.time.Duration;
import java.util.Objects;

/**
 * KFP's ML Metadata store reached through Kubernetes, for agents outside the cluster: a
 * port-forward of {@code svc/metadata-grpc-service:8080} in KFP's namespace to a free port on
 * 127.0.0.1, the same as {@code kubectl port-forward -n kubeflow svc/metadata-grpc-service 8080}.
 * Shared by the command line and the Jenkins plugin.
 *
 * <p>The forward lives until {@link #close()}; close the {@link RunMetadataReader} first. The
 * Kubernetes client stays the caller's: it is neither closed here nor needed once this is closed.
 */
public final class MetadataStoreForward implements AutoCloseable {
  /** KFP's ML Metadata gRPC service and port in its namespace (the KFP manifests'). */
  public static final String SERVICE = "metadata-grpc-service";
  public static final int PORT = 8080;

  private final KubernetesPortForward forward;
  private final String namespace;

  private MetadataStoreForward(KubernetesPortForward forward, String namespace) {
    this.forward = forward;
    this.namespace = namespace;
  }

  /**
   * Forwards {@code svc/metadata-grpc-service:8080} of {@code namespace} through {@code client}.
   *
   * @throws MetadataStoreUnavailableException no such service in the namespace, no pod behind it,
   *     or the API server refused; the message says which and what to give
   */
  public static MetadataStoreForward open(KubernetesClient client, String namespace)
      throws MetadataStoreUnavailableException {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(namespace, "namespace");
    try {
      return new MetadataStoreForward(KubernetesPortForward.open(client, namespace, SERVICE, PORT), namespace);
    } catch (KfpApiException e) {
      throw new MetadataStoreUnavailableException(where(namespace), "ML Metadata through Kubernetes: "
          + e.getMessage(), e);
    }
  }

  /** The local end, {@code 127.0.0.1:<port>}, as the store's address in messages. */
  public String address() {
    return "127.0.0.1:" + forward.localPort();
  }

  /** What the forward stands for, e.g. {@code svc/metadata-grpc-service:8080 in namespace kubeflow}. */
  public String target() {
    return where(namespace);
  }

  /** Options for a {@link RunMetadataReader} over this forward, with the given call deadline. */
  public MetadataStoreOptions options(Duration callDeadline) {
    return MetadataStoreOptions.builder().host("127.0.0.1").port(forward.localPort()).callDeadline(callDeadline)
        .forwardedFrom(target()).build();
  }

  /** Whether the forward still works (false once its pod went away or it was closed), so a holder reopens it. */
  public boolean isAlive() {
    return forward.isAlive();
  }

  @Override
  public void close() {
    forward.close();
  }

  private static String where(String namespace) {
    return "svc/" + SERVICE + ":" + PORT + " in namespace " + namespace;
  }
}
