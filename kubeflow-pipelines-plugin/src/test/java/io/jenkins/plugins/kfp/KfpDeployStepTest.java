package io.jenkins.plugins.kfp;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.jenkins.plugins.kfp.view.KfpRunAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code kfpDeploy} in Pipeline jobs, as dry runs (no cluster here): refused without a gate,
 * allowed after a passing {@code kfpGate}, and a forced dry run warns and records nothing.
 * Written for the -Pjenkins build; not compiled by the default build.
 */
@WithJenkins
class KfpDeployStepTest {
  private static final String RUN = "kfpRun pipeline: 'examples/simple_ml_pipeline.py', "
      + "params: [data_path: 'examples/data/training.csv']";

  @Test
  void refusedWithoutAPassingGateAllowedAfterOneAndForcedWithAWarning(JenkinsRule j) throws Exception {
    WorkflowJob ungated = Fixtures.pipelineJob(j, "ungated", """
        node {
          %s
          kfpDeploy name: 'iris', storageUri: 's3://releases/iris/1/', dryRun: true
        }
        """.formatted(RUN));
    WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, ungated);
    String runId = refused.getAction(KfpRunAction.class).getRunId();
    j.assertLogContains("kfpDeploy: refusing to deploy default/iris: run " + runId + " has no gate verdicts; run "
        + "kfpci gate on its summary first (kfpGate over the run first; force: true deploys anyway, and says so)", refused);

    WorkflowJob gated = Fixtures.pipelineJob(j, "gated-deploy", """
        node {
          %s
          kfpGate rules: ['accuracy >= 0']
          def d = kfpDeploy name: 'iris', namespace: 'models', storageUri: 's3://releases/iris/1/', dryRun: true
          echo "target=${d.target} forced=${d.forced} dryRun=${d.dryRun}"
        }
        """.formatted(RUN));
    WorkflowRun allowed = j.buildAndAssertSuccess(gated);
    j.assertLogContains("[kfp] dry run: the InferenceService models/iris would be:", allowed);
    j.assertLogContains("      storageUri: s3://releases/iris/1/", allowed);
    j.assertLogContains("target=models/iris forced=false dryRun=true", allowed);

    WorkflowJob forced = Fixtures.pipelineJob(j, "forced", """
        node {
          %s
          def d = kfpDeploy name: 'iris', storageUri: 's3://releases/iris/1/', dryRun: true, force: true
          echo "forced=${d.forced}"
        }
        """.formatted(RUN));
    WorkflowRun warned = j.buildAndAssertSuccess(forced);
    String forcedRun = warned.getAction(KfpRunAction.class).getRunId();
    j.assertLogContains("[kfp] WARNING: deploying default/iris without a passing gate (force: true): run " + forcedRun
        + " has no gate verdicts", warned);
    j.assertLogContains("forced=true", warned);
    Path summary = warned.getRootDir().toPath().resolve("kfp").resolve(forcedRun).resolve("summary.json");
    // A dry run records nothing, not even a forced one.
    assertThat(Files.readString(summary, StandardCharsets.UTF_8)).doesNotContain("deploy --force");
  }
}
