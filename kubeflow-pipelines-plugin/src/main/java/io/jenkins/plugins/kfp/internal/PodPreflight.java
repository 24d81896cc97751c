package io.jenkins.plugins.kfp.internal;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kfpci.KfpException;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.k8s.AgentPodSpec;
import io.kfpci.k8s.Clusters;
import io.kfpci.k8s.K8sException;
import io.kfpci.k8s.NodeCapacity;
import io.kfpci.k8s.PodDemand;
import io.kfpci.k8s.Preflight;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code kfpAgentPod preflight: true} and {@code kfpRun preflight: true} without Jenkins, as
 * {@code kfpci preflight} checks an agent pod or a pipeline's tasks: could some node of the
 * cluster take each pod at all (GPUs by product, labels, taints, CPU and memory; {@link Preflight})?
 * The cluster is reached from the controller with an endpoint's Kubernetes settings: a
 * kubeconfig's content (a credential's secret file, never written to disk) or the controller's
 * own service account. Every request has the core's deadlines.
 */
public final class PodPreflight {
  private PodPreflight() {}

  /**
   * The verdict: the console lines ({@code ok    agent pod: ... fits on 2 nodes (...)} or
   * {@code FAIL  agent pod: no schedulable node offers ...}, then the conclusion), whether every
   * pod fits, and the core's reasons when some do not ("" when all do).
   */
  public record Checked(List<String> lines, boolean passed, String failure) {
    public Checked {
      lines = List.copyOf(lines);
    }
  }

  /** A preflight that found a pod no node can take: nothing is to be sent to the cluster or KFP. */
  public static final class RefusedException extends KfpException {
    private static final long serialVersionUID = 1L;
    private final String failure;

    public RefusedException(String failure) {
      super("preflight failed: " + failure);
      this.failure = failure;
    }

    /** The core's reason, one {@code <who>: <why>} per pod that fits on no node, joined by "; ". */
    public String failure() {
      return failure;
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
    return check(List.of(Preflight.demandOf(spec)), kubeconfig, "the pod fits");
  }

  /**
   * The tasks of a compiled pipeline ({@code content}, named {@code fileName} in messages) that ask
   * for an accelerator, CPU, memory or node labels, each against the cluster's nodes. A pipeline
   * whose tasks ask for nothing passes without a call to the cluster.
   */
  public static Checked check(String fileName, byte[] content, String kubeconfig) throws KfpException {
    List<PodDemand> demands = Preflight.demandsOf(PipelineLoader.load(fileName, content));
    if (demands.isEmpty()) {
      return new Checked(List.of("preflight: no task of " + fileName + " asks for GPUs, CPU, memory or node labels; "
          + "nothing to check"), true, "");
    }
    return check(demands, kubeconfig, "every task fits");
  }

  /**
   * {@code kfpRun preflight: true}: {@link #check(String, byte[], String)} with its lines on
   * {@code console}, throwing {@link RefusedException} when a task fits on no node.
   */
  public static void require(String fileName, byte[] content, String kubeconfig, Consumer<String> console)
      throws KfpException {
    Checked checked = check(fileName, content, kubeconfig);
    checked.lines().forEach(line -> console.accept("[kfp] " + line));
    if (!checked.passed()) {
      throw new RefusedException(checked.failure());
    }
  }

  private static Checked check(List<PodDemand> demands, String kubeconfig, String allFit) throws KfpException {
    List<NodeCapacity> nodes;
    try (KubernetesClient client = client(kubeconfig)) {
      nodes = Preflight.nodes(client);
    }
    List<String> lines = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Preflight.Verdict verdict : Preflight.check(demands, nodes)) {
      lines.add((verdict.fits() ? "ok    " : "FAIL  ") + verdict.line());
      if (!verdict.fits()) {
        failures.add(verdict.line());
      }
    }
    lines.add(failures.isEmpty()
        ? "preflight passed: " + allFit + " on some node of the " + nodes.size() + "-node cluster"
        : "preflight failed: a pod that fits on no node would stay Pending; change its requests or the cluster");
    return new Checked(lines, failures.isEmpty(), String.join("; ", failures));
  }
}
