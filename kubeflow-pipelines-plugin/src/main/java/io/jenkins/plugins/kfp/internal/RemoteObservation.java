package io.jenkins.plugins.kfp.internal;

import io.kfpci.KfpException;
import io.kfpci.artifacts.MetadataStoreOptions;
import io.kfpci.artifacts.ObjectStoreOptions;

/**
 * What a remote run is observed through besides the KFP API, resolved from an endpoint's settings
 * and credentials for one check on the controller and then dropped: never persisted, never sent
 * to an agent except for the call that needs it. Each part is null when not configured.
 *
 * @param metadata KFP's ML Metadata gRPC service at a configured address (metrics, artifacts, the
 *     tasks' pods)
 * @param objectStore the artifact store (archived logs, downloads)
 * @param kubeconfig a kubeconfig's content (a secret), or null
 * @param inCluster whether to use the controller's own service account when there is no kubeconfig
 * @param metadataForward when there is no address but Kubernetes access: opens (or reuses) the
 *     port-forward to ML Metadata when the store is first read ({@link PortForwards#metadata}), so
 *     resolving the observation never waits on the cluster
 */
public record RemoteObservation(MetadataStoreOptions metadata, ObjectStoreOptions objectStore, String kubeconfig,
    boolean inCluster, MetadataForward metadataForward) {
  public static final RemoteObservation NONE = new RemoteObservation(null, null, null, false);

  /** Opens the way to an ML Metadata store that has no address of its own. */
  @FunctionalInterface
  public interface MetadataForward {
    MetadataStoreOptions open() throws KfpException;
  }

  /** Without a forward: ML Metadata, if any, at its configured address. */
  public RemoteObservation(MetadataStoreOptions metadata, ObjectStoreOptions objectStore, String kubeconfig,
      boolean inCluster) {
    this(metadata, objectStore, kubeconfig, inCluster, null);
  }

  /** Whether the tasks' pods can be reached for live logs. */
  public boolean cluster() {
    return kubeconfig != null || inCluster;
  }

  /** Whether the run's metrics, artifacts and pods can be read: at an address or through a forward. */
  public boolean observesMetadata() {
    return metadata != null || metadataForward != null;
  }

  /**
   * The ML Metadata store to read: the configured address, or the forward's local end (opened now
   * when it is not open yet); null when there is neither.
   *
   * @throws KfpException the forward could not be opened; the message names the endpoint
   */
  public MetadataStoreOptions metadataStore() throws KfpException {
    if (metadata != null || metadataForward == null) {
      return metadata;
    }
    return metadataForward.open();
  }

  @Override
  public String toString() {
    return "RemoteObservation[metadata=" + (metadata == null && metadataForward != null ? "port-forward" : metadata)
        + ", objectStore=" + objectStore + ", kubeconfig=" + (kubeconfig == null ? "none" : "****") + ", inCluster="
        + inCluster + "]";
  }
}
