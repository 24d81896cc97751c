package io.jenkins.plugins.kfp.steps;

import hudson.AbortException;
import hudson.model.Run;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.jenkins.plugins.kfp.config.KubeflowPipelinesConfiguration;
import io.jenkins.plugins.kfp.internal.EndpointAccess;
import io.jenkins.plugins.kfp.internal.JenkinsCredentials;
import io.jenkins.plugins.kfp.internal.PortForwards;
import io.jenkins.plugins.kfp.internal.RemoteObservation;
import io.jenkins.plugins.kfp.internal.SecretMasker;
import io.kfpci.KfpException;
import io.kfpci.client.KfpConnection;
import java.net.URI;
import java.util.function.Consumer;

/**
 * The steps' way to a configured KFP endpoint: the endpoint by name, a connection with its
 * credentials, and what its runs are observed through.
 *
 * <p>Credentials are looked up at each call, on the controller, as the build may use them
 * ({@code CredentialsProvider.findCredentialById}, each use tracked), and kept only in the objects
 * returned, for the calls at hand: never in a field of a step, an execution or an action, so never
 * in build.xml or program.dat. Everything the connection warns about reaches the console through
 * a {@link SecretMasker} holding the secrets looked up, once per build. Public for the freestyle
 * build step, which reaches endpoints the same way.
 */
public final class Endpoints {
  private Endpoints() {}

  public static KfpEndpoint target(String step, String name) throws AbortException {
    KubeflowPipelinesConfiguration config = KubeflowPipelinesConfiguration.get();
    KfpEndpoint target = config.endpoint(name);
    if (target == null) {
      throw new AbortException(step + ": there is no KFP endpoint called '" + name
          + "'; the endpoints of Manage Jenkins > Kubeflow Pipelines are "
          + config.getEndpoints().stream().map(KfpEndpoint::getName).toList());
    }
    return target;
  }

  /**
   * A connection to {@code target} for {@code build}: its URL, or a port-forward to its
   * {@code ml-pipeline} service (opened on the controller and reused, {@link PortForwards}); its
   * bearer token, {@code kubeflow-userid} header and cookie; its CA certificate or skipped TLS
   * verification, which {@code warnings} hear about once per build.
   */
  public static KfpConnection connection(String step, Run<?, ?> build, KfpEndpoint target, Consumer<String> warnings)
      throws AbortException, KfpException {
    return connection(target, build, secrets(step, build, target), warnings);
  }

  private static KfpConnection connection(KfpEndpoint target, Run<?, ?> build, EndpointAccess.Secrets secrets,
      Consumer<String> warnings) throws KfpException {
    Consumer<String> core = EndpointAccess.warnings(target, build.getExternalizableId(), secrets.masker(), warnings);
    URI forwarded = PortForwards.shared().endpoint(target, secrets);
    return EndpointAccess.connection(target, secrets, forwarded, core);
  }

  /**
   * Everything one check of a run on {@code target} needs, from one look-up of its credentials
   * (each look-up is tracked on the credential: a check every few seconds should not do it thrice).
   *
   * @param observation what the run is observed through; {@link RemoteObservation#NONE} when the
   *     settings cannot be used now, and then {@code observationProblem} says why (masked)
   */
  public record Access(KfpConnection connection, SecretMasker masker, RemoteObservation observation,
      String observationProblem) {}

  /** The connection, masker and observation of {@code target} for {@code build}, see {@link Access}. */
  public static Access access(String step, Run<?, ?> build, KfpEndpoint target, Consumer<String> warnings)
      throws AbortException, KfpException {
    EndpointAccess.Secrets secrets = secrets(step, build, target);
    KfpConnection connection = connection(target, build, secrets, warnings);
    try {
      return new Access(connection, secrets.masker(), EndpointAccess.observation(target, secrets,
          PortForwards.shared()), null);
    } catch (KfpException e) {
      return new Access(connection, secrets.masker(), RemoteObservation.NONE,
          step + ": " + secrets.masker().mask(e.getMessage()));
    }
  }

  /**
   * A masker holding the secrets {@code target} has for {@code build}, for the lines a step prints
   * about its calls (server messages, run errors) so a value echoed back never reaches the console:
   * {@code masker(...).masking(listener.getLogger())} is a console logger that masks every line.
   */
  public static SecretMasker masker(String step, Run<?, ?> build, KfpEndpoint target) throws AbortException {
    return secrets(step, build, target).masker();
  }

  /**
   * What a run on {@code target} is observed through besides the API, with its credentials looked
   * up now as the build may use them: the ML Metadata address (or, without one but with Kubernetes
   * access, a port-forward to ML Metadata opened on the controller when first read and reused,
   * {@link PortForwards}), the object store with the access and secret key of its Username with
   * password credential, and the cluster (the kubeconfig of its Secret file credential, or
   * in-cluster). Held in memory for one check and then dropped; nothing here waits on the network.
   */
  public static RemoteObservation observation(String step, Run<?, ?> build, KfpEndpoint target) throws AbortException {
    EndpointAccess.Secrets secrets = secrets(step, build, target);
    try {
      return EndpointAccess.observation(target, secrets, PortForwards.shared());
    } catch (KfpException e) {
      throw new AbortException(step + ": " + secrets.masker().mask(e.getMessage()));
    }
  }

  /**
   * The experiment a run goes to: the step's, or the endpoint's default experiment when the step
   * kept its own default ({@code stepDefault}) and the endpoint has one.
   */
  public static String experiment(KfpEndpoint target, String stepExperiment, String stepDefault) {
    boolean stepKeptDefault = stepExperiment == null || stepExperiment.isBlank() || stepExperiment.equals(stepDefault);
    if (stepKeptDefault && !target.getDefaultExperiment().isEmpty()) {
      return target.getDefaultExperiment();
    }
    return stepKeptDefault ? stepDefault : stepExperiment;
  }

  private static EndpointAccess.Secrets secrets(String step, Run<?, ?> build, KfpEndpoint target)
      throws AbortException {
    try {
      return EndpointAccess.resolve(target, JenkinsCredentials.of(build));
    } catch (KfpException e) {
      throw new AbortException(step + ": " + e.getMessage());
    }
  }
}
