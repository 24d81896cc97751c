package io.jenkins.plugins.kfp;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import hudson.tasks.junit.TestResultAction;
import io.jenkins.plugins.kfp.view.KfpRunAction;
import io.jenkins.plugins.kfp.view.KfpTrendAction;
import org.htmlunit.Page;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The Pipeline steps on the repository's examples, with the real kfp compiler and the real local
 * runner on the built-in node: compile, validate with JUnit results, run, and the run view.
 */
@WithJenkins
class KfpStepsTest {

  @Test
  void compileValidateAndRunTheSimpleExample(JenkinsRule j) throws Exception {
    WorkflowJob job = Fixtures.pipelineJob(j, "pr-check", """
        node {
          def ir = kfpCompile pipeline: 'examples/simple_ml_pipeline.py'
          def checked = kfpValidate pipeline: ir, parameters: [kfpParameter(name: 'data_path', value: 'examples/data/training.csv')]
          echo "validation warnings: ${checked.warnings}"
          def run = kfpRun pipeline: ir, params: [data_path: 'examples/data/training.csv', accuracy_threshold: 0.5]
          echo "run ${run.runId} ended ${run.state}; accuracy=${run.metrics.accuracy}"
        }
        """);

    WorkflowRun build = j.buildAndAssertSuccess(job);

    j.assertLogContains("[kfp] IR written to examples/simple_ml_pipeline.yaml", build);
    j.assertLogContains("[kfp] run: SUCCEEDED", build);
    j.assertLogContains("ended SUCCEEDED; accuracy=0.", build);
    TestResultAction tests = build.getAction(TestResultAction.class);
    assertThat(tests).isNotNull();
    assertThat(tests.getFailCount()).isZero();
    assertThat(tests.getTotalCount()).isGreaterThan(10);

    KfpRunAction run = build.getAction(KfpRunAction.class);
    assertThat(run.getState()).isEqualTo("SUCCEEDED");
    assertThat(run.getMetrics()).containsKeys("accuracy", "f1_score");
    assertThat(run.getDigest()).startsWith("simple-ml-pipeline run " + run.getRunId() + " SUCCEEDED in ");

    JenkinsRule.WebClient web = j.createWebClient();
    HtmlPage view = web.goTo(build.getUrl() + run.getUrlName() + "/");
    assertThat(view.asNormalizedText()).contains(run.getDigest());
    HtmlPage buildPage = web.goTo(build.getUrl());
    assertThat(buildPage.asNormalizedText()).contains(run.getDigest());
    Page report = web.goTo(build.getUrl() + run.getUrlName() + "/report", "text/html");
    assertThat(report.getWebResponse().getResponseHeaderValue("Content-Security-Policy"))
        .isEqualTo("default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox");

    HtmlPage trend = web.goTo(job.getUrl() + new KfpTrendAction(job).getUrlName() + "/");
    assertThat(trend.asXml()).contains("<svg").contains("accuracy");
  }

  @Test
  void validateRecordsFailedTestsAndFailsWithFileAndLine(JenkinsRule j) throws Exception {
    WorkflowJob job = Fixtures.pipelineJob(j, "broken", """
        node {
          kfpValidate pipeline: 'fixtures/broken_pipeline.yaml', params: [no_such_parameter: 1]
        }
        """);

    WorkflowRun build = j.buildAndAssertStatus(Result.FAILURE, job);

    j.assertLogContains("fixtures/broken_pipeline.yaml:21:13: error KFP020: task 'step' refers to component"
        + " 'comp-missing', which is not in components", build);
    j.assertLogContains("error KFP110: pipeline 'slow-pipeline' has no parameter 'no_such_parameter'", build);
    TestResultAction tests = build.getAction(TestResultAction.class);
    assertThat(tests.getFailCount()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void compileFailsWithTheLineOfThePythonError(JenkinsRule j) throws Exception {
    WorkflowJob job = Fixtures.pipelineJob(j, "bad-python", """
        node {
          kfpCompile pipeline: 'fixtures/broken_pipeline.py'
        }
        """);

    WorkflowRun build = j.buildAndAssertStatus(Result.FAILURE, job);

    j.assertLogContains("fixtures/broken_pipeline.py:11: KeyError: 'no_such_output'", build);
  }

  @Test
  void aRunThatFailsFailsTheStepAndStillGetsItsRunView(JenkinsRule j) throws Exception {
    WorkflowJob job = Fixtures.pipelineJob(j, "failing-run", """
        node {
          kfpRun pipeline: 'fixtures/slow_pipeline.py', params: [seconds: 1, fail_in: 'two']
        }
        """);

    WorkflowRun build = j.buildAndAssertStatus(Result.FAILURE, job);

    KfpRunAction run = build.getAction(KfpRunAction.class);
    assertThat(run.getState()).isEqualTo("FAILED");
    j.assertLogContains("[kfp] run: FAILED", build);
    j.assertLogContains("cleanup after slow-pipeline", build);
  }
}
