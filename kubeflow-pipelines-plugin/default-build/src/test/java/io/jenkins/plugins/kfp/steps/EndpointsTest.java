package io.jenkins.plugins.kfp.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kfp.config.KfpEndpoint;
import org.junit.jupiter.api.Test;

/** The experiment a run on an endpoint goes to: the step's, else the endpoint's default experiment. */
class EndpointsTest {
  @Test
  void theEndpointsDefaultExperimentReplacesOnlyTheStepsOwnDefault() {
    KfpEndpoint withDefault = new KfpEndpoint("prod", "https://kfp.example.com");
    withDefault.setDefaultExperiment(" jenkins ");
    KfpEndpoint without = new KfpEndpoint("prod", "https://kfp.example.com");

    assertThat(Endpoints.experiment(withDefault, "Default", "Default")).isEqualTo("jenkins");
    assertThat(Endpoints.experiment(withDefault, " ", "Default")).isEqualTo("jenkins");
    assertThat(Endpoints.experiment(withDefault, "nightly", "Default")).isEqualTo("nightly");
    assertThat(Endpoints.experiment(without, "Default", "Default")).isEqualTo("Default");
    assertThat(Endpoints.experiment(without, null, "Default")).isEqualTo("Default");
    assertThat(Endpoints.experiment(without, "nightly", "Default")).isEqualTo("nightly");
  }
}
