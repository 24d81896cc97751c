package io.kfpci.cli;

import io.kfpci.artifacts.MetadataStoreOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The ML Metadata store options shared by {@code kfpci metrics} and {@code kfpci artifacts}. */
final class MetadataStoreMixin {
  @Option(names = "--mlmd", paramLabel = "HOST:PORT", required = true,
      description = "KFP's ML Metadata gRPC service, e.g. localhost:8080 after"
          + " 'kubectl port-forward -n kubeflow svc/metadata-grpc-service 8080:8080'.")
  String address;

  @Option(names = "--mlmd-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "Deadline of each call to the store (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  MetadataStoreOptions options() {
    return MetadataStoreOptions.builder().address(address).callDeadline(Duration.ofSeconds(timeoutSeconds)).build();
  }
}
