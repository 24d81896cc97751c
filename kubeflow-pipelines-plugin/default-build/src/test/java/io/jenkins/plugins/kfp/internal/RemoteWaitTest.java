package io.jenkins.plugins.kfp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kfp.PluginClassesAccess;
import io.kfpci.client.KfpConnection;
import io.kfpci.emulator.FaultPlan;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.ScriptedRunExecutor;
import io.kfpci.remote.RemoteWatchState;
import io.kfpci.report.RuntimeState;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The freestyle build step's wait on a KFP run, in process against the KFP API emulator: each
 * sleep between checks lets the emulator's run take one step (and moves a test clock by the
 * delay), so the sequence of checks is deterministic. Success, a failed run, the build's abort
 * (terminate, then watch the run end CANCELED), a timeout, a second abort, and a terminated run
 * that does not end within the grace period.
 */
class RemoteWaitTest {
  private static final String TOKEN = "kfp-freestyle-wait-token-31b9";
  private static final List<String> TASKS = List.of("preprocess", "train");

  private final ScriptedRunExecutor executor = ScriptedRunExecutor.manual()
      .failing(run -> run.displayName().startsWith("doomed") ? Optional.of("train") : Optional.empty());
  private KfpEmulator kfp;
  private KfpConnection connection;
  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final List<String> console = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    kfp = Emulators.start(KfpEmulator.builder().requireBearerToken(TOKEN).runExecutor(executor));
    connection = RemoteUpload.connection("prod", kfp.baseUrl().toString(), "", "kfp-token", () -> TOKEN, w -> {});
  }

  @AfterEach
  void stop() {
    if (kfp != null) {
      kfp.close();
    }
  }

  private RemoteRuns.Submitted submit(String runName) throws Exception {
    byte[] ir = Files.readAllBytes(PluginClassesAccess.repoRoot()
        .resolve("kfp-cli/src/test/resources/cli/RemoteCommandsTest/two-step.yaml"));
    return RemoteRuns.submit(connection, new RemoteRuns.Request("two-step.yaml", ir, Map.of(), "ci", runName, "", "",
        "", "Jenkins free#1"), RemoteRuns.newMark());
  }

  private RemoteWait.Watch watch(RemoteRuns.Submitted s, long deadline, long grace) {
    return new RemoteWait.Watch(connection, "prod", s.runId(), s.watchState(), s.taskNames(), deadline,
        "timed out after 5 min", "the build was aborted", grace);
  }

  /** Each sleep moves the clock by the delay and lets the run take one step, until it ended. */
  private RemoteWait.Sleeper advancing(String runId) {
    return delay -> {
      clock.addAndGet(delay.toMillis());
      executor.advance(runId);
    };
  }

  @Test
  void waitsUntilTheRunSucceededPrintingEachChangeOnce() throws Exception {
    RemoteRuns.Submitted s = submit("");

    RemoteWait.Outcome outcome = RemoteWait.await(watch(s, 0, 1000), console::add, advancing(s.runId()), clock::get);

    assertThat(outcome.finished()).isTrue();
    assertThat(outcome.runState()).isEqualTo("SUCCEEDED");
    assertThat(outcome.stopReason()).isEmpty();
    assertThat(outcome.abort()).isNull();
    assertThat(console).containsExactly("[kfp] run: PENDING", "[kfp] run: RUNNING", "[kfp] preprocess: RUNNING",
        "[kfp] preprocess: SUCCEEDED", "[kfp] train: RUNNING", "[kfp] train: SUCCEEDED", "[kfp] run: SUCCEEDED");
    assertThat(RemoteWatchState.fromJson(outcome.watchState()).runState()).isEqualTo(RuntimeState.SUCCEEDED);
    assertThat(kfp.state().runs().get(0).terminateRequested()).isFalse();
  }

  @Test
  void aFailedRunEndsTheWaitFailed() throws Exception {
    RemoteRuns.Submitted s = submit("doomed nightly");

    RemoteWait.Outcome outcome = RemoteWait.await(watch(s, 0, 1000), console::add, advancing(s.runId()), clock::get);

    assertThat(outcome.finished()).isTrue();
    assertThat(outcome.runState()).isEqualTo("FAILED");
    assertThat(outcome.stopReason()).isEmpty();
    assertThat(console).anySatisfy(l -> assertThat(l).startsWith("[kfp] train: FAILED"));
    assertThat(console.get(console.size() - 1)).startsWith("[kfp] run: FAILED");
  }

  @Test
  void anAbortTerminatesTheRunAndWaitsForItToEndCanceled() throws Exception {
    RemoteRuns.Submitted s = submit("");
    AtomicInteger sleeps = new AtomicInteger();
    RemoteWait.Sleeper abortOnSecondSleep = delay -> {
      if (sleeps.incrementAndGet() == 2) {
        throw new InterruptedException("the executor was interrupted");
      }
      advancing(s.runId()).sleep(delay);
    };

    RemoteWait.Outcome outcome = RemoteWait.await(watch(s, 0, 60_000), console::add, abortOnSecondSleep, clock::get);

    assertThat(outcome.finished()).isTrue();
    assertThat(outcome.runState()).isEqualTo("CANCELED");
    assertThat(outcome.stopReason()).isEqualTo("the build was aborted");
    assertThat(outcome.abort()).hasMessage("the executor was interrupted");
    assertThat(kfp.state().runs().get(0).terminateRequested()).isTrue();
    assertThat(console).containsSubsequence("[kfp] run: RUNNING",
        "[kfp] terminating run " + s.runId() + " on prod (the build was aborted)",
        "[kfp] run: CANCELED: terminated on request");
    assertThat(console).filteredOn(l -> l.startsWith("[kfp] terminating")).hasSize(1);
  }

  @Test
  void theTimeoutTerminatesTheRunWithItsReason() throws Exception {
    RemoteRuns.Submitted s = submit("");
    executor.advance(s.runId());

    // The deadline has passed when the first check is due: the run is terminated before it.
    RemoteWait.Outcome outcome = RemoteWait.await(watch(s, clock.get(), 60_000), console::add,
        advancing(s.runId()), clock::get);

    assertThat(outcome.finished()).isTrue();
    assertThat(outcome.runState()).isEqualTo("CANCELED");
    assertThat(outcome.stopReason()).isEqualTo("timed out after 5 min");
    assertThat(outcome.abort()).isNull();
    assertThat(console).contains("[kfp] terminating run " + s.runId() + " on prod (timed out after 5 min)");
    assertThat(console.get(console.size() - 1)).isEqualTo("[kfp] run: CANCELED: terminated on request");
  }

  @Test
  void aTerminateTheServerRefusesIsSaidAndAskedAgain() throws Exception {
    kfp.close();
    kfp = KfpEmulator.builder().requireBearerToken(TOKEN).runExecutor(executor)
        .faults(FaultPlan.builder().reject("POST", ".*:terminate", 1, 400).build()).start();
    connection = RemoteUpload.connection("prod", kfp.baseUrl().toString(), "", "kfp-token", () -> TOKEN, w -> {});
    RemoteRuns.Submitted s = submit("");

    RemoteWait.Outcome outcome = RemoteWait.await(watch(s, clock.get(), 60_000), console::add, advancing(s.runId()),
        clock::get);

    assertThat(outcome.finished()).isTrue();
    assertThat(outcome.runState()).isEqualTo("CANCELED");
    String terminating = "[kfp] terminating run " + s.runId() + " on prod (timed out after 5 min)";
    assertThat(console.get(0)).isEqualTo(terminating);
    assertThat(console.get(1)).startsWith("[kfp] could not terminate run " + s.runId() + " now: ")
        .endsWith("; trying again");
    assertThat(console.get(2)).isEqualTo(terminating);
    assertThat(console).filteredOn(terminating::equals).hasSize(2);
    assertThat(kfp.state().runs().get(0).terminateRequested()).isTrue();
  }

  @Test
  void aSecondAbortStopsWatchingAtOnceAfterTheTerminateWasAsked() throws Exception {
    RemoteRuns.Submitted s = submit("");
    RemoteWait.Sleeper alwaysAborted = delay -> {
      throw new InterruptedException("abort " + console.size());
    };

    assertThatThrownBy(() -> RemoteWait.await(watch(s, 0, 60_000), console::add, alwaysAborted, clock::get))
        .isInstanceOf(InterruptedException.class);

    assertThat(kfp.state().runs().get(0).terminateRequested()).isTrue();
    assertThat(console).containsExactly("[kfp] run: PENDING",
        "[kfp] terminating run " + s.runId() + " on prod (the build was aborted)", "[kfp] run: CANCELING");
  }

  @Test
  void aTerminatedRunThatDoesNotEndWithinTheGraceIsLeftWithTheAbort() throws Exception {
    RemoteRuns.Submitted s = submit("");
    AtomicInteger sleeps = new AtomicInteger();
    // The server never moves the run on after the abort (a stuck cluster): only the clock runs.
    RemoteWait.Sleeper stuck = delay -> {
      clock.addAndGet(delay.toMillis());
      if (sleeps.incrementAndGet() == 1) {
        throw new InterruptedException("aborted");
      }
    };

    RemoteWait.Outcome outcome = RemoteWait.await(watch(s, 0, 2_000), console::add, stuck, clock::get);

    assertThat(outcome.finished()).isFalse();
    assertThat(outcome.abort()).hasMessage("aborted");
    assertThat(outcome.runState()).isEqualTo("CANCELING");
    assertThat(kfp.state().runs().get(0).terminateRequested()).isTrue();
    assertThat(console.get(console.size() - 1)).isEqualTo("[kfp] run " + s.runId()
        + " did not end within 2 s of the terminate request; the build stops watching it");
  }
}
