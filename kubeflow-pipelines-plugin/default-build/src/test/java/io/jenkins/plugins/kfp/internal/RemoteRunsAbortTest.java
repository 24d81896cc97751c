package io.jenkins.plugins.kfp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kfp.PluginClassesAccess;
import io.kfpci.client.KfpConnection;
import io.kfpci.emulator.EmulatorState;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.RunExecutor;
import io.kfpci.emulator.RunSubmission;
import io.kfpci.emulator.ScriptedRunExecutor;
import io.kfpci.emulator.SubmissionRefusedException;
import io.kfpci.emulator.WorkflowReporter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An abort (an interrupt) while {@link RemoteRuns#submit} waits for the create's answer, as the
 * freestyle build step meets it: the run the server creates anyway is found by its mark and
 * terminated, so the build leaves no run behind. Against the KFP API emulator, whose run executor
 * holds the create until the client has been interrupted.
 */
class RemoteRunsAbortTest {
  private static final String TOKEN = "kfp-abort-token-5b1d";

  /** Holds each create on the server until released, as a slow server would. */
  private static final class HeldCreates implements RunExecutor {
    final ScriptedRunExecutor delegate = ScriptedRunExecutor.manual();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final List<String> terminated = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void attach(WorkflowReporter reporter) {
      delegate.attach(reporter);
    }

    @Override
    public void submit(RunSubmission run) throws SubmissionRefusedException {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SubmissionRefusedException("the emulator closed while a create was held");
      }
      delegate.submit(run);
    }

    @Override
    public void terminate(String runId) {
      terminated.add(runId);
      delegate.terminate(runId);
    }

    @Override
    public void retry(String runId) {
      delegate.retry(runId);
    }

    @Override
    public void close() {
      release.countDown();
      delegate.close();
    }
  }

  private static KfpConnection connect(KfpEmulator kfp) throws Exception {
    return RemoteUpload.connection("prod", kfp.baseUrl().toString(), "", "kfp-token", () -> TOKEN, w -> {});
  }

  private static RemoteRuns.Request request() throws Exception {
    byte[] ir = Files.readAllBytes(PluginClassesAccess.repoRoot()
        .resolve("kfp-cli/src/test/resources/cli/RemoteCommandsTest/two-step.yaml"));
    return new RemoteRuns.Request("two-step.yaml", ir, Map.of(), "nightly", "", "", "", "abc1234",
        "Jenkins team/train#9");
  }

  @Test
  void aRunCreatedWhileTheSubmitWasInterruptedIsFoundByItsMarkAndTerminated() throws Exception {
    HeldCreates executor = new HeldCreates();
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().requireBearerToken(TOKEN).runExecutor(executor))) {
      KfpConnection connection = connect(kfp);
      String mark = RemoteRuns.newMark();
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      AtomicReference<Optional<String>> found = new AtomicReference<>();
      List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());
      Thread build = new Thread(() -> {
        try {
          RemoteRuns.submit(connection, request(), mark);
        } catch (InterruptedException e) {
          thrown.set(e);
          try {
            found.set(RemoteRuns.terminateMarked(connection, "nightly", mark, pauses::add));
          } catch (Exception | AssertionError again) {
            thrown.set(again);
          }
        } catch (Exception e) {
          thrown.set(e);
        }
      }, "aborted build");
      build.start();
      executor.entered.await();
      // The abort: the create has reached the server, its answer has not come back.
      build.interrupt();
      executor.release.countDown();
      build.join();

      assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
      List<EmulatorState.Run> runs = kfp.state().runs();
      assertThat(runs).hasSize(1);
      assertThat(runs.get(0).description()).contains(RemoteRuns.MARK + mark);
      assertThat(found.get()).contains(runs.get(0).id());
      assertThat(runs.get(0).terminateRequested()).isTrue();
      assertThat(executor.terminated).containsExactly(runs.get(0).id());
      assertThat(pauses).isEmpty();
    }
  }

  @Test
  void aRunTheServerNeverGotIsLookedForAFewTimesThenLeft() throws Exception {
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().requireBearerToken(TOKEN)
        .runExecutor(ScriptedRunExecutor.manual()))) {
      KfpConnection connection = connect(kfp);
      // Another submission of the experiment, with a mark of its own: never taken for this one.
      RemoteRuns.Submitted other = RemoteRuns.submit(connection, request(), RemoteRuns.newMark());
      List<Duration> pauses = new ArrayList<>();

      Optional<String> found = RemoteRuns.terminateMarked(connection, "nightly", RemoteRuns.newMark(), pauses::add);

      assertThat(found).isEmpty();
      assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
          Duration.ofSeconds(1));
      assertThat(kfp.state().runs()).singleElement().satisfies(r -> {
        assertThat(r.id()).isEqualTo(other.runId());
        assertThat(r.terminateRequested()).isFalse();
      });
    }
  }

  @Test
  void anExperimentThatDoesNotExistMeansNothingWasCreated() throws Exception {
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().requireBearerToken(TOKEN)
        .runExecutor(ScriptedRunExecutor.manual()))) {
      List<Duration> pauses = new ArrayList<>();
      assertThat(RemoteRuns.terminateMarked(connect(kfp), "never-made", RemoteRuns.newMark(), pauses::add)).isEmpty();
      assertThat(pauses).isEmpty();
      assertThat(kfp.state().experiments()).extracting(EmulatorState.Experiment::displayName)
          .doesNotContain("never-made");
    }
  }
}
