package io.jenkins.plugins.kfp.internal;

import hudson.remoting.VirtualChannel;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kfpci.KfpException;
import io.kfpci.deploy.KServeDeployer;
import io.kfpci.k8s.Clusters;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jenkins.MasterToSlaveFileCallable;

/**
 * Applies an InferenceService on the cluster the agent can reach (its kubeconfig or, in a pod, its
 * service account: the cluster credential stays where the agent's operator put it) and waits for
 * it to be Ready, rolling back when it is not ({@link KServeDeployer}, as {@code kfpci deploy}).
 * The manifest was built on the controller from the run it stored.
 */
public final class AgentDeploy extends MasterToSlaveFileCallable<AgentDeploy.Deployed> {
  private static final long serialVersionUID = 1L;

  private final String manifestYaml;
  private final String kubeconfig;
  private final String context;
  private final long timeoutSeconds;

  /** @param kubeconfig relative to the workspace or absolute on the agent; "" for the agent's default */
  public AgentDeploy(String manifestYaml, String kubeconfig, String context, long timeoutSeconds) {
    this.manifestYaml = manifestYaml;
    this.kubeconfig = kubeconfig;
    this.context = context;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** The outcome: progress lines, whether it was new, its URL; or the error when it failed. */
  public record Deployed(List<String> lines, boolean created, String url, String error) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Deployed {
      lines = List.copyOf(lines);
    }
  }

  @Override
  public Deployed invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
    List<String> lines = new ArrayList<>();
    Path config = kubeconfig.isEmpty() ? null : Workspaces.resolve(workspace.toPath(), kubeconfig);
    GenericKubernetesResource manifest = Serialization.unmarshal(manifestYaml, GenericKubernetesResource.class);
    try (KubernetesClient client = Clusters.connect(config, context.isEmpty() ? null : context)) {
      KServeDeployer.Outcome outcome = new KServeDeployer(client, Duration.ofSeconds(timeoutSeconds),
          Duration.ofSeconds(2)).deploy(manifest, lines::add);
      return new Deployed(lines, outcome.created(), outcome.url() == null ? "" : outcome.url(), null);
    } catch (KfpException e) {
      return new Deployed(lines, false, "", e.getMessage());
    }
  }
}
