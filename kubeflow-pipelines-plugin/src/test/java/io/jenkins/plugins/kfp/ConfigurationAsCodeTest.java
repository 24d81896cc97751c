package io.jenkins.plugins.kfp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.casc.ConfigurationAsCode;
import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.Util;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.model.CNode;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.jenkins.plugins.kfp.config.KubeflowPipelinesConfiguration;
import io.jenkins.plugins.kfp.internal.CredentialLookup;
import io.jenkins.plugins.kfp.internal.JenkinsCredentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The global configuration read from Configuration as Code YAML and exported back unchanged; every
 * endpoint setting with the credentials it names (Secret text, Secret file, Username with
 * password) applied, exported, and applied again to the same values, no secret in the export.
 */
@WithJenkinsConfiguredWithCode
class ConfigurationAsCodeTest {

  @Test
  @ConfiguredWithCode("configuration-as-code.yml")
  void readsEverySetting(JenkinsConfiguredWithCodeRule j) {
    KubeflowPipelinesConfiguration config = KubeflowPipelinesConfiguration.get();
    assertThat(config.getKfpVersion()).isEqualTo("2.17.3");
    assertThat(config.getPythonExecutable()).isEqualTo("python3.11");
    assertThat(config.getPipelineRoot()).isEqualTo("kfp-runs");
    assertThat(config.getCacheDirectory()).isEqualTo("/var/cache/kfpci");
    assertThat(config.getEndpoints()).singleElement().satisfies(endpoint -> {
      assertThat(endpoint.getName()).isEqualTo("prod");
      assertThat(endpoint.getUrl()).isEqualTo("https://kubeflow.example.com/pipeline");
      assertThat(endpoint.getCredentialsId()).isEqualTo("kfp-prod-token");
      assertThat(endpoint.getNamespace()).isEqualTo("ml-team");
    });
    KfpEndpoint prod = config.endpoint("prod");
    assertThat(prod).isNotNull();
  }

  @Test
  @ConfiguredWithCode("configuration-as-code.yml")
  void exportsWhatItRead(JenkinsConfiguredWithCodeRule j) throws Exception {
    ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
    CNode exported = Util.getUnclassifiedRoot(context).get("kubeflowPipelines");

    assertThat(Util.toYamlString(exported)).isEqualTo(Util.toStringFromYamlFile(this, "expected-export.yml"));
  }

  @Test
  @ConfiguredWithCode("configuration-as-code.yml")
  void refusesDuplicateEndpointNamesAndKeepsWhatWasSaved(JenkinsConfiguredWithCodeRule j) throws Exception {
    Path saved = j.jenkins.getRootDir().toPath().resolve(KubeflowPipelinesConfiguration.class.getName() + ".xml");
    String before = Files.readString(saved, StandardCharsets.UTF_8);
    String yaml = Path.of(getClass().getResource("duplicate-endpoints.yml").toURI()).toString();

    assertThatThrownBy(() -> ConfigurationAsCode.get().configure(yaml))
        .hasStackTraceContaining("Two KFP endpoints are called \"prod\"; endpoint names must be unique.");

    assertThat(KubeflowPipelinesConfiguration.get().getEndpoints()).extracting(KfpEndpoint::getUrl)
        .containsExactly("https://kubeflow.example.com/pipeline");
    assertThat(Files.readString(saved, StandardCharsets.UTF_8)).isEqualTo(before);
  }

  /** Every setting of an endpoint, in a comparable form. */
  private static List<Object> settings(KfpEndpoint e) {
    return List.of(e.getName(), e.getUrl(), e.getKfpNamespace(), e.getCredentialsId(), e.getUserId(),
        e.getCookieCredentialsId(), e.getNamespace(), e.getDefaultExperiment(), e.getCaCertificate(),
        e.isSkipTlsVerify(), e.getMlmdAddress(), e.getObjectStoreUrl(), e.getObjectStoreRegion(),
        e.getObjectStoreBucket(), e.getObjectStoreCredentialsId(), e.getKubeconfigCredentialsId(), e.isInCluster());
  }

