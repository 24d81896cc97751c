package io.jenkins.plugins.kfp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.FilePath;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import hudson.util.Secret;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.jenkins.plugins.kfp.config.KubeflowPipelinesConfiguration;
import io.kfpci.emulator.EmulatorStartException;
import io.kfpci.emulator.KfpEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import org.springframework.security.access.AccessDeniedException;

/**
 * The endpoint form's "Test connection" against the KFP API emulator (version and mode, a refused
 * token never shown), its Administer checks (no test and no credential listing for others), and a
 * build using a Secret file token and a cookie: neither value anywhere in the console, the build
 * directory, the job or the saved configuration.
 */
@WithJenkins
class EndpointSecurityTest {
  private static final String TOKEN = "kfp-file-token-2c4e6a8b0d";
  private static final String COOKIE = "authservice_session=kfp-cookie-1b3d5f7a9c";

  private static KfpEmulator start(KfpEmulator.Builder builder) {
    try {
      return builder.start();
    } catch (EmulatorStartException e) {
      if (System.getenv("CI") != null) {
        throw e;
      }
      Assumptions.abort("skipped: " + e.getMessage());
      throw e;
    }
  }

  private static void addCredentials() throws Exception {
    SystemCredentialsProvider.getInstance().getCredentials().add(new FileCredentialsImpl(CredentialsScope.GLOBAL,
        "kfp-token-file", "KFP token as a file", "token",
        SecretBytes.fromBytes((TOKEN + "\n").getBytes(StandardCharsets.UTF_8))));
    SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
        "kfp-session", "KFP session cookie", Secret.fromString(COOKIE)));
    SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
        "kfp-wrong", "a token KFP refuses", Secret.fromString("kfp-wrong-token-0f1e2d3c")));
    SystemCredentialsProvider.getInstance().save();
  }

  private static FormValidation test(JenkinsRule j, String url, String credentialsId) throws Exception {
    return j.jenkins.getDescriptorByType(KfpEndpoint.DescriptorImpl.class).doTestConnection("prod", url, "",
        credentialsId, "", "kfp-session", "", "", false, "", false);
  }

  @Test
  void testConnectionSaysVersionAndModeOrWhyNotWithoutASecret(JenkinsRule j) throws Exception {
    addCredentials();
    try (KfpEmulator kfp = start(KfpEmulator.builder().requireBearerToken(TOKEN))) {
      FormValidation ok = test(j, kfp.baseUrl().toString(), "kfp-token-file");
      assertThat(ok.kind).isEqualTo(FormValidation.Kind.OK);
      assertThat(ok.getMessage()).contains("Connected to KFP unknown").contains("multi-user mode is off");

      FormValidation refused = test(j, kfp.baseUrl().toString(), "kfp-wrong");
      assertThat(refused.kind).isEqualTo(FormValidation.Kind.ERROR);
      assertThat(refused.getMessage()).contains("refused the endpoint").contains("401")
          .doesNotContain("kfp-wrong-token-0f1e2d3c").doesNotContain(TOKEN).doesNotContain("kfp-cookie-1b3d5f7a9c");
    }
  }

  @Test
  void onlyAdministratorsTestConnectionsOrListCredentials(JenkinsRule j) throws Exception {
    addCredentials();
    j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
    j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
        .grant(Jenkins.ADMINISTER).everywhere().to("admin")
        .grant(Jenkins.READ).everywhere().to("reader"));
    KfpEndpoint.DescriptorImpl descriptor = j.jenkins.getDescriptorByType(KfpEndpoint.DescriptorImpl.class);

    try (ACLContext ignored = ACL.as2(User.getById("reader", true).impersonate2())) {
      assertThatThrownBy(() -> descriptor.doTestConnection("prod", "http://127.0.0.1:9", "", "kfp-token-file", "",
          "", "", "", false, "", false)).isInstanceOf(AccessDeniedException.class);
      assertThatThrownBy(() -> descriptor.doCheckUrl("https://kfp.example.com", ""))
          .isInstanceOf(AccessDeniedException.class);
      ListBoxModel listed = descriptor.doFillCredentialsIdItems("kfp-token-file");
      assertThat(listed).extracting(o -> o.value).containsExactly("kfp-token-file");
    }
    try (ACLContext ignored = ACL.as2(User.getById("admin", true).impersonate2())) {
      assertThat(descriptor.doFillCredentialsIdItems("")).extracting(o -> o.value)
          .contains("", "kfp-token-file", "kfp-session", "kfp-wrong");
      assertThat(descriptor.doFillKubeconfigCredentialsIdItems("")).extracting(o -> o.value)
          .containsExactly("", "kfp-token-file");
      assertThat(descriptor.doCheckSkipTlsVerify(true).kind).isEqualTo(FormValidation.Kind.WARNING);
    }
  }

  @Test
  void aSecretFileTokenAndACookieAreNowhereInTheBuildOrTheConfiguration(JenkinsRule j) throws Exception {
    addCredentials();
    try (KfpEmulator kfp = start(KfpEmulator.builder().requireBearerToken(TOKEN))) {
      KfpEndpoint endpoint = new KfpEndpoint("prod", kfp.baseUrl().toString());
      endpoint.setCredentialsId("kfp-token-file");
      endpoint.setCookieCredentialsId("kfp-session");
      endpoint.setUserId("ci@example.com");
      KubeflowPipelinesConfiguration.get().setEndpoints(List.of(endpoint));

      WorkflowJob job = Fixtures.pipelineJob(j, "upload", """
          node {
            def up = kfpUpload pipeline: 'fixtures/two-step.yaml', endpoint: 'prod'
            echo "created=${up.created}"
          }
          """);
      FilePath workspace = j.jenkins.getWorkspaceFor(job);
      workspace.child("fixtures/two-step.yaml").copyFrom(new FilePath(Fixtures.repoRoot()
          .resolve("kfp-cli/src/test/resources/cli/RemoteCommandsTest/two-step.yaml").toFile()));

      WorkflowRun run = j.buildAndAssertSuccess(job);
      j.assertLogContains("created=true", run);

      List<String> secrets = List.of(TOKEN, COOKIE, "kfp-cookie-1b3d5f7a9c");
      for (String secret : secrets) {
        j.assertLogNotContains(secret, run);
      }
      List<Path> places = List.of(run.getRootDir().toPath(), job.getRootDir().toPath().resolve("config.xml"),
          j.jenkins.getRootDir().toPath().resolve(KubeflowPipelinesConfiguration.class.getName() + ".xml"));
      for (Path place : places) {
        try (Stream<Path> files = Files.walk(place)) {
          for (Path file : files.filter(Files::isRegularFile).toList()) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
              assertThat(text).as(file.toString()).doesNotContain(secret);
            }
          }
        }
      }
      assertThat(kfp.state().requests()).allSatisfy(r -> assertThat(r.hadBearerToken()).isTrue());
    }
  }
}
