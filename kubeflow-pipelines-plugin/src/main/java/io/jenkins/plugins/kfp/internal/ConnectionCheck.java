package io.jenkins.plugins.kfp.internal;

import io.jenkins.plugins.kfp.config.ConfigurationValues;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.kfpci.KfpException;
import io.kfpci.client.KfpApi;
import io.kfpci.client.KfpApiException;
import io.kfpci.client.KfpClient;
import io.kfpci.client.KfpConnection;
import io.kfpci.client.ListQuery;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The configuration form's "Test connection": the endpoint as the form shows it (unsaved), its
 * credentials looked up as the administrator may use them, one call to the API's healthz (through a
 * port-forward of its own when the endpoint is reached through Kubernetes), and what the server
 * says: its version and whether it runs in multi-user mode. Jenkins-free; every message passes
 * through a masker holding the secrets looked up.
 */
public final class ConnectionCheck {
  private ConnectionCheck() {}

  /** How the form shows an outcome. */
  public enum Level { OK, WARNING, ERROR }

  public record Outcome(Level level, String message) {}

  /** Tests {@code endpoint}; never throws for a failure of the endpoint, which is the outcome. */
  public static Outcome check(KfpEndpoint endpoint, CredentialLookup lookup) throws InterruptedException {
    List<String> problems = ConfigurationValues.endpointProblems(endpoint);
    if (!problems.isEmpty()) {
      return new Outcome(Level.ERROR, problems.get(0));
    }
    EndpointAccess.Secrets secrets;
    try {
      secrets = EndpointAccess.resolve(endpoint, lookup);
    } catch (CredentialUnavailableException e) {
      return new Outcome(Level.ERROR, e.getMessage());
    }
    SecretMasker masker = secrets.masker();
    List<String> warnings = new ArrayList<>();
    try (PortForwards forwards = PortForwards.temporary()) {
      URI forwarded = forwards.endpoint(endpoint, secrets);
      // A test answers in seconds or says why not; the builds' deadlines are longer.
      KfpConnection connection = EndpointAccess.build(endpoint, EndpointAccess.builder(endpoint, secrets, forwarded,
          warnings::add).connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(15))
          .callTimeout(Duration.ofSeconds(30)));
      try (KfpClient client = KfpClient.connect(connection)) {
        KfpApi.Healthz health = client.healthz();
        Outcome outcome = outcome(endpoint, health);
        if (outcome.level() == Level.OK || endpoint.isSkipTlsVerify() && outcome.level() == Level.WARNING) {
          // healthz answers anyone; one experiment listed proves the credentials (and the namespace) work.
          try {
            client.listExperiments(new ListQuery(null, null, 1, null));
          } catch (KfpApiException e) {
            if (e.status() == 401 || e.status() == 403) {
              return masked(masker, new Outcome(Level.ERROR, head(endpoint, health) + ", but it refused the "
                  + "endpoint's credentials (" + connection.credentials().describe() + "): " + e.getMessage()));
            }
            throw e;
          }
        }
        return masked(masker, outcome);
      }
    } catch (KfpException e) {
      return new Outcome(Level.ERROR, masker.mask("Cannot reach " + EndpointAccess.where(endpoint) + ": "
          + e.getMessage()));
    }
  }

  static Outcome outcome(KfpEndpoint endpoint, KfpApi.Healthz health) {
    String head = head(endpoint, health);
    if (health.isMultiUser() && endpoint.getNamespace().isEmpty()) {
      return new Outcome(Level.WARNING, head + ": give the endpoint a namespace (the profile runs go to), or the "
          + "server refuses runs and pipelines outside one.");
    }
    if (health.isMultiUser() && endpoint.getCredentialsId().isEmpty() && endpoint.getUserId().isEmpty()
        && endpoint.getCookieCredentialsId().isEmpty()) {
      return new Outcome(Level.WARNING, head + ": the endpoint sends no credential, and the server refuses every "
          + "call but this one without an identity.");
    }
    if (endpoint.isSkipTlsVerify()) {
      return new Outcome(Level.WARNING, head + "; TLS verification is skipped.");
    }
    return new Outcome(Level.OK, head + (health.isMultiUser() ? ", namespace " + endpoint.getNamespace() : "") + ".");
  }

  private static String head(KfpEndpoint endpoint, KfpApi.Healthz health) {
    String version = health.tagName() == null || health.tagName().isBlank() ? "(version not given)" : health.tagName();
    String commit = health.commitSha() == null || health.commitSha().isBlank() ? ""
        : " (commit " + health.commitSha().substring(0, Math.min(7, health.commitSha().length())) + ")";
    return "Connected to KFP " + version + commit + " at " + EndpointAccess.where(endpoint) + "; multi-user mode "
        + (health.isMultiUser() ? "is on" : "is off");
  }

  private static Outcome masked(SecretMasker masker, Outcome o) {
    return new Outcome(o.level(), masker.mask(o.message()));
  }
}
