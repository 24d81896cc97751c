package io.jenkins.plugins.kfp.internal;

import io.kfpci.artifacts.MetadataStoreOptions;
import io.kfpci.artifacts.ObjectStoreOptions;

/**
 * What a remote run is observed through besides the KFP API, resolved from an endpoint's settings
 * and credentials for one check on the controller and then dropped: never persisted, never sent
 * to an agent except for the call that needs it. Each part is null when not configured.
 *
 * @param metadata KFP's ML Metadata gRPC service (metrics, artifacts, the tasks' pods)
 * @param objectStore the artifact store (archived logs, downloads)
 * @param kubeconfig a kubeconfig's content (a secret), or null
 * @param inCluster whether to use the controller's own service account when there is no kubeconfig
 */
public record RemoteObservation(MetadataStoreOptions metadata, ObjectStoreOptions objectStore, String kubeconfig,
    boolean inCluster) {
  public static final RemoteObservation NONE = new RemoteObservation(null, null, null, false);

  /** Whether the tasks' pods can be reached for live logs. */
  public boolean cluster() {
    return kubeconfig != null || inCluster;
  }

  @Override
  public String toString() {
    return "RemoteObservation[metadata=" + metadata + ", objectStore=" + objectStore + ", kubeconfig="
        + (kubeconfig == null ? "none" : "****") + ", inCluster=" + inCluster + "]";
  }
}
