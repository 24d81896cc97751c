package io.jenkins.plugins.kfp;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.FilePath;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.jenkins.plugins.kfp.config.KubeflowPipelinesConfiguration;
import io.jenkins.plugins.kfp.view.KfpRunAction;
import io.kfpci.emulator.EmulatorStartException;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.ScriptedRunExecutor;
import io.kfpci.report.RuntimeState;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A remote {@code kfpRun} shows its tasks' log lines with their task and the run's link in the
 * KFP UI, and ends with the run's metrics in the run view and the returned map: the run on the KFP
 * API emulator, its records in the real ML Metadata store, its pods and logs on fabric8's mock API
 * server reached through the endpoint's kubeconfig credential (a Secret file). Across a controller
 * restart every log line appears once. Written for the -Pjenkins build; not compiled by the
 * default build.
 */
@EnableKubernetesMockClient
class KfpRemoteRunLogsTest {
  private static final List<String> LOG_LINES = List.of("[train] fitting", "[train] accuracy=0.93",
      "[evaluate] evaluating", "[for-loop-2[0]/score] score 0", "[for-loop-2[1]/score] score 1",
      "[for-loop-2[1]/score] score 1 again");

  static KubernetesMockServer server;
  static KubernetesClient client;

  @RegisterExtension
  private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

  @RegisterExtension
  private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

  @TempDir Path dir;
  // The emulator, the store and the mock cluster outlive the controller's restarts: they are the cluster.
  private final ScriptedRunExecutor executor = ScriptedRunExecutor.manual();
  private KfpEmulator kfp;
  private MlmdStore mlmd;

  @AfterEach
  void stop() throws Exception {
    if (kfp != null) {
      kfp.close();
    }
    if (mlmd != null) {
      mlmd.close();
    }
  }

  private void startEmulator() {
    try {
      kfp = KfpEmulator.builder().runExecutor(executor).start();
    } catch (EmulatorStartException e) {
      if (System.getenv("CI") != null) {
        throw e;
      }
      Assumptions.abort("skipped: " + e.getMessage());
    }
  }

  private static void pods() {
    pod("seed-run1-system-container-impl-222", "2026-11-28T10:00:00Z fitting", "2026-11-28T10:00:01.5Z accuracy=0.93");
    pod("seed-run1-system-container-impl-333", "2026-11-28T10:00:02Z evaluating");
    pod("seed-run1-system-container-impl-444", "2026-11-28T10:00:03Z score 0");
    pod("seed-run1-system-container-impl-555", "2026-11-28T10:00:03Z score 1", "2026-11-28T10:00:03Z score 1 again");
  }

  private static void pod(String name, String... lines) {
    String base = "/api/v1/namespaces/kubeflow/pods/" + name;
    server.expect().get().withPath(base).andReturn(200, new PodBuilder().withNewMetadata().withName(name)
        .withNamespace("kubeflow").endMetadata().withNewStatus().withPhase("Succeeded").endStatus().build()).always();
    server.expect().get().withPath(base + "/log?pretty=false&container=main&timestamps=true")
        .andReturn(200, String.join("\n", lines) + "\n").always();
  }

