package io.jenkins.plugins.kfp.steps;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Remote {@code kfpRun}'s next move from its persisted state: never a second submission. */
class RemoteDecisionTest {
  @Test
  void aFinishedStepDoesNothingWhateverElseIsTrue() {
    for (boolean stopping : new boolean[] {false, true}) {
      for (boolean sent : new boolean[] {false, true}) {
        for (boolean known : new boolean[] {false, true}) {
          assertThat(RemoteDecision.of(true, stopping, sent, known)).isEqualTo(RemoteDecision.ABANDON);
        }
      }
    }
  }

  @Test
  void aKnownRunIsWatchedEvenWhenStoppingSoItCanBeTerminated() {
    assertThat(RemoteDecision.of(false, false, true, true)).isEqualTo(RemoteDecision.WATCH);
    assertThat(RemoteDecision.of(false, true, true, true)).isEqualTo(RemoteDecision.WATCH);
  }

  @Test
  void aSentCreateWhoseAnswerWasLostIsLookedForNotSentAgain() {
    assertThat(RemoteDecision.of(false, false, true, false)).isEqualTo(RemoteDecision.FIND_SUBMISSION);
  }

  @Test
  void nothingSentSubmitsUnlessStopping() {
    assertThat(RemoteDecision.of(false, false, false, false)).isEqualTo(RemoteDecision.SUBMIT);
    assertThat(RemoteDecision.of(false, true, false, false)).isEqualTo(RemoteDecision.ABANDON);
    assertThat(RemoteDecision.of(false, true, true, false)).isEqualTo(RemoteDecision.ABANDON);
  }

  @Test
  void aStopTerminatesOnceOnly() {
    assertThat(RemoteDecision.terminateFirst(true, false)).isTrue();
    assertThat(RemoteDecision.terminateFirst(true, true)).isFalse();
    assertThat(RemoteDecision.terminateFirst(false, false)).isFalse();
  }
}
