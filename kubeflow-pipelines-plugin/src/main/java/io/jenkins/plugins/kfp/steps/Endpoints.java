package io.jenkins.plugins.kfp.steps;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.AbortException;
import hudson.model.Run;
import hudson.util.Secret;
import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.jenkins.plugins.kfp.config.KubeflowPipelinesConfiguration;
import io.jenkins.plugins.kfp.internal.RemoteObservation;
import io.jenkins.plugins.kfp.internal.RemoteUpload;
import io.kfpci.artifacts.MetadataStoreOptions;
import io.kfpci.KfpException;
import io.kfpci.client.KfpConnection;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * The steps' way to a configured KFP endpoint: the endpoint by name, and a connection whose bearer
 * token is the endpoint's Secret text credential, looked up now as the build may use it (the job's
 * and its folders' credentials, and global ones) and kept only in memory for the calls at hand.
 * Public for the freestyle build step, which reaches endpoints the same way.
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

  public static KfpConnection connection(String step, Run<?, ?> build, KfpEndpoint target, Consumer<String> warnings)
      throws AbortException, KfpException {
    String id = target.getCredentialsId();
    Supplier<String> token = () -> null;
    if (!id.isEmpty()) {
      StringCredentials credentials = CredentialsProvider.findCredentialById(id, StringCredentials.class, build);
      if (credentials == null) {
        throw new AbortException(step + ": endpoint " + target.getName() + " uses credential '" + id
            + "', which this build cannot use: no Secret text credential with that id is visible to the job");
      }
      CredentialsProvider.track(build, credentials);
      Secret secret = credentials.getSecret();
      token = secret::getPlainText;
    }
    return RemoteUpload.connection(target.getName(), target.getUrl(), target.getNamespace(), id, token, warnings);
  }

  /**
   * What a run on {@code target} is observed through, with its credentials looked up now as the
   * build may use them. (Object store and kubeconfig credentials are resolved by the global
   * configuration's slice; until then only the ML Metadata address is used.)
   */
  public static RemoteObservation observation(String step, Run<?, ?> build, KfpEndpoint target) throws AbortException {
    MetadataStoreOptions metadata;
    try {
      metadata = target.getMlmdAddress().isEmpty() ? null
          : MetadataStoreOptions.builder().address(target.getMlmdAddress()).build();
    } catch (IllegalArgumentException e) {
      throw new AbortException(step + ": endpoint " + target.getName() + " has an invalid ML Metadata address: "
          + e.getMessage());
    }
    return new RemoteObservation(metadata, null, null, target.isInCluster());
  }
}
