package io.jenkins.plugins.kfp;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.FilePath;
import hudson.model.Executor;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.jenkins.plugins.kfp.config.KubeflowPipelinesConfiguration;
import io.jenkins.plugins.kfp.freestyle.LocalPipelineBuilder;
import io.jenkins.plugins.kfp.view.KfpRunAction;
import io.kfpci.emulator.EmulatorStartException;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.ScriptedRunExecutor;
import io.kfpci.report.RuntimeState;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The freestyle "Run Kubeflow pipeline" step with an endpoint, against the KFP API emulator whose
 * runs advance only when the test says so: the form keeps the endpoint options, a job saved before
 * them still loads (with the local defaults), a run that succeeds, fails and is aborted (terminated on
 * the emulator, the build ABORTED), and the credential's token nowhere in the build. Written for
 * the -Pjenkins build; not compiled by the default build.
 */
@WithJenkins
class FreestyleRemoteRunTest {
  private static final String TOKEN = "kfp-freestyle-jenkins-token-8e04";

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

  private void configureEndpoint() throws Exception {
    SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
        "kfp-token", "KFP bearer token", Secret.fromString(TOKEN)));
    SystemCredentialsProvider.getInstance().save();
    KfpEndpoint endpoint = new KfpEndpoint("prod", kfp.baseUrl().toString());
    endpoint.setCredentialsId("kfp-token");
    KubeflowPipelinesConfiguration.get().setEndpoints(List.of(endpoint));
  }

  private FreeStyleProject project(JenkinsRule j, String name, String runName) throws Exception {
    configureEndpoint();
    FreeStyleProject project = j.createFreeStyleProject(name);
    FilePath workspace = j.jenkins.getWorkspaceFor(project);
    workspace.child("fixtures/two-step.yaml").copyFrom(new FilePath(Fixtures.repoRoot()
        .resolve("kfp-cli/src/test/resources/cli/RemoteCommandsTest/two-step.yaml").toFile()));
    LocalPipelineBuilder builder = new LocalPipelineBuilder("fixtures/two-step.yaml");
    builder.setEndpoint("prod");
    builder.setExperiment("ci");
    builder.setRunName(runName);
    builder.setParams("rows=25");
    project.getBuildersList().add(builder);
    return project;
  }

  private void waitForTheRun() throws InterruptedException {
    while (kfp.state().runs().isEmpty()) {
      Thread.sleep(100);
    }
  }

  private void runToTheEnd() throws InterruptedException {
    String id = kfp.state().runs().get(0).id();
    RuntimeState state;
    do {
      state = executor.advance(id);
    } while (!state.isTerminal());
  }

  /** Builds the project, lets its KFP run go to its end on the emulator, and waits for the build. */
  private FreeStyleBuild buildToTheRunsEnd(JenkinsRule j, FreeStyleProject project) throws Exception {
    FreeStyleBuild build = project.scheduleBuild2(0).waitForStart();
    waitForTheRun();
    runToTheEnd();
    return j.waitForCompletion(build);
  }

  @Test
  void theFormKeepsTheEndpointOptions(JenkinsRule j) throws Exception {
    startEmulator();
    configureEndpoint();
    LocalPipelineBuilder builder = new LocalPipelineBuilder("build/pipeline.yaml");
    builder.setEndpoint("prod");
    builder.setExperiment("nightly");
    builder.setRunName("nightly retrain");
    builder.setServiceAccount("pipeline-runner");
    builder.setTimeout(90);

    j.assertEqualDataBoundBeans(builder, j.configRoundtrip(builder));
  }

  @Test
  void aJobSavedBeforeTheEndpointOptionsLoadsWithTheLocalDefaults(JenkinsRule j) throws Exception {
    FreeStyleProject project;
    try (InputStream in = Files.newInputStream(Fixtures.repoRoot().resolve("examples/freestyle-job/config.xml"))) {
      project = (FreeStyleProject) j.jenkins.createProjectFromXML("saved-before", in);
    }
    LocalPipelineBuilder builder = project.getBuildersList().get(LocalPipelineBuilder.class);
    assertThat(builder.getPipeline()).isEqualTo("examples/ml_training_pipeline.py");
    assertThat(builder.getTimeout()).isEqualTo(30);
    assertThat(builder.getEndpoint()).isEmpty();
    assertThat(builder.getExperiment()).isEqualTo("Default");
    assertThat(builder.getRunName()).isEmpty();
    assertThat(builder.getServiceAccount()).isEmpty();
  }

  @Test
  void runsOnTheEndpointAndRecordsTheRunView(JenkinsRule j) throws Exception {
    startEmulator();
    FreeStyleBuild build = buildToTheRunsEnd(j, project(j, "remote", ""));
    j.assertBuildStatusSuccess(build);

    String id = kfp.state().runs().get(0).id();
    j.assertLogContains("[kfp] submitted run " + id + " of two-step in experiment ci on prod", build);
    j.assertLogContains("[kfp] train: SUCCEEDED", build);
    j.assertLogContains("[kfp] run: SUCCEEDED", build);
    assertThat(kfp.state().runs().get(0).displayName()).isEqualTo("two-step Jenkins remote#1");
    assertThat(kfp.state().runs().get(0).runtimeConfig().path("parameters").path("rows").asInt()).isEqualTo(25);
    KfpRunAction action = build.getAction(KfpRunAction.class);
    assertThat(action.getRunId()).isEqualTo(id);
    assertThat(action.getState()).isEqualTo("SUCCEEDED");
    assertThat(build.getRootDir().toPath().resolve("kfp").resolve(id).resolve("summary.json")).isRegularFile();
    assertTokenNowhere(build);
  }

  @Test
  void aFailedRunFailsTheBuild(JenkinsRule j) throws Exception {
    startEmulator();
    FreeStyleBuild build = buildToTheRunsEnd(j, project(j, "remote-failed", "doomed nightly"));
    j.assertBuildStatus(Result.FAILURE, build);
    j.assertLogContains("[kfp] train: FAILED", build);
    assertThat(build.getAction(KfpRunAction.class).getState()).isEqualTo("FAILED");
  }

  @Test
  void anAbortTerminatesTheRunOnKfpAndAbortsTheBuild(JenkinsRule j) throws Exception {
    startEmulator();
    FreeStyleProject project = project(j, "remote-abort", "");
    FreeStyleBuild build = project.scheduleBuild2(0).waitForStart();
    waitForTheRun();
    String id = kfp.state().runs().get(0).id();
    executor.advance(id);
    j.waitForMessage("[kfp] run: RUNNING", build);
    Executor running = build.getExecutor();
    assertThat(running).isNotNull();
    running.interrupt();
    while (!kfp.state().runs().get(0).terminateRequested()) {
      Thread.sleep(100);
    }
    runToTheEnd();
    j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(build));
    j.assertLogContains("[kfp] terminating run " + id + " on prod (the build was aborted)", build);
    j.assertLogContains("[kfp] run: CANCELED", build);
    assertThat(build.getAction(KfpRunAction.class).getState()).isEqualTo("CANCELED");
    assertThat(kfp.state().runs()).hasSize(1);
  }

  private static void assertTokenNowhere(FreeStyleBuild run) throws Exception {
    assertThat(JenkinsLogs.text(run)).doesNotContain(TOKEN);
    try (Stream<Path> files = Files.walk(run.getRootDir().toPath())) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString())
            .doesNotContain(TOKEN);
      }
    }
  }
}
