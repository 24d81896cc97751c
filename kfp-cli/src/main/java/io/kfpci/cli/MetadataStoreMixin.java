package io.kfpci.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kfpci.KfpException;
import io.kfpci.artifacts.MetadataStoreForward;
import io.kfpci.artifacts.MetadataStoreOptions;
import io.kfpci.artifacts.MetadataStoreUnavailableException;
import io.kfpci.artifacts.RunMetadataReader;
import java.time.Duration;
import java.util.Objects;
import picocli.CommandLine.Option;

/**
 * Where KFP's ML Metadata store is: an address, or a port-forward through Kubernetes. Shared by
 * {@code kfpci metrics}, {@code artifacts}, {@code logs}, and {@code submit --wait}/{@code watch}.
 */
final class MetadataStoreMixin {
  @Option(names = "--mlmd", paramLabel = "HOST:PORT",
      description = "KFP's ML Metadata gRPC service, e.g. localhost:8080 after"
          + " 'kubectl port-forward -n kubeflow svc/metadata-grpc-service 8080:8080'.")
  String address;

  @Option(names = "--mlmd-via-kubernetes", description = "Reach ML Metadata (svc/metadata-grpc-service:8080 in"
      + " --kfp-namespace) through a Kubernetes port-forward, for as long as the command runs.")
  boolean viaKubernetes;

  @Option(names = "--mlmd-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "Deadline of each call to the ML Metadata store (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  /**
   * True when one of --mlmd and --mlmd-via-kubernetes is given; refuses both, a malformed address
   * and a deadline that is not positive, so a watch is refused before anything is submitted.
   */
  boolean given() {
    if (address != null && viaKubernetes) {
      throw new IllegalArgumentException("give --mlmd HOST:PORT or --mlmd-via-kubernetes, not both");
    }
    if (address != null) {
      options(); // the builder says what is wrong with the address or the deadline
    } else if (timeoutSeconds <= 0) {
      throw new IllegalArgumentException("--mlmd-timeout must be a positive number of seconds, not " + timeoutSeconds);
    }
    return address != null || viaKubernetes;
  }

  private MetadataStoreOptions options() {
    return MetadataStoreOptions.builder().address(address).callDeadline(Duration.ofSeconds(timeoutSeconds)).build();
  }

  /** Refuses a command line that names no store, for the commands that read nothing else. */
  void require() {
    if (!given()) {
      throw new IllegalArgumentException("give --mlmd HOST:PORT or --mlmd-via-kubernetes: the run's records are in"
          + " KFP's ML Metadata store");
    }
  }

  /**
   * Opens the store: at --mlmd, or through a port-forward made with {@code cluster} to
   * {@code namespace} (--mlmd-via-kubernetes). Null when neither is given.
   *
   * @param cluster the Kubernetes client with --mlmd-via-kubernetes (the caller closes it after the store)
   */
  Store open(KubernetesClient cluster, String namespace) throws MetadataStoreUnavailableException {
    if (!given()) {
      return null;
    }
    if (!viaKubernetes) {
      return new Store(RunMetadataReader.open(options()), null, null);
    }
    MetadataStoreForward forward = MetadataStoreForward.open(Objects.requireNonNull(cluster, "cluster"), namespace);
    Store store = null;
    try {
      store = new Store(RunMetadataReader.open(forward.options(Duration.ofSeconds(timeoutSeconds))), forward, null);
      return store;
    } finally {
      if (store == null) {
        forward.close();
      }
    }
  }

  /**
   * The store for a command that needs nothing else of the cluster ({@code metrics},
   * {@code artifacts}): with --mlmd-via-kubernetes, the Kubernetes client of the forward is made
   * here and closed with the store. A kubeconfig given without it is refused rather than ignored.
   */
  Store openAlone(KubeconfigOptions kube, String namespace) throws KfpException {
    require();
    if (!viaKubernetes) {
      if (kube.given()) {
        throw new IllegalArgumentException("--kubeconfig and --context are for --mlmd-via-kubernetes: give it, or"
            + " leave them out");
      }
      return open(null, namespace);
    }
    KubernetesClient cluster = kube.connect();
    Store opened = null;
    try {
      opened = open(cluster, namespace);
      return new Store(opened.reader(), opened.forward(), cluster);
    } finally {
      if (opened == null) {
        cluster.close();
      }
    }
  }

  /**
   * The reader, the port-forward it goes through and the Kubernetes client the store owns, each
   * null when there is none; closed in that order.
   */
  record Store(RunMetadataReader reader, MetadataStoreForward forward, KubernetesClient cluster)
      implements AutoCloseable {
    @Override
    public void close() {
      try {
        reader.close();
      } finally {
        try {
          if (forward != null) {
            forward.close();
          }
        } finally {
          if (cluster != null) {
            cluster.close();
          }
        }
      }
    }
  }
}
