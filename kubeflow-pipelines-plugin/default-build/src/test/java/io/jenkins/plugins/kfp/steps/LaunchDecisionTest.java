package io.jenkins.plugins.kfp.steps;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * kfpRun's launch gives up as soon as the step is over or stopping, whether or not the agent is
 * reachable: a retry scheduled while the agent was offline must neither start a run after an
 * abort nor schedule itself again.
 */
class LaunchDecisionTest {
  @Test
  void aFinishedStepNeitherLaunchesNorRetries() {
    assertThat(LaunchDecision.of(true, false, false)).isEqualTo(LaunchDecision.ABANDON);
    assertThat(LaunchDecision.of(true, false, true)).isEqualTo(LaunchDecision.ABANDON);
  }

  @Test
  void aStoppingStepNeitherLaunchesNorRetries() {
    assertThat(LaunchDecision.of(false, true, false)).isEqualTo(LaunchDecision.ABANDON);
    assertThat(LaunchDecision.of(false, true, true)).isEqualTo(LaunchDecision.ABANDON);
    assertThat(LaunchDecision.of(true, true, true)).isEqualTo(LaunchDecision.ABANDON);
  }

  @Test
  void aLiveStepRetriesWhileTheAgentIsAwayAndLaunchesWhenItIsBack() {
    assertThat(LaunchDecision.of(false, false, false)).isEqualTo(LaunchDecision.RETRY_LATER);
    assertThat(LaunchDecision.of(false, false, true)).isEqualTo(LaunchDecision.LAUNCH);
    assertThat(LaunchDecision.RETRY_SECONDS).isEqualTo(15);
  }
}
