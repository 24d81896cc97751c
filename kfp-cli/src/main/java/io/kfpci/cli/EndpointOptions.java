package io.kfpci.cli;

import io.kfpci.client.Credentials;
import io.kfpci.client.KfpClient;
import io.kfpci.client.KfpConnection;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of every command that talks to a KFP API server. Defaults follow the KFP SDK's
 * environment: {@code KF_PIPELINES_ENDPOINT}, {@code KF_PIPELINES_SA_TOKEN_PATH} (else the
 * projected token at its standard path when it exists), plus {@code KF_PIPELINES_TOKEN},
 * {@code KF_PIPELINES_COOKIE} and {@code KF_PIPELINES_NAMESPACE} so secrets need not be arguments.
 */
final class EndpointOptions {
  static final String DEFAULT_TOKEN_PATH = "/var/run/secrets/kubeflow/pipelines/token";
  /** The environment; tests replace it. */
  static Map<String, String> env = System.getenv();

  @Option(names = "--endpoint", paramLabel = "URL", description = "The KFP API, e.g. https://HOST/pipeline or http://127.0.0.1:8888 (default: $KF_PIPELINES_ENDPOINT).")
  String endpoint;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Profile namespace in multi-user mode (default: $KF_PIPELINES_NAMESPACE).")
  String namespace;

  @Option(names = "--token-file", paramLabel = "FILE", description = "Bearer token file, re-read when it changes (default: $KF_PIPELINES_SA_TOKEN_PATH, or the projected token when present; else $KF_PIPELINES_TOKEN).")
  Path tokenFile;

  @Option(names = "--user-id", paramLabel = "USER", description = "Send the kubeflow-userid header (direct access to ml-pipeline:8888).")
  String userId;

  @Option(names = "--cookie", paramLabel = "COOKIE", description = "A raw Cookie header, e.g. authservice_session=... (default: $KF_PIPELINES_COOKIE; prefer the variable: arguments are visible to other users).")
  String cookie;

  @Option(names = "--ca-file", paramLabel = "PEM", description = "Also trust these CA certificates.")
  Path caFile;

  @Option(names = "--insecure", description = "Do not verify the server's TLS certificate (warned about on every use).")
  boolean insecure;

  @Option(names = "--via-kubernetes", description = "Reach ml-pipeline:8888 through a Kubernetes port-forward, in the"
      + " cluster of the command's --kubeconfig/--context where it has them (default: $KUBECONFIG, ~/.kube/config, or"
      + " in-cluster).")
  boolean viaKubernetes;

  @picocli.CommandLine.Mixin KfpNamespaceOption kfp;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Deadline of one API call, retries included (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds = 120;

  @Option(names = "--output", paramLabel = "FORMAT", description = "text (default) or json.")
  String output = "text";

  boolean json() {
    if (!output.equals("text") && !output.equals("json")) {
      throw new IllegalArgumentException("--output must be text or json, not '" + output + "'");
    }
    return output.equals("json");
  }

  KfpConnection connection(PrintWriter err) {
    if (viaKubernetes) {
      throw new IllegalStateException("a port-forwarded connection is made by client()");
    }
    return connection(err, null);
  }

  private KfpConnection connection(PrintWriter err, URI forwarded) {
    if (viaKubernetes && endpoint != null) {
      throw new IllegalArgumentException("give --endpoint or --via-kubernetes, not both");
    }
    String url = forwarded != null ? forwarded.toString() : endpoint != null ? endpoint : env.get("KF_PIPELINES_ENDPOINT");
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("no KFP endpoint: give --endpoint URL or set KF_PIPELINES_ENDPOINT");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--endpoint '" + url + "' is not a URL: " + e.getReason());
    }
    Credentials.Builder credentials = Credentials.builder();
    Path tokenPath = tokenFile;
    if (tokenPath == null && env.get("KF_PIPELINES_SA_TOKEN_PATH") != null) {
      tokenPath = Path.of(env.get("KF_PIPELINES_SA_TOKEN_PATH"));
    }
    if (tokenPath == null && env.get("KF_PIPELINES_TOKEN") == null && Files.isReadable(Path.of(DEFAULT_TOKEN_PATH))) {
      tokenPath = Path.of(DEFAULT_TOKEN_PATH);
    }
    if (tokenPath != null) {
      if (!Files.isReadable(tokenPath)) {
        throw new IllegalArgumentException("the token file " + tokenPath + " does not exist or cannot be read");
      }
      credentials.tokenFile(tokenPath);
    } else if (env.get("KF_PIPELINES_TOKEN") != null) {
      Map<String, String> environment = env;
      credentials.tokenVariable("KF_PIPELINES_TOKEN", () -> environment.get("KF_PIPELINES_TOKEN"));
    }
    credentials.userId(userId).cookie(cookie != null ? cookie : env.get("KF_PIPELINES_COOKIE"));
    return KfpConnection.builder(uri)
        .namespace(namespace != null ? namespace : env.get("KF_PIPELINES_NAMESPACE"))
        .credentials(credentials.build()).caFile(caFile).insecure(insecure)
        .callTimeout(Duration.ofSeconds(Math.max(timeoutSeconds, 30)))
        .warnings(w -> {
          err.println("warning: " + w);
          err.flush();
        })
        .build();
  }

  KfpClient client(PrintWriter err) throws io.kfpci.client.KfpApiException {
    return client(err, null);
  }

  /**
   * The client; with --via-kubernetes, through a port-forward made in the cluster {@code kube} names
   * (the command's one cluster choice, also used for ML Metadata and the pods), or kubectl's
   * default cluster when {@code kube} is null or gives nothing.
   */
  KfpClient client(PrintWriter err, KubeconfigOptions kube) throws io.kfpci.client.KfpApiException {
    if (!viaKubernetes) {
      return KfpClient.connect(connection(err));
    }
    if (endpoint != null) {
      throw new IllegalArgumentException("give --endpoint or --via-kubernetes, not both");
    }
    KfpConnection check = null;
    io.kfpci.client.KubernetesPortForward forward = io.kfpci.client.KubernetesPortForward.open(
        kube == null ? null : kube.kubeconfig, kube == null ? null : kube.context, kfp.namespace);
    try {
      check = connection(err, forward.endpoint());
      return KfpClient.connect(check, forward);
    } finally {
      if (check == null) {
        forward.close();
      }
    }
  }
}
