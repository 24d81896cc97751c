package io.kfpci.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kfpci.compile.CompileRequest;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.k8s.Clusters;
import io.kfpci.k8s.NodeCapacity;
import io.kfpci.k8s.PodDemand;
import io.kfpci.k8s.Preflight;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kfpci preflight}: would the cluster's nodes take these pods at all? (docs/gpu.md) */
@Command(name = "preflight",
    description = {"Check that some node of the cluster can take each GPU (or CPU- and memory-hungry) task of a "
        + "pipeline, or an agent pod, before anything is submitted: allocatable GPUs by product, labels and taints.",
        "Exit code: 0 every pod fits, 1 a pod fits on no node (the line says why)."})
final class PreflightCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "PIPELINE", arity = "0..1",
      description = "A pipeline (.py, compiled first, or compiled IR) whose tasks to check.")
  Path pipeline;

  @Mixin AgentPodOptions pod;

  @Mixin PythonOptions python;

  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig (default: $KUBECONFIG, ~/.kube/config, or in-cluster).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "CONTEXT", description = "Kubeconfig context (default: its current context).")
  String context;

  @Override
  public Integer call() throws Exception {
    List<PodDemand> demands = new ArrayList<>();
    if (pipeline != null) {
      demands.addAll(Preflight.demandsOf(load(pipeline)));
    }
    if (pod.asksForResources()) {
      demands.add(Preflight.demandOf(pod.spec()));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (demands.isEmpty()) {
      if (pipeline == null) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "nothing to check: give a PIPELINE, or an agent pod's --gpus/--cpu/--memory/--node-selector");
      }
      out.println("preflight: no task of " + pipeline + " asks for GPUs, CPU, memory or node labels; nothing to check");
      return ExitCodes.OK;
    }
    List<NodeCapacity> nodes;
    try (KubernetesClient client = Clusters.connect(kubeconfig, context)) {
      nodes = Preflight.nodes(client);
    }
    boolean allFit = true;
    for (Preflight.Verdict v : Preflight.check(demands, nodes)) {
      out.println((v.fits() ? "ok    " : "FAIL  ") + v.line());
      allFit &= v.fits();
    }
    out.println(allFit ? "preflight passed: every pod fits on some node of the " + nodes.size() + "-node cluster"
        : "preflight failed: a pod that fits on no node would stay Pending; change its requests or the cluster");
    out.flush();
    return allFit ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private PipelineDocument load(Path file) throws Exception {
    if (!file.getFileName().toString().endsWith(".py")) {
      return PipelineLoader.load(file);
    }
    Path work = Files.createTempDirectory("kfpci-preflight");
    try {
      return python.compiler().compile(CompileRequest.builder(file).kfpVersion(python.kfpVersion)
          .output(work.resolve("pipeline.yaml")).build()).document();
    } finally {
      try (var files = Files.walk(work)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
