package io.jenkins.plugins.kfp.config;

import io.jenkins.plugins.kfp.Messages;
import io.kfpci.artifacts.MetadataStoreOptions;
import io.kfpci.artifacts.ObjectStoreOptions;
import io.kfpci.compile.CompileRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One whole candidate of the global configuration, and its rules. The form and Configuration as
 * Code both build a candidate and check all of it before any of it is stored or saved, so a
 * rejected configuration leaves the saved one as it was. Immutable and Jenkins-free, so the
 * default build tests the rules.
 *
 * @param endpoints in form order; names must be unique
 */
public record ConfigurationValues(String kfpVersion, String pythonExecutable, String pipelineRoot,
    String cacheDirectory, List<KfpEndpoint> endpoints) {

  /** A rule a candidate breaks: the form field it belongs to and what to tell the user. */
  public record Problem(String field, String message) {}

  public ConfigurationValues {
    kfpVersion = clean(kfpVersion);
    pythonExecutable = clean(pythonExecutable);
    pipelineRoot = clean(pipelineRoot);
    cacheDirectory = clean(cacheDirectory);
    endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
  }

  public ConfigurationValues withKfpVersion(String value) {
    return new ConfigurationValues(value, pythonExecutable, pipelineRoot, cacheDirectory, endpoints);
  }

  public ConfigurationValues withPythonExecutable(String value) {
    return new ConfigurationValues(kfpVersion, value, pipelineRoot, cacheDirectory, endpoints);
  }

  public ConfigurationValues withPipelineRoot(String value) {
    return new ConfigurationValues(kfpVersion, pythonExecutable, value, cacheDirectory, endpoints);
  }

  public ConfigurationValues withCacheDirectory(String value) {
    return new ConfigurationValues(kfpVersion, pythonExecutable, pipelineRoot, value, endpoints);
  }

  public ConfigurationValues withEndpoints(List<KfpEndpoint> value) {
    return new ConfigurationValues(kfpVersion, pythonExecutable, pipelineRoot, cacheDirectory, value);
  }

  /** Every rule this candidate breaks, in form order; empty when it may be saved. */
  public List<Problem> problems() {
    List<Problem> out = new ArrayList<>();
    String version = kfpVersionProblem(kfpVersion);
    if (version != null) {
      out.add(new Problem("kfpVersion", version));
    }
    String root = pipelineRootProblem(pipelineRoot);
    if (root != null) {
      out.add(new Problem("pipelineRoot", root));
    }
    Set<String> names = new HashSet<>();
    for (KfpEndpoint endpoint : endpoints) {
      for (String problem : endpointProblems(endpoint)) {
        out.add(new Problem("endpoints", problem));
      }
      if (!endpoint.getName().isEmpty() && !names.add(endpoint.getName())) {
        out.add(new Problem("endpoints", Messages.KubeflowPipelinesConfiguration_DuplicateEndpoint(endpoint.getName())));
      }
    }
    return out;
  }

  /**
   * Fails with the problems this candidate has that {@code before} had not, one per line. One
   * setter (Configuration as Code sets one value at a time) may not add a problem, but a
   * configuration saved with one can still be repaired one value at a time.
   */
  public ConfigurationValues checkedAgainst(ConfigurationValues before) {
    List<Problem> added = new ArrayList<>(problems());
    added.removeAll(before.problems());
    if (!added.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", added.stream().map(Problem::message).toList()));
    }
    return this;
  }

  /**
   * Every rule one endpoint breaks, in form order: its name, how its API is reached (a URL or a
   * namespace of a cluster, exactly one), the profile namespace, the user id header, TLS, and what
   * runs are observed through.
   */
  public static List<String> endpointProblems(KfpEndpoint endpoint) {
    List<String> out = new ArrayList<>();
    add(out, nameProblem(endpoint.getName()));
    add(out, accessProblem(endpoint.getUrl(), endpoint.getKfpNamespace()));
    add(out, kubernetesAccessProblem(endpoint.getKfpNamespace(), endpoint.getKubeconfigCredentialsId(),
        endpoint.isInCluster()));
    add(out, clusterProblem(endpoint.getKubeconfigCredentialsId(), endpoint.isInCluster()));
    add(out, namespaceProblem(endpoint.getNamespace()));
    add(out, userIdProblem(endpoint.getUserId()));
    add(out, caCertificateProblem(endpoint.getCaCertificate(), endpoint.isSkipTlsVerify()));
    add(out, tlsProblem(endpoint));
    add(out, mlmdAddressProblem(endpoint.getMlmdAddress()));
    add(out, objectStoreProblem(endpoint.getObjectStoreUrl(), endpoint.getObjectStoreCredentialsId()));
    return out;
  }

  private static void add(List<String> out, String problem) {
    if (problem != null) {
      out.add(problem);
    }
  }

  /** The API is reached by URL or through Kubernetes: exactly one; a URL must be usable. */
  static String accessProblem(String url, String kfpNamespace) {
    boolean hasUrl = !clean(url).isEmpty();
    boolean hasNamespace = !clean(kfpNamespace).isEmpty();
    if (hasUrl && hasNamespace) {
      return Messages.KfpEndpoint_AccessBoth();
    }
    if (hasNamespace) {
      return null;
    }
    return KfpEndpoint.urlProblem(url);
  }

  /** Reaching the API through Kubernetes needs a valid namespace and a way into the cluster. */
  static String kubernetesAccessProblem(String kfpNamespace, String kubeconfigCredentialsId, boolean inCluster) {
    String namespace = clean(kfpNamespace);
    if (namespace.isEmpty()) {
      return null;
    }
    if (!isNamespace(namespace)) {
      return Messages.KfpEndpoint_NamespaceInvalid(namespace);
    }
    return clean(kubeconfigCredentialsId).isEmpty() && !inCluster ? Messages.KfpEndpoint_ClusterAccessMissing() : null;
  }

  static String clusterProblem(String kubeconfigCredentialsId, boolean inCluster) {
    return !clean(kubeconfigCredentialsId).isEmpty() && inCluster ? Messages.KfpEndpoint_ClusterAccessBoth() : null;
  }

  static String namespaceProblem(String value) {
    String namespace = clean(value);
    return namespace.isEmpty() || isNamespace(namespace) ? null : Messages.KfpEndpoint_NamespaceInvalid(namespace);
  }

  private static boolean isNamespace(String value) {
    // A DNS-1123 label; checked without a nested quantifier (no backtracking on long input).
    return value.length() <= 63 && value.matches("[-a-z0-9]+") && !value.startsWith("-") && !value.endsWith("-");
  }

  static String userIdProblem(String value) {
    String userId = clean(value);
    return userId.chars().anyMatch(c -> c < 0x20 || c == 0x7f) ? Messages.KfpEndpoint_UserIdInvalid() : null;
  }

  /** A CA certificate must be PEM X.509 certificates, and goes with verification, not without. */
  static String caCertificateProblem(String value, boolean skipTlsVerify) {
    String pem = clean(value);
    if (pem.isEmpty()) {
      return null;
    }
    if (skipTlsVerify) {
      return Messages.KfpEndpoint_CaAndSkip();
    }
    try {
      java.util.Collection<? extends java.security.cert.Certificate> certificates =
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(
              new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      return certificates.isEmpty() || !pem.startsWith("-----BEGIN CERTIFICATE-----")
          ? Messages.KfpEndpoint_CaInvalid() : null;
    } catch (java.security.cert.CertificateException e) {
      return Messages.KfpEndpoint_CaInvalid();
    }
  }

  /** A CA certificate or skipping verification means something only for an https URL. */
  static String tlsProblem(KfpEndpoint endpoint) {
    boolean tls = endpoint.isSkipTlsVerify() || !endpoint.getCaCertificate().isEmpty();
    // The port-forward of Kubernetes access is plain http to 127.0.0.1.
    boolean plain = !endpoint.getKfpNamespace().isEmpty()
        || endpoint.getUrl().toLowerCase(java.util.Locale.ROOT).startsWith("http://");
    return tls && plain ? Messages.KfpEndpoint_TlsWithoutHttps() : null;
  }

  static String mlmdAddressProblem(String value) {
    String address = clean(value);
    if (address.isEmpty()) {
      return null;
    }
    try {
      MetadataStoreOptions.builder().address(address).build();
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  static String objectStoreProblem(String url, String credentialsId) {
    String endpoint = clean(url);
    if (endpoint.isEmpty()) {
      return clean(credentialsId).isEmpty() ? null : Messages.KfpEndpoint_ObjectStoreCredentialsWithoutUrl();
    }
    try {
      ObjectStoreOptions.builder().endpoint(endpoint).build();
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** Why a kfp version cannot be used, or null; blank means the pinned default. */
  static String kfpVersionProblem(String value) {
    String version = clean(value);
    if (version.isEmpty()) {
      return null;
    }
    try {
      // The compiler's own check, so the configuration and a build reject the same strings.
      CompileRequest.builder(Path.of("pipeline.py")).kfpVersion(version).build();
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  static String pipelineRootProblem(String value) {
    return clean(value).contains("..") ? Messages.KubeflowPipelinesConfiguration_PipelineRootEscapes() : null;
  }

  static String nameProblem(String value) {
    String name = clean(value);
    if (name.isEmpty()) {
      return Messages.KfpEndpoint_NameRequired();
    }
    return name.matches("[A-Za-z0-9][A-Za-z0-9._-]*") ? null : Messages.KfpEndpoint_NameInvalid(name);
  }

  static String clean(String value) {
    return value == null ? "" : value.strip();
  }
}
