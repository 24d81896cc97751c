package io.jenkins.plugins.kfp;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.FilePath;
import hudson.model.Result;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.jenkins.plugins.kfp.config.KubeflowPipelinesConfiguration;
import io.kfpci.emulator.EmulatorStartException;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.ScriptedRunExecutor;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code kfpRun endpoint: ..., preflight: true} in Pipeline jobs: an endpoint without Kubernetes
 * settings is refused before anything is sent, and a cluster that does not answer fails the step
 * with the core's message, nothing uploaded to the KFP emulator and the kubeconfig's token nowhere
 * in the log. The node checks themselves (a GPU task the cluster cannot take, one that fits) run
 * against fabric8's mock API server in the default build (PodPreflightTest). Written for the
 * -Pjenkins build; not compiled by the default build.
 */
@WithJenkins
class KfpRunPreflightTest {
  private static final String TOKEN = "run-preflight-kubeconfig-token-93e0";

  private KfpEmulator kfp;

  @BeforeEach
  void startEmulator() {
    try {
      kfp = KfpEmulator.builder().runExecutor(ScriptedRunExecutor.manual()).start();
    } catch (EmulatorStartException e) {
      if (System.getenv("CI") != null) {
        throw e;
      }
      Assumptions.abort("skipped: " + e.getMessage());
    }
  }

  @AfterEach
  void stopEmulator() {
    if (kfp != null) {
      kfp.close();
    }
  }

  private WorkflowJob job(JenkinsRule j, String name) throws Exception {
    WorkflowJob job = Fixtures.pipelineJob(j, name, """
        node {
          kfpRun pipeline: 'fixtures/gpu-two-step.yaml', endpoint: 'prod', preflight: true
        }
        """);
    FilePath workspace = j.jenkins.getWorkspaceFor(job);
    workspace.child("fixtures/gpu-two-step.yaml").copyFrom(new FilePath(Fixtures.repoRoot().resolve(
        "kubeflow-pipelines-plugin/default-build/src/test/resources/io/jenkins/plugins/kfp/internal/PodPreflightTest/"
            + "gpu-two-step.yaml").toFile()));
    return job;
  }

  @Test
  void anEndpointWithoutKubernetesSettingsIsRefusedBeforeAnythingIsSent(JenkinsRule j) throws Exception {
    KubeflowPipelinesConfiguration.get().setEndpoints(List.of(new KfpEndpoint("prod", kfp.baseUrl().toString())));
    WorkflowRun build = j.buildAndAssertStatus(Result.FAILURE, job(j, "no-settings"));
    j.assertLogContains("kfpRun: preflight: endpoint prod has no Kubernetes settings to reach the cluster with; give it "
        + "a kubeconfig credential, or reach the cluster from the controller's pod (in cluster), in Manage Jenkins, "
        + "Kubeflow Pipelines, or drop preflight: true", build);
    assertThat(kfp.state().requests()).isEmpty();
  }

  @Test
  void anUnreachableClusterFailsTheStepAndNothingIsUploaded(JenkinsRule j) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String kubeconfig = KfpAgentPodPreflightTest.unreachableKubeconfig(closedPort, TOKEN);
    SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(CredentialsScope.GLOBAL,
        "gpu-kubeconfig", "GPU cluster", "kubeconfig", SecretBytes.fromBytes(kubeconfig.getBytes(StandardCharsets.UTF_8))));
    SystemCredentialsProvider.getInstance().save();
    KfpEndpoint endpoint = new KfpEndpoint("prod", kfp.baseUrl().toString());
    endpoint.setKubeconfigCredentialsId("gpu-kubeconfig");
    KubeflowPipelinesConfiguration.get().setEndpoints(List.of(endpoint));

    WorkflowRun build = j.buildAndAssertStatus(Result.FAILURE, job(j, "unreachable"));
    j.assertLogContains("kfpRun: preflight: cannot list nodes at https://127.0.0.1:" + closedPort, build);
    j.assertLogNotContains(TOKEN, build);
    assertThat(kfp.state().requests()).isEmpty();
    assertThat(kfp.state().pipelines()).isEmpty();
  }
}
