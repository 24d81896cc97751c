package io.jenkins.plugins.kfp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The global configuration's rules over a whole candidate, which the form and Configuration as
 * Code both apply before anything is stored or saved.
 */
class ConfigurationValuesTest {
  private static final KfpEndpoint PROD = new KfpEndpoint("prod", "https://kubeflow.example.com/pipeline");
  private static final ConfigurationValues VALID = new ConfigurationValues("2.17.3", "python3.11", "kfp-runs",
      "/var/cache/kfpci", List.of(PROD, new KfpEndpoint("staging", "http://kfp.staging:8888")));

  @Test
  void aValidConfigurationHasNoProblems() {
    assertThat(VALID.problems()).isEmpty();
    assertThat(VALID.checkedAgainst(VALID)).isSameAs(VALID);
    assertThat(new ConfigurationValues(null, null, null, null, null).problems()).isEmpty();
  }

  @Test
  void aDuplicateEndpointNameIsRefusedWithTheName() {
    ConfigurationValues candidate = VALID.withEndpoints(List.of(PROD,
        new KfpEndpoint(" prod ", "https://other.example.com")));

    assertThat(candidate.problems()).containsExactly(new ConfigurationValues.Problem("endpoints",
        "Two KFP endpoints are called \"prod\"; endpoint names must be unique."));
    assertThatThrownBy(() -> candidate.checkedAgainst(VALID)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Two KFP endpoints are called \"prod\"; endpoint names must be unique.");
  }

  @Test
  void everyProblemIsReportedInFormOrder() {
    ConfigurationValues candidate = new ConfigurationValues("not a version!", "", "../elsewhere", "", List.of(
        new KfpEndpoint("", "https://a.example.com"),
        new KfpEndpoint("-bad", "ftp://b.example.com"),
        new KfpEndpoint("c", "https://user:secret@c.example.com"),
        new KfpEndpoint("d", "")));

    List<ConfigurationValues.Problem> problems = candidate.problems();

    assertThat(problems).extracting(ConfigurationValues.Problem::field)
        .containsExactly("kfpVersion", "pipelineRoot", "endpoints", "endpoints", "endpoints", "endpoints", "endpoints");
    assertThat(problems.subList(1, problems.size())).extracting(ConfigurationValues.Problem::message).containsExactly(
        "The pipeline root may not contain \"..\".",
        "A name is required; steps refer to the endpoint by it.",
        "\"-bad\" is not a valid name: use letters, digits, \".\", \"_\" and \"-\", starting with a letter or digit.",
        "\"ftp://b.example.com\" is not an http(s) URL with a host.",
        "Do not put a user or password in the URL; choose a credential instead.",
        "The URL of the KFP API is required, e.g. https://kubeflow.example.com/pipeline, unless the API is reached "
            + "through Kubernetes (the namespace KFP is installed in).");
    assertThat(problems.get(0).message()).contains("not a version!");
  }

  @Test
  void withersChangeOneValueAndKeepTheRest() {
    ConfigurationValues changed = VALID.withKfpVersion(" 2.16.0 ").withPythonExecutable("python3")
        .withPipelineRoot("runs").withCacheDirectory("/tmp/c").withEndpoints(null);

    assertThat(changed).isEqualTo(new ConfigurationValues("2.16.0", "python3", "runs", "/tmp/c", List.of()));
    assertThat(VALID.kfpVersion()).isEqualTo("2.17.3");
  }

  @Test
  void oneValueAtATimeMayNotAddAProblemButMayRepairOne() {
    ConfigurationValues duplicate = VALID.withEndpoints(List.of(PROD, PROD));

    assertThatThrownBy(() -> duplicate.checkedAgainst(VALID)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Two KFP endpoints are called \"prod\"; endpoint names must be unique.");
    // A configuration saved with the duplicate (by an older version) can still get a new kfp version...
    ConfigurationValues newVersion = duplicate.withKfpVersion("2.16.0");
    assertThat(newVersion.checkedAgainst(duplicate)).isSameAs(newVersion);
    // ...but not a second problem, and its endpoints can be repaired.
    assertThatThrownBy(() -> duplicate.withPipelineRoot("../x").checkedAgainst(duplicate))
        .hasMessage("The pipeline root may not contain \"..\".");
    assertThat(VALID.checkedAgainst(duplicate)).isSameAs(VALID);
  }