  private static String kubeconfig() {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        contexts:
        - name: mock
          context: {cluster: mock, user: mock, namespace: kubeflow}
        current-context: mock
        users:
        - name: mock
          user: {token: not-a-secret}
        """.formatted(client.getConfiguration().getMasterUrl());
  }

  /**
   * The endpoint, first without an ML Metadata address: the store holds a run id the build has yet
   * to get. Without the address it has no cluster access either: with a kubeconfig it would look
   * for ML Metadata through a port-forward, which the mock cluster has no service for (a warning).
   */
  private void configure(String mlmdAddress) throws Exception {
    KfpEndpoint endpoint = new KfpEndpoint("prod", kfp.baseUrl().toString());
    endpoint.setMlmdAddress(mlmdAddress);
    if (!mlmdAddress.isEmpty()) {
      endpoint.setKubeconfigCredentialsId("kubeconfig");
    }
    KubeflowPipelinesConfiguration.get().setEndpoints(List.of(endpoint));
  }

  private WorkflowJob job(JenkinsRule j, String name, String script) throws Exception {
    SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(CredentialsScope.GLOBAL,
        "kubeconfig", "mock cluster", "kubeconfig", SecretBytes.fromBytes(kubeconfig().getBytes(StandardCharsets.UTF_8))));
    SystemCredentialsProvider.getInstance().save();
    configure("");
    WorkflowJob job = Fixtures.pipelineJob(j, name, script);
    FilePath workspace = j.jenkins.getWorkspaceFor(job);
    workspace.child("fixtures/two-step.yaml").copyFrom(new FilePath(Fixtures.repoRoot()
        .resolve("kfp-cli/src/test/resources/cli/RemoteCommandsTest/two-step.yaml").toFile()));
    return job;
  }

  /** Waits for the build's run on the emulator, then starts the store with its records and points the endpoint at it. */
  private String observeTheRun() throws Exception {
    while (kfp.state().runs().isEmpty()) {
      Thread.sleep(100);
    }
    String id = kfp.state().runs().get(0).id();
    mlmd = MlmdStore.start(id, dir.resolve("mlmd"));
    pods();
    configure(mlmd.address());
    return id;
  }

  private void runToTheEnd(String id) throws InterruptedException {
    RuntimeState state;
    do {
      state = executor.advance(id);
    } while (!state.isTerminal());
  }

  @Test
  void logLinesWithTheirTaskTheUiLinkAndTheMetrics() throws Throwable {
    startEmulator();
    sessions.then(j -> {
      WorkflowJob job = job(j, "remote-logs", """
          node {
            def run = kfpRun pipeline: 'fixtures/two-step.yaml', endpoint: 'prod'
            echo "accuracy=${run.metrics.accuracy}"
          }
          """);
      WorkflowRun build = job.scheduleBuild2(0).waitForStart();
      String id = observeTheRun();
      executor.advance(id);
      j.waitForMessage("[train] accuracy=0.93", build);
      runToTheEnd(id);
      j.assertBuildStatusSuccess(j.waitForCompletion(build));

      String log = JenkinsLogs.text(build);
      for (String line : LOG_LINES) {
        assertThat(KfpRemoteRunTest.count(log, line + "\n")).as(line).isEqualTo(1);
      }
      assertThat(log).contains("[preprocess] (served from cache (execution ").contains("accuracy=0.93\n")
          .doesNotContain("warning").doesNotContain("not-a-secret");
      // The UI link is a console note: plain text in the log, a hyperlink in the console page.
      String ui = kfp.baseUrl().toString().replaceAll("/+$", "") + "/#/runs/details/" + id;
      assertThat(log).contains("[kfp] run " + id + " in the KFP UI");
      StringWriter html = new StringWriter();
      build.getLogText().writeHtmlTo(0, html);
      assertThat(html.toString()).contains("<a href='" + ui + "'>[kfp] run " + id + " in the KFP UI</a>");

      KfpRunAction action = build.getAction(KfpRunAction.class);
      assertThat(action.isRemote()).isTrue();
      assertThat(action.getEndpoint()).isEqualTo("prod");
      assertThat(action.getUiUrl()).isEqualTo(ui);
      assertThat(action.getMetrics()).containsEntry("accuracy", 0.93).containsEntry("loss", 0.125);
      assertThat(action.getArtifacts()).anySatisfy(a -> {
        assertThat(a.getTask()).isEqualTo("train");
        assertThat(a.getOutput()).isEqualTo("model");
        assertThat(a.getUri()).isEqualTo("minio://mlpipeline/v2/artifacts/seed-pipeline/run-1/train/5e1f/model");
      });
      String view = j.createWebClient().goTo(build.getUrl() + action.getUrlName() + "/").asNormalizedText();
      assertThat(view).contains("ran on KFP endpoint prod").contains("Open the run in the KFP UI").contains("accuracy");
      // The job's trend: each metric across builds, and where each run ran.
      String trend = j.createWebClient().goTo(job.getUrl() + "kfp-trend/").asNormalizedText();
      assertThat(trend).contains("accuracy").contains("loss").contains("KFP endpoint prod");
    });
  }

  @Test
  void aRestartShowsEveryLogLineOnce() throws Throwable {
    startEmulator();
    String[] id = new String[1];
    sessions.then(j -> {
      WorkflowJob job = job(j, "remote-logs-restart", """
          node { kfpRun pipeline: 'fixtures/two-step.yaml', endpoint: 'prod' }
          """);
      WorkflowRun build = job.scheduleBuild2(0).waitForStart();
      id[0] = observeTheRun();
      executor.advance(id[0]);
      j.waitForMessage("[for-loop-2[1]/score] score 1 again", build);
    });
    sessions.then(j -> {
      WorkflowRun build = j.jenkins.getItemByFullName("remote-logs-restart", WorkflowJob.class).getBuildByNumber(1);
      runToTheEnd(id[0]);
      j.assertBuildStatusSuccess(j.waitForCompletion(build));
      String log = JenkinsLogs.text(build);
      assertThat(log).contains("[kfp] resuming the watch of run " + id[0]);
      for (String line : LOG_LINES) {
        assertThat(KfpRemoteRunTest.count(log, line + "\n")).as(line).isEqualTo(1);
      }
      assertThat(KfpRemoteRunTest.count(log, "[preprocess] (served from cache")).isEqualTo(1);
      assertThat(kfp.state().runs()).hasSize(1);
    });
  }
}
