package io.kfpci.k8s;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.proto.ComponentSpec;
import io.kfpci.ir.proto.PipelineDeploymentConfig.ExecutorSpec;
import io.kfpci.ir.proto.PipelineTaskSpec;
import io.kfpci.ir.proto.k8s.KubernetesExecutorConfig;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Scheduling preflight: would the cluster's nodes take these pods at all? A GPU pod that no node
 * can take stays Pending until the build times out; this says so at once, with the reason
 * ({@code no schedulable node offers 2 x nvidia-a100 (largest: 1 x Tesla-T4 on node gpu-pool-1)}).
 * It checks node allocatable resources, labels and taints, as the scheduler's filters do; it does
 * not subtract what running pods already use, so a pass means "possible", not "free now".
 */
public final class Preflight {
  private Preflight() {}

  /** The verdict for one pod: the nodes that could take it, or why none can. */
  public record Verdict(PodDemand demand, List<String> fittingNodes, String reason) {
    public Verdict {
      fittingNodes = List.copyOf(fittingNodes);
    }

    public boolean fits() {
      return !fittingNodes.isEmpty();
    }

    /** One line: {@code task train: fits on 2 nodes (gpu-a100-1, gpu-a100-2)} or the reason. */
    public String line() {
      if (fits()) {
        return demand.who() + ": " + demand.describe() + " fits on " + fittingNodes.size()
            + (fittingNodes.size() == 1 ? " node (" : " nodes (") + String.join(", ", fittingNodes.subList(0, Math.min(5, fittingNodes.size())))
            + (fittingNodes.size() > 5 ? ", ..." : "") + ")";
      }
      return demand.who() + ": " + reason;
    }
  }

