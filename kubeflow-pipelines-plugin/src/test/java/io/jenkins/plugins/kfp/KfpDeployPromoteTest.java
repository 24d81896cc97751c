package io.jenkins.plugins.kfp;

import hudson.model.Result;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.jenkins.plugins.kfp.config.KubeflowPipelinesConfiguration;
import io.jenkins.plugins.kfp.view.KfpRunAction;
import java.util.List;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code kfpDeploy promote:} in Pipeline jobs: the same gate rules as a deploy (refused without a
 * passing gate), the options it needs (an endpoint, no dry run, a name or a prefix), and an endpoint
 * without an object store named in the message. The upload and the copy themselves are tested
 * against a real S3 server in the default build (BuildPromoteTest, through the agent's callable).
 * Written for the -Pjenkins build; not compiled by the default build.
 */
@WithJenkins
class KfpDeployPromoteTest {
  private static final String RUN = "kfpRun pipeline: 'examples/simple_ml_pipeline.py', "
      + "params: [data_path: 'examples/data/training.csv']";

  private static void endpointWithoutObjectStore() {
    // Nothing is sent to its URL: the refusals come first.
    KubeflowPipelinesConfiguration.get().setEndpoints(List.of(new KfpEndpoint("prod", "http://127.0.0.1:9/pipeline")));
  }

  @Test
  void aPromotionWithoutAPassingGateIsRefusedAsADeployIs(JenkinsRule j) throws Exception {
    endpointWithoutObjectStore();
    WorkflowJob ungated = Fixtures.pipelineJob(j, "ungated-promote", """
        node {
          %s
          kfpDeploy promote: 's3://models/releases/iris/', endpoint: 'prod'
        }
        """.formatted(RUN));
    WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, ungated);
    String runId = refused.getAction(KfpRunAction.class).getRunId();
    j.assertLogContains("kfpDeploy: refusing to deploy s3://models/releases/iris/: run " + runId + " has no gate "
        + "verdicts; run kfpci gate on its summary first (kfpGate over the run first; force: true deploys anyway, "
        + "and says so)", refused);
  }

  @Test
  void aGatedPromotionNeedsAnEndpointWithAnObjectStore(JenkinsRule j) throws Exception {
    endpointWithoutObjectStore();
    WorkflowJob gated = Fixtures.pipelineJob(j, "gated-promote", """
        node {
          %s
          kfpGate rules: ['accuracy >= 0']
          kfpDeploy promote: 's3://models/releases/iris/', endpoint: 'prod'
        }
        """.formatted(RUN));
    WorkflowRun build = j.buildAndAssertStatus(Result.FAILURE, gated);
    j.assertLogContains("kfpDeploy: endpoint prod has no object store to promote to; set its object store URL (and "
        + "credential) in Manage Jenkins, Kubeflow Pipelines", build);
  }

  @Test
  void optionsThatCannotPromoteAreRefusedBeforeAnything(JenkinsRule j) throws Exception {
    endpointWithoutObjectStore();
    WorkflowRun neither = j.buildAndAssertStatus(Result.FAILURE, Fixtures.pipelineJob(j, "neither", """
        node { kfpDeploy dryRun: true }
        """));
    j.assertLogContains("kfpDeploy: give name (a KServe InferenceService) or promote (s3://BUCKET/PREFIX/), or both",
        neither);
    WorkflowRun dry = j.buildAndAssertStatus(Result.FAILURE, Fixtures.pipelineJob(j, "dry", """
        node { kfpDeploy promote: 's3://models/releases/iris/', endpoint: 'prod', dryRun: true }
        """));
    j.assertLogContains("kfpDeploy: dryRun does not promote; leave out promote", dry);
    WorkflowRun nowhere = j.buildAndAssertStatus(Result.FAILURE, Fixtures.pipelineJob(j, "nowhere", """
        node { kfpDeploy promote: 's3://models/releases/iris/' }
        """));
    j.assertLogContains("kfpDeploy: promote needs endpoint, the KFP endpoint whose object store receives the release",
        nowhere);
  }
}
