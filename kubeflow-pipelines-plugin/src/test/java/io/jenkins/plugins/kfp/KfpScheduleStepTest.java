package io.jenkins.plugins.kfp;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.FilePath;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.jenkins.plugins.kfp.config.KubeflowPipelinesConfiguration;
import io.kfpci.emulator.EmulatorStartException;
import io.kfpci.emulator.KfpEmulator;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code kfpSchedule} in a Pipeline job against the KFP API emulator: created, then unchanged, then
 * replaced when the Jenkinsfile's cron changes; a bad cron fails the build before any call.
 * Written for the -Pjenkins build; not compiled by the default build.
 */
@WithJenkins
class KfpScheduleStepTest {
  private static final String TOKEN = "kfp-schedule-jenkins-token-83e0";

  @Test
  void theRecurringRunFollowsTheJenkinsfile(JenkinsRule j) throws Exception {
    KfpEmulator started;
    try {
      started = KfpEmulator.builder().requireBearerToken(TOKEN).start();
    } catch (EmulatorStartException e) {
      if (System.getenv("CI") != null) {
        throw e;
      }
      Assumptions.abort("skipped: " + e.getMessage());
      throw e;
    }
    try (KfpEmulator kfp = started) {
      SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
          "kfp-token", "KFP bearer token", Secret.fromString(TOKEN)));
      SystemCredentialsProvider.getInstance().save();
      KfpEndpoint endpoint = new KfpEndpoint("prod", kfp.baseUrl().toString());
      endpoint.setCredentialsId("kfp-token");
      KubeflowPipelinesConfiguration.get().setEndpoints(List.of(endpoint));
      WorkflowJob job = Fixtures.pipelineJob(j, "schedule", script("0 2 * * *"));
      FilePath workspace = j.jenkins.getWorkspaceFor(job);
      workspace.child("fixtures/two-step.yaml").copyFrom(new FilePath(Fixtures.repoRoot()
          .resolve("kfp-cli/src/test/resources/cli/RemoteCommandsTest/two-step.yaml").toFile()));

      WorkflowRun first = j.buildAndAssertSuccess(job);
      j.assertLogContains("action=created cron=0 0 2 * * *", first);
      j.assertLogContains("[kfp] created: recurring run nightly (", first);
      WorkflowRun second = j.buildAndAssertSuccess(job);
      j.assertLogContains("action=unchanged", second);

      job.setDefinition(new org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition(script("0 3 * * *"), true));
      WorkflowRun third = j.buildAndAssertSuccess(job);
      j.assertLogContains("action=replaced cron=0 0 3 * * *", third);
      assertThat(kfp.state().recurringRuns()).hasSize(1);

      job.setDefinition(new org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition(script("0 3 * *"), true));
      WorkflowRun bad = j.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
      j.assertLogContains("kfpSchedule: cron: cron '0 3 * *' has 4 fields", bad);
      j.assertLogNotContains(TOKEN, bad);
    }
  }

  private static String script(String cron) {
    return """
        node {
          def s = kfpSchedule name: 'nightly', pipeline: 'fixtures/two-step.yaml', endpoint: 'prod',
              cron: '%s', params: [rows: 20]
          echo "action=${s.action} cron=${s.cron}"
        }
        """.formatted(cron);
  }
}
