package io.jenkins.plugins.kfp;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Result;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.jenkins.plugins.kfp.config.KubeflowPipelinesConfiguration;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code kfpAgentPod preflight: true} in Pipeline jobs: without an endpoint, with an endpoint that
 * has no Kubernetes settings, and with an endpoint whose kubeconfig credential names an API server
 * that does not answer (the core's message fails the step; the credential's token is not shown).
 * The node checks themselves run against fabric8's mock API server in the default build
 * (PodPreflightTest). Written for the -Pjenkins build; not compiled by the default build.
 */
@WithJenkins
class KfpAgentPodPreflightTest {
  private static final String TOKEN = "preflight-kubeconfig-token-6a7f";

  /** A kubeconfig whose API server does not answer (nothing on {@code port}), with a token to keep out of logs. */
  static String unreachableKubeconfig(int port, String token) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: gpu
          cluster:
            server: https://127.0.0.1:%d
            insecure-skip-tls-verify: true
        contexts:
        - name: gpu
          context:
            cluster: gpu
            user: ci
        current-context: gpu
        users:
        - name: ci
          user:
            token: %s
        """.formatted(port, token);
  }

  @Test
  void aPreflightNeedsAnEndpointWithKubernetesSettings(JenkinsRule j) throws Exception {
    KubeflowPipelinesConfiguration.get().setEndpoints(List.of(new KfpEndpoint("prod", "http://127.0.0.1:9/pipeline")));
    WorkflowRun noEndpoint = j.buildAndAssertStatus(Result.FAILURE, Fixtures.pipelineJob(j, "no-endpoint", """
        def yaml = kfpAgentPod gpus: 1, preflight: true
        """));
    j.assertLogContains("kfpAgentPod: preflight needs endpoint, the KFP endpoint whose Kubernetes settings reach the "
        + "cluster the pod is to run on", noEndpoint);
    WorkflowRun noSettings = j.buildAndAssertStatus(Result.FAILURE, Fixtures.pipelineJob(j, "no-settings", """
        def yaml = kfpAgentPod gpus: 1, preflight: true, endpoint: 'prod'
        """));
    j.assertLogContains("kfpAgentPod: endpoint prod has no Kubernetes settings for the preflight; give it a kubeconfig "
        + "credential, or reach the cluster from the controller's pod, in Manage Jenkins, Kubeflow Pipelines",
        noSettings);
    // Without preflight the step needs neither.
    j.buildAndAssertSuccess(Fixtures.pipelineJob(j, "no-preflight", """
        def yaml = kfpAgentPod gpus: 1
        echo yaml
        """));
  }

  @Test
  void anUnreachableClusterFailsTheStepWithTheCoresMessage(JenkinsRule j) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String kubeconfig = unreachableKubeconfig(closedPort, TOKEN);
    SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(CredentialsScope.GLOBAL,
        "gpu-kubeconfig", "GPU cluster", "kubeconfig", SecretBytes.fromBytes(kubeconfig.getBytes(StandardCharsets.UTF_8))));
    SystemCredentialsProvider.getInstance().save();
    KfpEndpoint endpoint = new KfpEndpoint("prod", "http://127.0.0.1:9/pipeline");
    endpoint.setKubeconfigCredentialsId("gpu-kubeconfig");
    KubeflowPipelinesConfiguration.get().setEndpoints(List.of(endpoint));

    WorkflowRun build = j.buildAndAssertStatus(Result.FAILURE, Fixtures.pipelineJob(j, "unreachable", """
        def yaml = kfpAgentPod gpus: 1, gpuType: 'nvidia-tesla-t4', labels: 'gke', preflight: true, endpoint: 'prod'
        """));
    j.assertLogContains("kfpAgentPod: preflight: cannot list nodes at https://127.0.0.1:" + closedPort, build);
    j.assertLogContains("cannot reach the API server", build);
    j.assertLogNotContains(TOKEN, build);
  }
}
