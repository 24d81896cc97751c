package io.jenkins.plugins.kfp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.kfpci.emulator.KfpEmulator;
import org.junit.jupiter.api.Test;

/**
 * The form's "Test connection" against the KFP API emulator: the server's version and mode, a
 * refused credential (healthz answers anyone, so one list call proves the credential), a
 * multi-user server without a namespace or identity, and the endpoint's own problems first;
 * never a secret in what it says.
 */
class ConnectionCheckTest {
  private static final String TOKEN = "kfp-check-token-61e0d4";
  private static final String WRONG = "kfp-wrong-token-9b8a7c";

  private static FakeCredentials credentials() {
    return new FakeCredentials().text("good", TOKEN).text("wrong", WRONG);
  }

  private static KfpEndpoint endpoint(KfpEmulator kfp, String credentialsId) {
    KfpEndpoint e = new KfpEndpoint("prod", kfp.baseUrl().toString());
    e.setCredentialsId(credentialsId);
    return e;
  }

  private static String base(KfpEmulator kfp) {
    String url = kfp.baseUrl().toString();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Test
  void aSingleUserServerWithTheRightTokenSaysItsVersionAndMode() throws Exception {
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().requireBearerToken(TOKEN))) {
      ConnectionCheck.Outcome outcome = ConnectionCheck.check(endpoint(kfp, "good"), credentials());

      assertThat(outcome).isEqualTo(new ConnectionCheck.Outcome(ConnectionCheck.Level.OK, "Connected to KFP unknown "
          + "(commit unknown) at " + kfp.baseUrl() + "; multi-user mode is off."));
      assertThat(kfp.state().requests()).extracting(r -> r.method() + " " + r.path() + " " + r.status())
          .containsExactly("GET /apis/v2beta1/healthz 200", "GET /apis/v2beta1/experiments 200");
    }
  }

  @Test
  void aRefusedTokenIsAnErrorThatNeverShowsIt() throws Exception {
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().requireBearerToken(TOKEN))) {
      ConnectionCheck.Outcome outcome = ConnectionCheck.check(endpoint(kfp, "wrong"), credentials());

      assertThat(outcome.level()).isEqualTo(ConnectionCheck.Level.ERROR);
      assertThat(outcome.message()).startsWith("Connected to KFP unknown (commit unknown) at " + kfp.baseUrl()
          + "; multi-user mode is off, but it refused the endpoint's credentials (the bearer token from $credential "
          + "wrong): ").contains("401").doesNotContain(WRONG).doesNotContain(TOKEN);
    }
  }

  @Test
  void aMultiUserServerNeedsANamespaceAndAnIdentity() throws Exception {
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().multiUser(true))) {
      KfpEndpoint noNamespace = new KfpEndpoint("prod", kfp.baseUrl().toString());
      noNamespace.setUserId("alice@example.com");
      assertThat(ConnectionCheck.check(noNamespace, credentials())).isEqualTo(new ConnectionCheck.Outcome(
          ConnectionCheck.Level.WARNING, "Connected to KFP unknown (commit unknown) at " + kfp.baseUrl()
          + "; multi-user mode is on: give the endpoint a namespace (the profile runs go to), or the server refuses "
          + "runs and pipelines outside one."));

      KfpEndpoint anonymous = new KfpEndpoint("prod", kfp.baseUrl().toString());
      anonymous.setNamespace("ml-team");
      assertThat(ConnectionCheck.check(anonymous, credentials()).message()).endsWith("multi-user mode is on: the "
          + "endpoint sends no credential, and the server refuses every call but this one without an identity.");

      KfpEndpoint good = new KfpEndpoint("prod", kfp.baseUrl().toString());
      good.setNamespace("ml-team");
      good.setUserId("alice@example.com");
      assertThat(ConnectionCheck.check(good, credentials())).isEqualTo(new ConnectionCheck.Outcome(
          ConnectionCheck.Level.OK, "Connected to KFP unknown (commit unknown) at " + kfp.baseUrl()
          + "; multi-user mode is on, namespace ml-team."));
    }
  }

  @Test
  void theEndpointsOwnProblemsAndMissingCredentialsComeFirst() throws Exception {
    KfpEndpoint both = new KfpEndpoint("prod", "https://kfp.example.com");
    both.setKfpNamespace("kubeflow");
    assertThat(ConnectionCheck.check(both, credentials())).isEqualTo(new ConnectionCheck.Outcome(
        ConnectionCheck.Level.ERROR, "Give the URL of the KFP API or the Kubernetes namespace KFP is installed in, "
        + "not both."));

    KfpEndpoint missing = new KfpEndpoint("prod", "https://kfp.example.com");
    missing.setCredentialsId("nope");
    assertThat(ConnectionCheck.check(missing, credentials())).isEqualTo(new ConnectionCheck.Outcome(
        ConnectionCheck.Level.ERROR, "endpoint prod: credentialsId 'nope' names no Secret text or Secret file "
        + "credential that this build can use (check its id, kind and scope: builds see GLOBAL credentials and their "
        + "folders', not SYSTEM ones)"));
  }

  @Test
  void kubernetesAccessWithoutAWayIntoTheClusterIsRefusedBeforeAnyCall() throws Exception {
    KfpEndpoint e = new KfpEndpoint("in-cluster", "");
    e.setKfpNamespace("kubeflow");

    assertThat(ConnectionCheck.check(e, credentials())).isEqualTo(new ConnectionCheck.Outcome(
        ConnectionCheck.Level.ERROR, "Reaching KFP through Kubernetes needs a kubeconfig credential or \"In cluster\"."));
  }
}
