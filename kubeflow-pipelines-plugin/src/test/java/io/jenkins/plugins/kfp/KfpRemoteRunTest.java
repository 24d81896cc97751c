package io.jenkins.plugins.kfp;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.FilePath;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.jenkins.plugins.kfp.config.KubeflowPipelinesConfiguration;
import io.jenkins.plugins.kfp.view.KfpRunAction;
import io.kfpci.emulator.EmulatorStartException;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.ScriptedRunExecutor;
import io.kfpci.report.RuntimeState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * {@code kfpRun} with {@code endpoint:} against the KFP API emulator, whose runs advance only when
 * the test says so: succeeded and failed runs, a controller restart while the run goes on (no
 * second run, each state line once), the KFP UI link, an abort (the run is terminated on the emulator), and the
 * credential's token nowhere in the build. Written for the -Pjenkins build; not compiled by the
 * default build.
 */
class KfpRemoteRunTest {
  private static final String TOKEN = "kfp-remote-jenkins-token-5d21";

  @RegisterExtension
  private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

  @RegisterExtension
  private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

  // The emulator outlives the controller's restarts: it is the cluster.
  private final ScriptedRunExecutor executor = ScriptedRunExecutor.manual()
      .failing(run -> run.displayName().startsWith("doomed") ? Optional.of("train") : Optional.empty());
  private KfpEmulator kfp;

  private void startEmulator() {
    try {
      kfp = KfpEmulator.builder().requireBearerToken(TOKEN).runExecutor(executor).start();
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

  private WorkflowJob job(JenkinsRule j, String name, String script) throws Exception {
    SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
        "kfp-token", "KFP bearer token", Secret.fromString(TOKEN)));
    SystemCredentialsProvider.getInstance().save();
    KfpEndpoint endpoint = new KfpEndpoint("prod", kfp.baseUrl().toString());
    endpoint.setCredentialsId("kfp-token");
    KubeflowPipelinesConfiguration.get().setEndpoints(List.of(endpoint));
    WorkflowJob job = Fixtures.pipelineJob(j, name, script);
    FilePath workspace = j.jenkins.getWorkspaceFor(job);
    workspace.child("fixtures/two-step.yaml").copyFrom(new FilePath(Fixtures.repoRoot()
        .resolve("kfp-cli/src/test/resources/cli/RemoteCommandsTest/two-step.yaml").toFile()));
    return job;
  }

  /** Advances the emulator's only run one step at a time until it ends, while the build watches. */
  private void runToTheEnd() throws InterruptedException {
    String id = kfp.state().runs().get(0).id();
    RuntimeState state;
    do {
      state = executor.advance(id);
    } while (!state.isTerminal());
  }

  private void waitForTheRun() throws InterruptedException {
    while (kfp.state().runs().isEmpty()) {
      Thread.sleep(100);
    }
  }

  @Test
  void runsOnTheEndpointAndReturnsTheLocalMapWithTheUiLink() throws Throwable {
    startEmulator();
    sessions.then(j -> {
      WorkflowJob job = job(j, "remote", """
          node {
            def run = kfpRun pipeline: 'fixtures/two-step.yaml', endpoint: 'prod', experiment: 'ci',
                params: [rows: 25]
            echo "state=${run.state} id=${run.runId} ui=${run.uiUrl}"
          }
          """);
      WorkflowRun build = job.scheduleBuild2(0).waitForStart();
      waitForTheRun();
      runToTheEnd();
      j.waitForCompletion(build);
      j.assertBuildStatusSuccess(build);
      String id = kfp.state().runs().get(0).id();
      j.assertLogContains("[kfp] submitted run " + id + " of two-step in experiment ci on prod", build);
      j.assertLogContains("[kfp] train: SUCCEEDED", build);
      j.assertLogContains("state=SUCCEEDED id=" + id + " ui=" + kfp.baseUrl().toString().replaceAll("/+$", "")
          + "/#/runs/details/" + id, build);
      // The KFP UI link is a console note: plain text in the log, a hyperlink on the console page.
      String ui = kfp.baseUrl().toString().replaceAll("/+$", "") + "/#/runs/details/" + id;
      j.assertLogContains("[kfp] run " + id + " in the KFP UI", build);
      java.io.StringWriter html = new java.io.StringWriter();
      build.getLogText().writeHtmlTo(0, html);
      assertThat(html.toString()).contains("<a href='" + ui + "'>[kfp] run " + id + " in the KFP UI</a>");
      KfpRunAction action = build.getAction(KfpRunAction.class);
      assertThat(action.getRunId()).isEqualTo(id);
      assertThat(action.getState()).isEqualTo("SUCCEEDED");
      // Without an ML Metadata address: states only, no metrics, and the run view links the KFP UI.
      assertThat(action.isRemote()).isTrue();
      assertThat(action.getUiUrl()).isEqualTo(ui);
      assertThat(action.getMetrics()).isEmpty();
      assertThat(build.getRootDir().toPath().resolve("kfp").resolve(id).resolve("summary.json")).isRegularFile();
      assertTokenNowhere(build);
    });
  }

