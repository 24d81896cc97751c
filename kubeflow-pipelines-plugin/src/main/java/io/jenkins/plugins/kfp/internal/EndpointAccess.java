package io.jenkins.plugins.kfp.internal;

import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.kfpci.KfpException;
import io.kfpci.artifacts.MetadataStoreOptions;
import io.kfpci.artifacts.ObjectStoreOptions;
import io.kfpci.client.Credentials;
import io.kfpci.client.KfpConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An endpoint's settings and its resolved secrets made into what kfp-core takes: the API
 * connection (authentication, TLS, the URL or a port-forward's local address) and what a run is
 * observed through. Jenkins-free: the secrets come already resolved, by a build or by the form.
 *
 * <p>Nothing here is persisted. The secrets live in the returned objects for the calls at hand;
 * their {@code toString()} never shows a value.
 */
public final class EndpointAccess {
  private EndpointAccess() {}

  /**
   * The secret values one use of an endpoint needs, each null when the endpoint names no
   * credential for it.
   *
   * @param token the bearer token (a Secret text's text or a Secret file's content, stripped)
   * @param cookie the raw {@code Cookie} header value
   * @param kubeconfig a kubeconfig's content
   * @param accessKey the object store's access key (a user name, not secret)
   * @param secretKey the object store's secret key
   */
  public record Secrets(String token, String cookie, String kubeconfig, String accessKey, String secretKey) {
    public static final Secrets NONE = new Secrets(null, null, null, null, null);

    /** A masker holding every value here that must not reach the console. */
    public SecretMasker masker() {
      List<String> values = new ArrayList<>();
      values.add(token);
      values.addAll(SecretMasker.cookieSecrets(cookie));
      values.addAll(SecretMasker.kubeconfigSecrets(kubeconfig));
      values.add(secretKey);
      return SecretMasker.of(values);
    }

    @Override
    public String toString() {
      return "Secrets[token=" + shown(token) + ", cookie=" + shown(cookie) + ", kubeconfig=" + shown(kubeconfig)
          + ", accessKey=" + (accessKey == null ? "none" : accessKey) + ", secretKey=" + shown(secretKey) + "]";
    }

    private static String shown(String value) {
      return value == null ? "none" : "****";
    }
  }

  /**
   * Looks up every credential {@code endpoint} names, by {@code lookup}'s rules. A credential that
   * cannot be used fails the whole lookup, naming the endpoint, the setting and the id.
   */
  public static Secrets resolve(KfpEndpoint endpoint, CredentialLookup lookup) throws CredentialUnavailableException {
    String token = null;
    String cookie = null;
    String kubeconfig = null;
    String accessKey = null;
    String secretKey = null;
    try {
      if (!endpoint.getCredentialsId().isEmpty()) {
        token = lookup.find(endpoint.getCredentialsId(), CredentialLookup.Kind.TOKEN, "credentialsId").secret().strip();
      }
      if (!endpoint.getCookieCredentialsId().isEmpty()) {
        cookie = lookup.find(endpoint.getCookieCredentialsId(), CredentialLookup.Kind.SECRET_TEXT,
            "cookieCredentialsId").secret().strip();
      }
      if (!endpoint.getKubeconfigCredentialsId().isEmpty()) {
        kubeconfig = lookup.find(endpoint.getKubeconfigCredentialsId(), CredentialLookup.Kind.SECRET_FILE,
            "kubeconfigCredentialsId").secret();
      }
      if (!endpoint.getObjectStoreCredentialsId().isEmpty()) {
        CredentialLookup.Found keys = lookup.find(endpoint.getObjectStoreCredentialsId(),
            CredentialLookup.Kind.USERNAME_PASSWORD, "objectStoreCredentialsId");
        accessKey = keys.username();
        secretKey = keys.secret();
      }
    } catch (CredentialUnavailableException e) {
      throw new CredentialUnavailableException("endpoint " + endpoint.getName() + ": " + e.getMessage(),
          e.credentialsId(), e.kind(), e.setting());
    }
    return new Secrets(token, cookie, kubeconfig, accessKey, secretKey);
  }

  /** Whether the API is reached through a port-forward to the {@code ml-pipeline} service. */
  public static boolean throughKubernetes(KfpEndpoint endpoint) {
    return !endpoint.getKfpNamespace().isEmpty();
  }

  /** Where the endpoint's API is, for console lines: its URL, or the service it is forwarded from. */
  public static String where(KfpEndpoint endpoint) {
    return throughKubernetes(endpoint) ? "svc/ml-pipeline:8888 in namespace " + endpoint.getKfpNamespace()
        + " (port-forward)" : endpoint.getUrl();
  }

  /** The console warning of an endpoint that skips TLS verification, or null when it does not. */
  public static String skipVerifyWarning(KfpEndpoint endpoint) {
    return endpoint.isSkipTlsVerify() ? "endpoint " + endpoint.getName() + " skips TLS verification (set in Manage "
        + "Jenkins > Kubeflow Pipelines): anyone on the path to " + endpoint.getUrl() + " can read and change what "
        + "is sent, the credentials included" : null;
  }

  /** Warnings already printed, per build: a watch makes a connection at every check. */
  private static final Map<String, Boolean> WARNED = Collections.synchronizedMap(
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > 10_000;
        }
      });

  /**
   * Where one use of {@code endpoint} by a build sends the core's warnings: masked, each distinct
   * warning once per build ({@code buildId}), and, when the endpoint skips TLS verification, that
   * said first in the configuration's words (the core's own line, which names the command line's
   * {@code --insecure}, is left out).
   */
  public static Consumer<String> warnings(KfpEndpoint endpoint, String buildId, SecretMasker masker,
      Consumer<String> console) {
    Consumer<String> masked = masker.masking(console);
    Consumer<String> once = warning -> {
      if (WARNED.putIfAbsent(buildId + "\n" + warning, Boolean.TRUE) == null) {
        masked.accept(warning);
      }
    };
    String insecure = skipVerifyWarning(endpoint);
    if (insecure == null) {
      return once;
    }
    once.accept(insecure);
    return w -> {
      if (!w.startsWith("TLS verification is OFF for ")) {
        once.accept(w);
      }
    };
  }

  /**
   * The core's connection to the endpoint's API.
   *
   * @param forwarded the local address of the port-forward when the endpoint is reached through
   *     Kubernetes ({@link PortForwards}), else null
   * @param warnings where the core's warnings go (already masked by the caller)
   */
  public static KfpConnection connection(KfpEndpoint endpoint, Secrets secrets, URI forwarded,
      Consumer<String> warnings) throws KfpException {
    return build(endpoint, builder(endpoint, secrets, forwarded, warnings));
  }

  /** The connection's builder, for a caller that sets more (the form's test sets shorter deadlines). */
  static KfpConnection.Builder builder(KfpEndpoint endpoint, Secrets secrets, URI forwarded,
      Consumer<String> warnings) throws KfpException {
    URI uri;
    if (throughKubernetes(endpoint)) {
      if (forwarded == null) {
        throw new KfpException("endpoint " + endpoint.getName() + " is reached through Kubernetes, but no "
            + "port-forward was opened");
      }
      uri = forwarded;
    } else {
      try {
        uri = new URI(endpoint.getUrl());
      } catch (URISyntaxException e) {
        throw new KfpException("endpoint " + endpoint.getName() + ": '" + endpoint.getUrl() + "' is not a URL; fix it "
            + "in Manage Jenkins, Kubeflow Pipelines", e);
      }
    }
    Credentials.Builder credentials = Credentials.builder();
    if (secrets.token() != null) {
      String token = secrets.token();
      credentials.tokenVariable("credential " + endpoint.getCredentialsId(), () -> token);
    }
    credentials.userId(endpoint.getUserId());
    credentials.cookie(secrets.cookie());
    try {
      KfpConnection.Builder builder = KfpConnection.builder(uri).name(endpoint.getName())
          .namespace(endpoint.getNamespace()).credentials(credentials.build()).insecure(endpoint.isSkipTlsVerify())
          .caCertificates(endpoint.getCaCertificate()).warnings(warnings);
      if (forwarded != null) {
        // The forward's local port means nothing in a browser: no UI links.
        builder.uiBase(null);
      }
      return builder;
    } catch (IllegalArgumentException e) {
      throw new KfpException("endpoint " + endpoint.getName() + ": " + e.getMessage(), e);
    }
  }

  static KfpConnection build(KfpEndpoint endpoint, KfpConnection.Builder builder) throws KfpException {
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      // The builders' messages name settings, never a secret's value.
      throw new KfpException("endpoint " + endpoint.getName() + ": " + e.getMessage(), e);
    }
  }

  /** The namespace KFP is installed in when the endpoint does not say (the KFP manifests'). */
  public static final String DEFAULT_KFP_NAMESPACE = "kubeflow";

  /**
   * Whether ML Metadata is reached through a port-forward: the endpoint has no ML Metadata address
   * but has Kubernetes access (a kubeconfig credential, or in cluster).
   */
  public static boolean metadataThroughKubernetes(KfpEndpoint endpoint, Secrets secrets) {
    return endpoint.getMlmdAddress().isEmpty() && (secrets.kubeconfig() != null || endpoint.isInCluster());
  }

  /** Where ML Metadata's service is looked for: the endpoint's KFP namespace, else {@value #DEFAULT_KFP_NAMESPACE}. */
  public static String metadataNamespace(KfpEndpoint endpoint) {
    return endpoint.getKfpNamespace().isEmpty() ? DEFAULT_KFP_NAMESPACE : endpoint.getKfpNamespace();
  }

  /**
   * As {@link #observation(KfpEndpoint, Secrets)}, and an endpoint without an ML Metadata address
   * but with Kubernetes access reaches ML Metadata through {@code forwards}: the forward is opened
   * (or reused) when the store is first read, never here, so this stays quick.
   */
  public static RemoteObservation observation(KfpEndpoint endpoint, Secrets secrets, PortForwards forwards)
      throws KfpException {
    RemoteObservation settings = observation(endpoint, secrets);
    if (!metadataThroughKubernetes(endpoint, secrets)) {
      return settings;
    }
    return new RemoteObservation(null, settings.objectStore(), settings.kubeconfig(), settings.inCluster(),
        () -> forwards.metadata(endpoint, secrets));
  }

  /** What a run on the endpoint is observed through besides the API, with the resolved secrets. */
  public static RemoteObservation observation(KfpEndpoint endpoint, Secrets secrets) throws KfpException {
    MetadataStoreOptions metadata = null;
    ObjectStoreOptions objectStore = null;
    try {
      if (!endpoint.getMlmdAddress().isEmpty()) {
        metadata = MetadataStoreOptions.builder().address(endpoint.getMlmdAddress()).build();
      }
      if (!endpoint.getObjectStoreUrl().isEmpty()) {
        ObjectStoreOptions.Builder builder = ObjectStoreOptions.builder().endpoint(endpoint.getObjectStoreUrl())
            .region(endpoint.getObjectStoreRegion()).defaultBucket(endpoint.getObjectStoreBucket());
        if (secrets.secretKey() != null) {
          builder.credentials(secrets.accessKey(), secrets.secretKey());
        }
        objectStore = builder.build();
      }
    } catch (IllegalArgumentException e) {
      throw new KfpException("endpoint " + endpoint.getName() + ": " + e.getMessage(), e);
    }
    return new RemoteObservation(metadata, objectStore, secrets.kubeconfig(), endpoint.isInCluster());
  }
}
