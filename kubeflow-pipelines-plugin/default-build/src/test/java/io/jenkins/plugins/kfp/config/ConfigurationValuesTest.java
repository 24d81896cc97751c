package io.jenkins.plugins.kfp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
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
        "The URL of the KFP API is required, e.g. https://kubeflow.example.com/pipeline.");
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
}