  @Test
  @ConfiguredWithCode("configuration-as-code-full.yml")
  void readsEveryEndpointSettingAndTheCredentialsItNames(JenkinsConfiguredWithCodeRule j) throws Exception {
    List<KfpEndpoint> endpoints = KubeflowPipelinesConfiguration.get().getEndpoints();
    // The same certificate as the YAML's block: stored with one final newline.
    String pem = Files.readString(Path.of(getClass().getResource("ca.pem").toURI())).strip() + "\n";

    assertThat(endpoints).extracting(ConfigurationAsCodeTest::settings).containsExactly(
        List.<Object>of("prod", "https://kubeflow.example.com/pipeline", "", "kfp-prod-token", "ci-bot@example.com",
            "kfp-prod-session", "ml-team", "jenkins", pem, false, "metadata-grpc-service.kubeflow:8080",
            "http://minio-service.kubeflow:9000", "eu-west-1", "artifacts", "kfp-minio-keys", "kfp-prod-kubeconfig",
            false),
        List.<Object>of("insecure", "https://kfp.staging.example.com", "", "", "", "", "", "", "", true, "", "",
            "us-east-1", "mlpipeline", "", "", false),
        List.<Object>of("in-cluster", "", "kubeflow", "", "", "", "", "", "", false, "", "", "us-east-1", "mlpipeline",
            "", "", true));
    assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");

    // The credentials the endpoint names are found with their kinds, as the form's test finds them.
    CredentialLookup lookup = JenkinsCredentials.administrator();
    assertThat(lookup.find("kfp-prod-token", CredentialLookup.Kind.TOKEN, "credentialsId").secret())
        .isEqualTo("kfp-casc-token-8c1d2e3f");
    assertThat(lookup.find("kfp-prod-session", CredentialLookup.Kind.SECRET_TEXT, "cookieCredentialsId").secret())
        .isEqualTo("authservice_session=kfp-casc-cookie-4a5b6c");
    assertThat(lookup.find("kfp-prod-kubeconfig", CredentialLookup.Kind.SECRET_FILE, "kubeconfigCredentialsId")
        .secret()).contains("token: kube-casc-token-3f9e2d1c");
    assertThat(lookup.find("kfp-prod-kubeconfig", CredentialLookup.Kind.TOKEN, "credentialsId").secret())
        .startsWith("apiVersion: v1");
    CredentialLookup.Found keys = lookup.find("kfp-minio-keys", CredentialLookup.Kind.USERNAME_PASSWORD,
        "objectStoreCredentialsId");
    assertThat(keys.username()).isEqualTo("minio");
    assertThat(keys.secret()).isEqualTo("kfp-casc-minio-secret-7d8e");
    assertThatThrownBy(() -> lookup.find("kfp-minio-keys", CredentialLookup.Kind.SECRET_TEXT, "cookieCredentialsId"))
        .hasMessage("cookieCredentialsId 'kfp-minio-keys' names no Secret text credential that Jenkins can use (check "
            + "its id, kind and scope: builds see GLOBAL credentials and their folders', not SYSTEM ones)");
  }

  @Test
  @ConfiguredWithCode("configuration-as-code-full.yml")
  void exportsEveryEndpointSettingAndReadsTheExportBackToTheSameValues(JenkinsConfiguredWithCodeRule j)
      throws Exception {
    List<List<Object>> before = KubeflowPipelinesConfiguration.get().getEndpoints().stream()
        .map(ConfigurationAsCodeTest::settings).toList();
    ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
    String exported = Util.toYamlString(Util.getUnclassifiedRoot(context).get("kubeflowPipelines"));

    assertThat(exported).contains("kfpNamespace: \"kubeflow\"", "inCluster: true", "skipTlsVerify: true",
        "cookieCredentialsId: \"kfp-prod-session\"", "userId: \"ci-bot@example.com\"", "defaultExperiment: \"jenkins\"",
        "objectStoreCredentialsId: \"kfp-minio-keys\"", "kubeconfigCredentialsId: \"kfp-prod-kubeconfig\"",
        "caCertificate:", "BEGIN CERTIFICATE");
    // Only ids: no secret reaches the export.
    assertThat(exported).doesNotContain("kfp-casc-token-8c1d2e3f", "kfp-casc-cookie-4a5b6c", "kube-casc-token-3f9e2d1c",
        "kfp-casc-minio-secret-7d8e");

    KubeflowPipelinesConfiguration.get().setEndpoints(List.of());
    Path again = Files.createTempFile("kfp-casc", ".yml");
    try {
      String body = exported.lines().map(l -> "    " + l).collect(Collectors.joining("\n", "", "\n"));
      Files.writeString(again, "unclassified:\n  kubeflowPipelines:\n" + body, StandardCharsets.UTF_8);
      ConfigurationAsCode.get().configure(again.toString());
    } finally {
      Files.deleteIfExists(again);
    }

    assertThat(KubeflowPipelinesConfiguration.get().getEndpoints()).extracting(ConfigurationAsCodeTest::settings)
        .containsExactlyElementsOf(before);
  }
}