  @Test
  void aFailedRunFailsTheStep() throws Throwable {
    startEmulator();
    sessions.then(j -> {
      WorkflowJob job = job(j, "remote-failed", """
          node { kfpRun pipeline: 'fixtures/two-step.yaml', endpoint: 'prod', runName: 'doomed nightly' }
          """);
      WorkflowRun build = job.scheduleBuild2(0).waitForStart();
      waitForTheRun();
      runToTheEnd();
      j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(build));
      j.assertLogContains("[kfp] train: FAILED", build);
      assertThat(build.getAction(KfpRunAction.class).getState()).isEqualTo("FAILED");
    });
  }

  @Test
  void aRestartContinuesTheWatchWithoutASecondRunOrARepeatedLine() throws Throwable {
    startEmulator();
    sessions.then(j -> {
      WorkflowJob job = job(j, "remote-restart", """
          node {
            def run = kfpRun pipeline: 'fixtures/two-step.yaml', endpoint: 'prod'
            echo "final state ${run.state}"
          }
          """);
      WorkflowRun build = job.scheduleBuild2(0).waitForStart();
      waitForTheRun();
      String id = kfp.state().runs().get(0).id();
      executor.advance(id);
      executor.advance(id);
      j.waitForMessage("[kfp] run: RUNNING", build);
    });
    sessions.then(j -> {
      WorkflowRun build = j.jenkins.getItemByFullName("remote-restart", WorkflowJob.class).getBuildByNumber(1);
      runToTheEnd();
      j.waitForCompletion(build);
      j.assertBuildStatusSuccess(build);
      String log = JenkinsLogs.text(build);
      assertThat(log).contains("[kfp] resuming the watch of run ").contains("final state SUCCEEDED");
      assertThat(kfp.state().runs()).hasSize(1);
      for (String line : List.of("[kfp] run: RUNNING", "[kfp] preprocess: SUCCEEDED", "[kfp] train: SUCCEEDED",
          "[kfp] run: SUCCEEDED")) {
        assertThat(count(log, line)).as(line).isEqualTo(1);
      }
    });
  }

  @Test
  void anAbortTerminatesTheRunOnKfpAndFailsTheStep() throws Throwable {
    startEmulator();
    sessions.then(j -> {
      WorkflowJob job = job(j, "remote-abort", """
          node { kfpRun pipeline: 'fixtures/two-step.yaml', endpoint: 'prod' }
          """);
      WorkflowRun build = job.scheduleBuild2(0).waitForStart();
      waitForTheRun();
      String id = kfp.state().runs().get(0).id();
      executor.advance(id);
      j.waitForMessage("[kfp] run: ", build);
      build.doStop();
      while (!kfp.state().runs().get(0).terminateRequested()) {
        Thread.sleep(100);
      }
      runToTheEnd();
      j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(build));
      j.assertLogContains("[kfp] terminating run " + id + " on prod (the build was aborted)", build);
      j.assertLogContains("[kfp] run: CANCELED", build);
      assertThat(build.getAction(KfpRunAction.class).getState()).isEqualTo("CANCELED");
      assertThat(kfp.state().runs()).singleElement().satisfies(r -> assertThat(r.terminateRequested()).isTrue());
    });
  }

  private static void assertTokenNowhere(WorkflowRun run) throws Exception {
    assertThat(JenkinsLogs.text(run)).doesNotContain(TOKEN);
    try (Stream<Path> files = Files.walk(run.getRootDir().toPath())) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString())
            .doesNotContain(TOKEN);
      }
    }
  }

  static int count(String text, String needle) {
    Matcher matcher = Pattern.compile(Pattern.quote(needle)).matcher(text);
    int n = 0;
    while (matcher.find()) {
      n++;
    }
    return n;
  }
}
