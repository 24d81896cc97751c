package io.jenkins.plugins.kfp.internal;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kfpci.KfpException;
import io.kfpci.k8s.AgentPodSpec;
import io.kfpci.k8s.Clusters;
import io.kfpci.k8s.K8sException;
import io.kfpci.k8s.NodeCapacity;
import io.kfpci.k8s.Preflight;
import java.util.List;

/**
 * {@code kfpAgentPod preflight: true} without Jenkins, as {@code kfpci preflight} checks an agent
 * pod: could some node of the cluster take it at all (GPUs by product, labels, taints, CPU and
 * memory; {@link Preflight})? The cluster is reached from the controller with an endpoint's
 * Kubernetes settings: a kubeconfig's content (a credential's secret file, never written to disk)
 * or the controller's own service account. Every request has the core's deadlines.
 */
public final class PodPreflight {
  private PodPreflight() {}

  /**
   * The verdict: the console lines ({@code ok    agent pod: ... fits on 2 nodes (...)} or
   * {@code FAIL  agent pod: no schedulable node offers ...}, then the conclusion), whether the pod
   * fits, and the core's reason when it does not ("" when it does).
   */
  public record Checked(List<String> lines, boolean passed, String failure) {
    public Checked {
      lines = List.copyOf(lines);
    }
  }

  private static KubernetesClient client(String kubeconfig) throws K8sException {
    // Clusters never quotes a broken kubeconfig (a secret), whatever parser refused it.
    return kubeconfig == null ? Clusters.connect(null, null) : Clusters.fromKubeconfig(kubeconfig);
  }

  /**
   * @param kubeconfig a kubeconfig's content, or null to use the controller's own cluster access
   *     (its kubeconfig or, in a pod, its service account)
   */
  public static Checked check(AgentPodSpec spec, String kubeconfig) throws KfpException {
    List<NodeCapacity> nodes;
    try (KubernetesClient client = client(kubeconfig)) {
      nodes = Preflight.nodes(client);
    }
    Preflight.Verdict verdict = Preflight.check(Preflight.demandOf(spec), nodes);
    String line = (verdict.fits() ? "ok    " : "FAIL  ") + verdict.line();
    String conclusion = verdict.fits()
        ? "preflight passed: the pod fits on some node of the " + nodes.size() + "-node cluster"
        : "preflight failed: a pod that fits on no node would stay Pending; change its requests or the cluster";
    return new Checked(List.of(line, conclusion), verdict.fits(), verdict.fits() ? "" : verdict.line());
  }
}
