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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The global configuration read from Configuration as Code YAML and exported back unchanged. */
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
}
