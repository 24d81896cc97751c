package io.jenkins.plugins.kfp.internal;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.kfpci.KfpException;
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
 * The port-forwards to {@code svc/ml-pipeline:8888} of the endpoints reached through Kubernetes,
 * opened on the controller when first needed and reused by every call after (a remote run checks
 * every few seconds; a forward per check would cost a Kubernetes round trip each time).
 *
 * <p>A forward is keyed by the endpoint's name, the namespace and a digest of the kubeconfig used
 * (never the kubeconfig), so a changed credential opens a new one. It is reopened when it broke
 * (its pod went away), closed when unused for {@link #IDLE_MILLIS}, and all are closed when the
 * global configuration is saved. Forwards hold no secret beyond their Kubernetes client, live
 * only in memory, and are never sent to an agent.
 */
public final class PortForwards implements AutoCloseable {
  /** How long an unused forward stays open. */
  public static final long IDLE_MILLIS = 10 * 60_000L;
  private static final PortForwards SHARED = new PortForwards(PortForwards::client, System::currentTimeMillis);

  /** Makes the Kubernetes client a forward goes through; the forward closes it. */
  interface Clients {
    KubernetesClient client(KfpEndpoint endpoint, EndpointAccess.Secrets secrets) throws KfpException;
  }

  private record Open(KubernetesClient client, KubernetesPortForward forward, long[] lastUse) {}

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
    long now = clock.getAsLong();
    closeIdle(now);
    String key = key(endpoint, secrets);
    Open current = open.get(key);
    if (current != null && !current.forward().isAlive()) {
      open.remove(key);
      close(current);
      current = null;
    }
    if (current == null) {
      KubernetesClient client = clients.client(endpoint, secrets);
      KubernetesPortForward forward;
      try {
        forward = KubernetesPortForward.open(client, endpoint.getKfpNamespace(), KubernetesPortForward.SERVICE,
            KubernetesPortForward.PORT);
      } catch (KfpException | RuntimeException e) {
        client.close();
        throw new KfpException("endpoint " + endpoint.getName() + ": " + e.getMessage(), e);
      }
      current = new Open(client, forward, new long[] {now});
      open.put(key, current);
    }
    current.lastUse()[0] = now;
    return current.forward().endpoint();
  }

  /** How many forwards are open. */
  public synchronized int size() {
    return open.size();
  }

  /** Closes every forward; the next call opens what it needs again. */
  @Override
  public synchronized void close() {
    open.values().forEach(PortForwards::close);
    open.clear();
  }

  private void closeIdle(long now) {
    for (Iterator<Open> it = open.values().iterator(); it.hasNext();) {
      Open o = it.next();
      if (now - o.lastUse()[0] >= IDLE_MILLIS) {
        it.remove();
        close(o);
      }
    }
  }

  private static void close(Open o) {
    try {
      o.forward().close();
    } finally {
      o.client().close();
    }
  }

  static String key(KfpEndpoint endpoint, EndpointAccess.Secrets secrets) {
    String cluster = secrets.kubeconfig() != null ? "kubeconfig:" + digest(secrets.kubeconfig()) : "in-cluster";
    return endpoint.getName() + "\n" + endpoint.getKfpNamespace() + "\n" + cluster;
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
