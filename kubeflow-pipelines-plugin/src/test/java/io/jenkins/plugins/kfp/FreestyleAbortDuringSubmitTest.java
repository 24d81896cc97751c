package io.jenkins.plugins.kfp;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.jenkins.plugins.kfp.config.KubeflowPipelinesConfiguration;
import io.jenkins.plugins.kfp.freestyle.LocalPipelineBuilder;
import io.kfpci.emulator.EmulatorStartException;
import io.kfpci.emulator.EmulatorState;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.RunExecutor;
import io.kfpci.emulator.RunSubmission;
import io.kfpci.emulator.ScriptedRunExecutor;
import io.kfpci.emulator.SubmissionRefusedException;
import io.kfpci.emulator.WorkflowReporter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The freestyle "Run Kubeflow pipeline" step aborted while its create is on the server: the
 * emulator holds the create until the build's executor has been interrupted, then stores the run;
 * the build finds it by its submission mark, terminates it, and ends ABORTED. The same at the
 * RemoteRuns level runs in the default build (RemoteRunsAbortTest). Written for the -Pjenkins
 * build; not compiled by the default build.
 */
@WithJenkins
class FreestyleAbortDuringSubmitTest {
  /** Holds each create on the server until released. */
  private static final class HeldCreates implements RunExecutor {
    final ScriptedRunExecutor delegate = ScriptedRunExecutor.manual();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

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

  private final HeldCreates held = new HeldCreates();
  private KfpEmulator kfp;

  @AfterEach
  void stopEmulator() {
    if (kfp != null) {
      kfp.close();
    }
  }

  @Test
  void anAbortWhileTheCreateIsOnTheServerTerminatesTheRunItMade(JenkinsRule j) throws Exception {
    try {
      kfp = KfpEmulator.builder().runExecutor(held).start();
    } catch (EmulatorStartException e) {
      if (System.getenv("CI") != null) {
        throw e;
      }
      Assumptions.abort("skipped: " + e.getMessage());
    }
    KubeflowPipelinesConfiguration.get().setEndpoints(List.of(new KfpEndpoint("prod", kfp.baseUrl().toString())));
    FreeStyleProject project = j.createFreeStyleProject("aborted-in-submit");
    FilePath workspace = j.jenkins.getWorkspaceFor(project);
    workspace.child("fixtures/two-step.yaml").copyFrom(new FilePath(Fixtures.repoRoot()
        .resolve("kfp-cli/src/test/resources/cli/RemoteCommandsTest/two-step.yaml").toFile()));
    LocalPipelineBuilder builder = new LocalPipelineBuilder("fixtures/two-step.yaml");
    builder.setEndpoint("prod");
    builder.setExperiment("ci");
    project.getBuildersList().add(builder);

    FreeStyleBuild build = project.scheduleBuild2(0).waitForStart();
    held.entered.await();
    build.getExecutor().interrupt();
    held.release.countDown();
    j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(build));

    List<EmulatorState.Run> runs = kfp.state().runs();
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).terminateRequested()).isTrue();
    j.assertLogContains("[kfp] aborted while submitting; looking for the run on prod to terminate it", build);
    j.assertLogContains("[kfp] terminated run " + runs.get(0).id() + " on prod", build);
  }
}
