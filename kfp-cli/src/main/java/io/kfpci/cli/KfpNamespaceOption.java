package io.kfpci.cli;

import picocli.CommandLine.Option;

/**
 * The namespace KFP is installed in, where the port-forwards of {@code --via-kubernetes}
 * ({@code svc/ml-pipeline:8888}) and {@code --mlmd-via-kubernetes}
 * ({@code svc/metadata-grpc-service:8080}) go. One definition, part of {@link EndpointOptions} and
 * of the commands that read ML Metadata without the KFP API.
 */
final class KfpNamespaceOption {
  @Option(names = "--kfp-namespace", paramLabel = "NS", description = "Namespace KFP is installed in, for the"
      + " port-forwards of --via-kubernetes and --mlmd-via-kubernetes (default: ${DEFAULT-VALUE}).")
  String namespace = "kubeflow";
}