  /** Lists the cluster's nodes. */
  public static List<NodeCapacity> nodes(KubernetesClient client) throws K8sException {
    try {
      return client.nodes().list().getItems().stream().map(NodeCapacity::of).toList();
    } catch (KubernetesClientException e) {
      String server = client.getConfiguration().getMasterUrl();
      if (e.getCode() == 401 || e.getCode() == 403) {
        throw new K8sException("cannot list nodes at " + server + ": " + (e.getCode() == 401 ? "unauthorized" : "forbidden")
            + " (HTTP " + e.getCode() + "); the preflight needs permission to list nodes (a ClusterRole with "
            + "nodes: [list])", e, false);
      }
      throw new K8sException("cannot list nodes at " + server + ": " + (e.getCode() > 0 ? "HTTP " + e.getCode() + " " : "cannot reach the API server, ")
          + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : rootMessage(e)),
          e, e.getCode() == 0 || e.getCode() >= 500);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    // "UnknownHostException: kubernetes.default.svc" says more than the host name alone.
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  /** Checks every demand against the nodes. */
  public static List<Verdict> check(List<PodDemand> demands, List<NodeCapacity> nodes) {
    return demands.stream().map(d -> check(d, nodes)).toList();
  }

  public static Verdict check(PodDemand demand, List<NodeCapacity> nodes) {
    List<String> fitting = new ArrayList<>();
    for (NodeCapacity node : nodes) {
      if (node.schedulable() && mismatches(demand, node).isEmpty()) {
        fitting.add(node.name());
      }
    }
    if (!fitting.isEmpty()) {
      return new Verdict(demand, fitting, "");
    }
    List<NodeCapacity> schedulable = nodes.stream().filter(NodeCapacity::schedulable).toList();
    StringBuilder reason = new StringBuilder("no schedulable node offers ").append(demand.describe());
    if (schedulable.isEmpty()) {
      reason.append(nodes.isEmpty() ? " (the cluster has no nodes)" : " (every node is cordoned)");
      return new Verdict(demand, List.of(), reason.toString());
    }
    if (demand.gpus() > 0) {
      NodeCapacity largest = schedulable.stream()
          .max(Comparator.comparingLong((NodeCapacity n) -> n.count(demand.gpuResource()))
              .thenComparing(NodeCapacity::name, Comparator.reverseOrder()))
          .orElseThrow();
      long most = largest.count(demand.gpuResource());
      if (most == 0) {
        reason.append(" (no schedulable node has ").append(demand.gpuResource()).append(")");
        return new Verdict(demand, List.of(), reason.toString());
      }
      reason.append(" (largest: ").append(most).append(" x ").append(largest.gpuProduct(demand.gpuResource()))
          .append(" on node ").append(largest.name());
      // A node with enough GPUs that is kept off by its labels, taints or CPU says what to change.
      Optional<NodeCapacity> enough = schedulable.stream()
          .filter(n -> n.count(demand.gpuResource()) >= demand.gpus())
          .min(Comparator.comparingInt((NodeCapacity n) -> mismatches(demand, n).size()).thenComparing(NodeCapacity::name));
      if (enough.isPresent()) {
        reason.append("; node ").append(enough.get().name()).append(" has enough GPUs but ")
            .append(String.join(", ", mismatches(demand, enough.get())));
      }
      return new Verdict(demand, List.of(), reason.append(")").toString());
    }
    NodeCapacity closest = schedulable.stream()
        .min(Comparator.comparingInt((NodeCapacity n) -> mismatches(demand, n).size()).thenComparing(NodeCapacity::name))
        .orElseThrow();
    reason.append(" (closest: node ").append(closest.name()).append(", which ")
        .append(String.join(", ", mismatches(demand, closest))).append(")");
    return new Verdict(demand, List.of(), reason.toString());
  }

  /** Why a node cannot take the pod, one phrase each; empty when it can. */
  static List<String> mismatches(PodDemand demand, NodeCapacity node) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : demand.nodeSelector().entrySet()) {
      String has = node.labels().get(e.getKey());
      if (has == null) {
        out.add("lacks label " + e.getKey() + "=" + e.getValue());
      } else if (!has.equals(e.getValue())) {
        out.add("has label " + e.getKey() + "=" + has + ", not " + e.getValue());
      }
    }
    for (NodeCapacity.NodeTaint taint : node.taints()) {
      if (taint.blocksScheduling() && demand.tolerations().stream().noneMatch(t -> t.tolerates(taint))) {
        out.add("has taint " + taint + " that the pod does not tolerate");
      }
    }
    if (demand.gpus() > 0 && node.count(demand.gpuResource()) < demand.gpus()) {
      out.add("has " + node.count(demand.gpuResource()) + " x " + demand.gpuResource());
    }
    if (demand.cpu() != null && less(node.allocatable().get("cpu"), demand.cpu())) {
      out.add("has " + shown(node.allocatable().get("cpu")) + " CPU allocatable");
    }
    if (demand.memory() != null && less(node.allocatable().get("memory"), demand.memory())) {
      out.add("has " + shown(node.allocatable().get("memory")) + " memory allocatable");
    }
    return out;
  }

  private static boolean less(Quantity has, Quantity needs) {
    BigDecimal available = has == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(has);
    return available.compareTo(Quantity.getAmountInBytes(needs)) < 0;
  }

  private static String shown(Quantity q) {
    return q == null ? "no" : q.toString();
  }

  /** The demand of an agent pod made by {@link AgentPods}. */
  public static PodDemand demandOf(AgentPodSpec spec) {
    Pod pod = AgentPods.pod(spec);
    List<PodDemand.PodToleration> tolerations = new ArrayList<>();
    for (Toleration t : pod.getSpec().getTolerations()) {
      tolerations.add(new PodDemand.PodToleration(t.getKey(), t.getOperator(), t.getValue(), t.getEffect()));
    }
    Map<String, String> selector = pod.getSpec().getNodeSelector() == null ? Map.of() : pod.getSpec().getNodeSelector();
    return new PodDemand("agent pod", spec.gpus() > 0 ? spec.vendor().resource() : null, spec.gpus(),
        gpuLabel(selector, spec.vendor().resource()), spec.cpu(), spec.memory(), selector, tolerations);
  }

  /**
   * The demands of a pipeline's container tasks that ask for anything (an accelerator, CPU,
   * memory, a node selector), nested DAGs included, from the IR's resources and the kubernetes
   * platform spec.
   */
  public static List<PodDemand> demandsOf(PipelineDocument doc) throws K8sException {
    List<PodDemand> out = new ArrayList<>();
    collect(doc, doc.spec().getRoot(), "", out, 0);
    return out;
  }

  private static void collect(PipelineDocument doc, ComponentSpec owner, String prefix, List<PodDemand> out, int depth)
      throws K8sException {
    if (depth > 32) {
      return; // recursion is the validator's to report
    }
    for (Map.Entry<String, PipelineTaskSpec> e : new TreeMap<>(owner.getDag().getTasksMap()).entrySet()) {
      String path = prefix + e.getKey();
      Optional<ComponentSpec> component = doc.component(e.getValue().getComponentRef().getName());
      if (component.isEmpty()) {
        continue;
      }
      if (component.get().hasDag()) {
        collect(doc, component.get(), path + "/", out, depth + 1);
        continue;
      }
      String label = component.get().getExecutorLabel();
      Optional<ExecutorSpec> executor = doc.executor(label);
      if (executor.isEmpty() || !executor.get().hasContainer()) {
        continue;
      }
      demandOf("task " + path, executor.get().getContainer().getResources(), doc.kubernetesExecutors().get(label))
          .ifPresent(out::add);
    }
  }

  private static Optional<PodDemand> demandOf(String who,
      io.kfpci.ir.proto.PipelineDeploymentConfig.PipelineContainerSpec.ResourceSpec resources,
      KubernetesExecutorConfig k8s) throws K8sException {
    var accelerator = resources.getAccelerator();
    String type = !accelerator.getResourceType().isEmpty() ? accelerator.getResourceType() : accelerator.getType();
    long count;
    try {
      count = !accelerator.getResourceCount().isEmpty() ? Long.parseLong(accelerator.getResourceCount())
          : accelerator.getCount();
    } catch (NumberFormatException ex) {
      throw new K8sException(who + ": accelerator count '" + accelerator.getResourceCount() + "' is not a whole number");
    }
    if (!type.isEmpty() && count == 0) {
      count = 1;
    }
    String resource = type.isEmpty() ? null : resourceName(type);
    Quantity cpu = quantity(who, "CPU", first(resources.getResourceCpuRequest(), resources.getResourceCpuLimit()));
    Quantity memory = quantity(who, "memory", first(resources.getResourceMemoryRequest(), resources.getResourceMemoryLimit()));
    Map<String, String> selector = new LinkedHashMap<>();
    List<PodDemand.PodToleration> tolerations = new ArrayList<>();
    if (k8s != null) {
      selector.putAll(new TreeMap<>(k8s.getNodeSelector().getLabelsMap()));
      for (var t : k8s.getTolerationsList()) {
        tolerations.add(new PodDemand.PodToleration(t.getKey(), t.getOperator(), t.getValue(), t.getEffect()));
      }
    }
    if (resource == null && cpu == null && memory == null && selector.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new PodDemand(who, resource, resource == null ? 0 : count, gpuLabel(selector, resource),
        cpu, memory, selector, tolerations));
  }

  /**
   * The extended resource of an accelerator type: {@code nvidia.com/gpu} as written, or the
   * backend's mapping of the older names ({@code NVIDIA_TESLA_T4} is an NVIDIA GPU).
   */
  static String resourceName(String type) {
    if (type.contains("/")) {
      return type;
    }
    return type.toUpperCase(java.util.Locale.ROOT).startsWith("AMD") ? GpuVendor.AMD.resource() : GpuVendor.NVIDIA.resource();
  }

  private static String gpuLabel(Map<String, String> selector, String resource) {
    for (String key : NodeCapacity.GPU_PRODUCT_LABELS) {
      if (selector.containsKey(key)) {
        return selector.get(key);
      }
    }
    return resource == null ? "" : resource;
  }

  private static String first(String a, String b) {
    return a.isEmpty() ? b : a;
  }

  private static Quantity quantity(String who, String what, String value) throws K8sException {
    if (value.isEmpty()) {
      return null;
    }
    try {
      Quantity q = new Quantity(value);
      Quantity.getAmountInBytes(q);
      return q;
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new K8sException(who + ": " + what + " '" + value + "' is not a Kubernetes quantity");
    }
  }
}
