package io.jenkins.plugins.kfp;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.jenkins.plugins.kfp.view.KfpRunAction;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Aborting a build cancels its local run: tasks stop, the exit handler runs, the run ends CANCELED. */
@WithJenkins
class KfpRunAbortTest {

  @Test
  void abortingTheBuildCancelsTheRunAndTheExitHandlerStillRuns(JenkinsRule j) throws Exception {
    WorkflowJob job = Fixtures.pipelineJob(j, "abort", """
        node {
          kfpRun pipeline: 'fixtures/slow_pipeline.py', params: [seconds: 60]
        }
        """);
    WorkflowRun build = job.scheduleBuild2(0).waitForStart();
    j.waitForMessage("one: tick 2 of 60", build);

    build.doStop();
    j.waitForCompletion(build);

    j.assertBuildStatus(Result.ABORTED, build);
    String log = JenkinsLogs.text(build);
    assertThat(log).contains("[kfp] canceling run ").contains("cleanup after slow-pipeline")
        .contains("[kfp] run: CANCELED").doesNotContain("one: tick 60 of 60").doesNotContain("two: tick 1 of 60");
    assertThat(build.getAction(KfpRunAction.class).getState()).isEqualTo("CANCELED");
  }

  @Test
  void aTimeoutCancelsTheRunAndFailsTheStep(JenkinsRule j) throws Exception {
    WorkflowJob job = Fixtures.pipelineJob(j, "timeout", """
        node {
          kfpRun pipeline: 'fixtures/slow_pipeline.py', params: [seconds: 600], timeout: 1
        }
        """);

    WorkflowRun build = j.buildAndAssertStatus(Result.FAILURE, job);

    j.assertLogContains("timed out after 1 min", build);
    j.assertLogContains("[kfp] run: CANCELED", build);
  }
}
