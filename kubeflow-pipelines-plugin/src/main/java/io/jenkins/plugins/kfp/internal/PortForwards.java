package io.jenkins.plugins.kfp.internal;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.kfpci.KfpException;
import io.kfpci.artifacts.MetadataStoreForward;
import io.kfpci.artifacts.MetadataStoreOptions;
import io.kfpci.client.KubernetesPortForward;
import io.kfpci.k8s.Clusters;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The port-forwards of the endpoints reached through Kubernetes, opened on the controller when
 * first needed and reused by every call after (a remote run checks every few seconds; a forward
 * per check would cost a Kubernetes round trip each time): to {@code svc/ml-pipeline:8888} for the
 * API of an endpoint given by namespace, and to {@code svc/metadata-grpc-service:8080} for ML
 * Metadata of an endpoint with Kubernetes access but no ML Metadata address.
 *
 * <p>A forward is keyed by what it forwards, the endpoint's name, the namespace and a digest of
 * the kubeconfig used (never the kubeconfig), so a changed credential opens a new one. It is
 * reopened when it broke (its pod went away), closed when unused for {@link #IDLE_MILLIS}, and
 * all are closed when the global configuration is saved. Forwards hold no secret beyond their
 * Kubernetes client, live only in memory, and are never sent to an agent.
 */
public final class PortForwards implements AutoCloseable {
  /** How long an unused forward stays open. */
  public static final long IDLE_MILLIS = 10 * 60_000L;
  private static final PortForwards SHARED = new PortForwards(PortForwards::client, System::currentTimeMillis);

  /** Makes the Kubernetes client a forward goes through; the forward closes it. */
  interface Clients {
    KubernetesClient client(KfpEndpoint endpoint, EndpointAccess.Secrets secrets) throws KfpException;
  }

  /** One forward: to the API ({@code api}) or to ML Metadata ({@code metadata}), the other null. */
  private record Open(KubernetesClient client, KubernetesPortForward api, MetadataStoreForward metadata,
      long[] lastUse) {
    boolean alive() {
      return api != null ? api.isAlive() : metadata.isAlive();
    }

    void close() {
      try {
        if (api != null) {
          api.close();
        } else {
          metadata.close();
        }
      } finally {
        client.close();
      }
    }
  }

  /** Opens a forward through a client made for it. */
  private interface Opener {
    Open open(KubernetesClient client, long[] lastUse) throws KfpException;
  }

  private final Clients clients;
  private final LongSupplier clock;
  private final Map<String, Open> open = new HashMap<>();

  PortForwards(Clients clients, LongSupplier clock) {
    this.clients = clients;
    this.clock = clock;
  }

  /** The controller's forwards. */
  public static PortForwards shared() {
    return SHARED;
  }

  /** A set of forwards of its own, for one use (the form's connection test); close it after. */
  public static PortForwards temporary() {
    return new PortForwards(PortForwards::client, System::currentTimeMillis);
  }

  /**
   * The local address of the endpoint's API through its forward, opening or reopening it as
   * needed. Returns null for an endpoint that is reached by URL.
   */
  public synchronized URI endpoint(KfpEndpoint endpoint, EndpointAccess.Secrets secrets) throws KfpException {
    if (!EndpointAccess.throughKubernetes(endpoint)) {
      return null;
    }
    return forward(key(endpoint, secrets), endpoint, secrets, (client, lastUse) -> new Open(client,
        KubernetesPortForward.open(client, endpoint.getKfpNamespace(), KubernetesPortForward.SERVICE,
            KubernetesPortForward.PORT), null, lastUse)).api().endpoint();
  }

  /**
   * The ML Metadata store of an endpoint without an ML Metadata address but with Kubernetes access,
   * through its forward to {@code svc/metadata-grpc-service:8080} in KFP's namespace
   * ({@link EndpointAccess#metadataNamespace}), opening or reopening it as needed. Returns null
   * when the endpoint has an address or no Kubernetes access.
   */
  public synchronized MetadataStoreOptions metadata(KfpEndpoint endpoint, EndpointAccess.Secrets secrets)
      throws KfpException {
    if (!EndpointAccess.metadataThroughKubernetes(endpoint, secrets)) {
      return null;
    }
    String namespace = EndpointAccess.metadataNamespace(endpoint);
    return forward(metadataKey(endpoint, secrets), endpoint, secrets, (client, lastUse) -> new Open(client, null,
        MetadataStoreForward.open(client, namespace), lastUse)).metadata()
        .options(MetadataStoreOptions.DEFAULT_DEADLINE);
  }

  private Open forward(String key, KfpEndpoint endpoint, EndpointAccess.Secrets secrets, Opener opener)
      throws KfpException {
    long now = clock.getAsLong();
    closeIdle(now);
    Open current = open.get(key);
    if (current != null && !current.alive()) {
      open.remove(key);
      current.close();
      current = null;
    }
    if (current == null) {
      KubernetesClient client = clients.client(endpoint, secrets);
      try {
        current = opener.open(client, new long[] {now});
      } catch (KfpException | RuntimeException e) {
        client.close();
        throw new KfpException("endpoint " + endpoint.getName() + ": " + e.getMessage(), e);
      }
      open.put(key, current);
    }
    current.lastUse()[0] = now;
    return current;
  }

  /** How many forwards are open. */
  public synchronized int size() {
    return open.size();
  }

  /** Closes every forward; the next call opens what it needs again. */
  @Override
  public synchronized void close() {
    open.values().forEach(Open::close);
    open.clear();
  }

  private void closeIdle(long now) {
    for (Iterator<Open> it = open.values().iterator(); it.hasNext();) {
      Open o = it.next();
      if (now - o.lastUse()[0] >= IDLE_MILLIS) {
        it.remove();
        o.close();
      }
    }
  }

  /** The API forward's key: the endpoint's name, its namespace, then the cluster (line 3). */
  static String key(KfpEndpoint endpoint, EndpointAccess.Secrets secrets) {
    return endpoint.getName() + "\n" + endpoint.getKfpNamespace() + "\n" + cluster(secrets);
  }

  /** The ML Metadata forward's key, with the cluster on line 3 as well. */
  static String metadataKey(KfpEndpoint endpoint, EndpointAccess.Secrets secrets) {
    return "metadata " + endpoint.getName() + "\n" + EndpointAccess.metadataNamespace(endpoint) + "\n"
        + cluster(secrets);
  }

  private static String cluster(EndpointAccess.Secrets secrets) {
    return secrets.kubeconfig() != null ? "kubeconfig:" + digest(secrets.kubeconfig()) : "in-cluster";
  }

  private static String digest(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** The endpoint's cluster: its kubeconfig credential, or the controller's own configuration. */
  private static KubernetesClient client(KfpEndpoint endpoint, EndpointAccess.Secrets secrets) throws KfpException {
    try {
      if (secrets.kubeconfig() != null) {
        return Clusters.fromKubeconfig(secrets.kubeconfig());
      }
      if (endpoint.isInCluster()) {
        return Clusters.connect(null, null);
      }
    } catch (KfpException e) {
      throw new KfpException("endpoint " + endpoint.getName() + ": " + e.getMessage(), e);
    }
    throw new KfpException("endpoint " + endpoint.getName() + " is reached through Kubernetes but has neither a "
        + "kubeconfig credential nor \"in cluster\"; choose one in Manage Jenkins, Kubeflow Pipelines");
  }

  @Override
  public String toString() {
    return "PortForwards[" + Objects.toString(open.size()) + " open]";
  }
}