  private static KfpEndpoint endpoint(String url, Consumer<KfpEndpoint> settings) {
    KfpEndpoint e = new KfpEndpoint("e", url);
    settings.accept(e);
    return e;
  }

  private static List<String> problems(KfpEndpoint endpoint) {
    List<String> direct = ConfigurationValues.endpointProblems(endpoint);
    // The whole configuration reports the same, under the endpoints field.
    assertThat(VALID.withEndpoints(List.of(endpoint)).problems()).extracting(ConfigurationValues.Problem::message)
        .containsExactlyElementsOf(direct);
    return direct;
  }

  private static String caPem() throws Exception {
    try (InputStream in = ConfigurationValuesTest.class.getResourceAsStream("ConfigurationValuesTest/ca.pem")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void anEndpointWithEverySettingValidHasNoProblem() throws Exception {
    String pem = caPem();
    KfpEndpoint full = endpoint("https://kubeflow.example.com/pipeline", e -> {
      e.setCredentialsId("token");
      e.setUserId("ci@example.com");
      e.setCookieCredentialsId("cookie");
      e.setNamespace("ml-team");
      e.setDefaultExperiment("jenkins");
      e.setCaCertificate(pem);
      e.setMlmdAddress("metadata-grpc-service.kubeflow:8080");
      e.setObjectStoreUrl("http://minio-service.kubeflow:9000");
      e.setObjectStoreCredentialsId("minio");
      e.setKubeconfigCredentialsId("kubeconfig");
    });
    KfpEndpoint throughKubernetes = endpoint("", e -> {
      e.setKfpNamespace("kubeflow");
      e.setInCluster(true);
    });

    assertThat(problems(full)).isEmpty();
    assertThat(problems(throughKubernetes)).isEmpty();
    assertThat(full.getCaCertificate()).isEqualTo(pem.strip() + "\n");
  }

  @Test
  void theApiIsReachedByUrlOrThroughKubernetesNotBothNorNeither() {
    assertThat(problems(endpoint("https://kfp.example.com", e -> {
      e.setKfpNamespace("kubeflow");
      e.setInCluster(true);
    }))).containsExactly("Give the URL of the KFP API or the Kubernetes namespace KFP is installed in, not both.");
    assertThat(problems(endpoint(" ", e -> { }))).containsExactly("The URL of the KFP API is required, e.g. "
        + "https://kubeflow.example.com/pipeline, unless the API is reached through Kubernetes (the namespace KFP is "
        + "installed in).");
  }

  @Test
  void kubernetesAccessNeedsANamespaceNameAndOneWayIntoTheCluster() {
    assertThat(problems(endpoint("", e -> e.setKfpNamespace("kubeflow"))))
        .containsExactly("Reaching KFP through Kubernetes needs a kubeconfig credential or \"In cluster\".");
    assertThat(problems(endpoint("", e -> {
      e.setKfpNamespace("Kube_Flow");
      e.setInCluster(true);
    }))).containsExactly("\"Kube_Flow\" is not a Kubernetes namespace name: lowercase letters, digits and \"-\", at "
        + "most 63 characters.");
    assertThat(problems(endpoint("", e -> {
      e.setKfpNamespace("kubeflow");
      e.setKubeconfigCredentialsId("kubeconfig");
      e.setInCluster(true);
    }))).containsExactly("Choose a kubeconfig credential or \"In cluster\", not both.");
    // The cluster for live logs alone follows the same rule.
    assertThat(problems(endpoint("https://kfp.example.com", e -> {
      e.setKubeconfigCredentialsId("kubeconfig");
      e.setInCluster(true);
    }))).containsExactly("Choose a kubeconfig credential or \"In cluster\", not both.");
  }

  @Test
  void theProfileNamespaceAndUserIdAreChecked() {
    assertThat(problems(endpoint("https://kfp.example.com", e -> e.setNamespace("ML team"))))
        .containsExactly("\"ML team\" is not a Kubernetes namespace name: lowercase letters, digits and \"-\", at most "
            + "63 characters.");
    assertThat(problems(endpoint("https://kfp.example.com", e -> e.setNamespace("a".repeat(64))))).hasSize(1);
    assertThat(problems(endpoint("https://kfp.example.com", e -> e.setUserId("alice@example.com\r\nX-Evil: 1"))))
        .containsExactly("The kubeflow-userid header value must be one line without control characters.");
  }

  @Test
  void tlsSettingsAreCheckedAndSkippingVerificationExcludesACa() throws Exception {
    String pem = caPem();
    assertThat(problems(endpoint("https://kfp.example.com", e -> e.setCaCertificate("not a certificate"))))
        .containsExactly("The CA certificate is not PEM: paste one or more \"-----BEGIN CERTIFICATE-----\" blocks.");
    assertThat(problems(endpoint("https://kfp.example.com", e -> e.setCaCertificate(
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"))))
        .containsExactly("The CA certificate is not PEM: paste one or more \"-----BEGIN CERTIFICATE-----\" blocks.");
    assertThat(problems(endpoint("https://kfp.example.com", e -> {
      e.setCaCertificate(pem);
      e.setSkipTlsVerify(true);
    }))).containsExactly("Give a CA certificate or skip TLS verification, not both.");
    assertThat(problems(endpoint("https://kfp.example.com", e -> e.setSkipTlsVerify(true)))).isEmpty();
    assertThat(problems(endpoint("http://kfp.example.com", e -> e.setSkipTlsVerify(true))))
        .containsExactly("A CA certificate or skipping TLS verification applies only to an https:// URL.");
    assertThat(problems(endpoint("", e -> {
      e.setKfpNamespace("kubeflow");
      e.setInCluster(true);
      e.setCaCertificate(pem);
    }))).containsExactly("A CA certificate or skipping TLS verification applies only to an https:// URL.");
  }

  @Test
  void whatRunsAreObservedThroughIsChecked() {
    assertThat(problems(endpoint("https://kfp.example.com", e -> e.setMlmdAddress("metadata-grpc-service"))))
        .containsExactly("ML Metadata address 'metadata-grpc-service' is not host:port (e.g. localhost:8080)");
    assertThat(problems(endpoint("https://kfp.example.com", e -> e.setObjectStoreUrl("minio:9000"))))
        .containsExactly("object store endpoint 'minio:9000' is not an http:// or https:// URL with a host");
    assertThat(problems(endpoint("https://kfp.example.com", e -> e.setObjectStoreUrl("http://key:secret@minio:9000"))))
        .containsExactly("object store endpoint must not carry credentials in the URL; give them as access and secret "
            + "key");
    assertThat(problems(endpoint("https://kfp.example.com", e -> e.setObjectStoreCredentialsId("minio"))))
        .containsExactly("An object store credential needs the object store URL.");
  }

  @Test
  void everyBrokenRuleOfOneEndpointIsReportedInFormOrder() {
    KfpEndpoint broken = endpoint("http://kfp.example.com", e -> {
      e.setKfpNamespace("kubeflow");
      e.setNamespace("Team");
      e.setSkipTlsVerify(true);
      e.setMlmdAddress("x");
    });

    assertThat(problems(broken)).containsExactly(
        "Give the URL of the KFP API or the Kubernetes namespace KFP is installed in, not both.",
        "Reaching KFP through Kubernetes needs a kubeconfig credential or \"In cluster\".",
        "\"Team\" is not a Kubernetes namespace name: lowercase letters, digits and \"-\", at most 63 characters.",
        "A CA certificate or skipping TLS verification applies only to an https:// URL.",
        "ML Metadata address 'x' is not host:port (e.g. localhost:8080)");
  }

  @Test
  void anEndpointSavedByAnOlderVersionLoadsWithDefaults() throws Exception {
    KfpEndpoint old = new KfpEndpoint("prod", "https://kfp.example.com");
    // XStream leaves the fields an old config.xml lacks at null or false, as this does.
    for (String field : List.of("kfpNamespace", "userId", "cookieCredentialsId", "defaultExperiment", "caCertificate",
        "mlmdAddress", "objectStoreUrl", "objectStoreRegion", "objectStoreBucket", "objectStoreCredentialsId",
        "kubeconfigCredentialsId")) {
      java.lang.reflect.Field f = KfpEndpoint.class.getDeclaredField(field);
      f.setAccessible(true);
      f.set(old, null);
    }

    assertThat(old.readResolve()).isSameAs(old);
    assertThat(old.getKfpNamespace()).isEmpty();
    assertThat(old.getUserId()).isEmpty();
    assertThat(old.getCaCertificate()).isEmpty();
    assertThat(old.getObjectStoreRegion()).isEqualTo("us-east-1");
    assertThat(old.getObjectStoreBucket()).isEqualTo("mlpipeline");
    assertThat(old.isSkipTlsVerify()).isFalse();
    assertThat(problems(old)).isEmpty();
  }
}
