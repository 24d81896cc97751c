package io.kfpci.cli;

import io.kfpci.files.AtomicFiles;
import io.kfpci.k8s.AgentPods;
import io.kfpci.k8s.K8sException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kfpci agent-pod}: GPU pod YAML for the Jenkins kubernetes plugin (docs/gpu.md). */
@Command(name = "agent-pod",
    description = "Print pod YAML for podTemplate(yaml: ...) or agent { kubernetes { yaml ... } }: a build container "
        + "with GPUs, node selection, GPU taint tolerations and a memory-backed /dev/shm.")
final class AgentPodCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin AgentPodOptions pod;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the YAML to FILE instead of the console.")
  Path output;

  @Override
  public Integer call() throws K8sException {
    String yaml = AgentPods.yaml(pod.spec());
    if (output == null) {
      spec.commandLine().getOut().print(yaml);
      spec.commandLine().getOut().flush();
    } else {
      try {
        AtomicFiles.write(output, yaml);
      } catch (IOException e) {
        throw new K8sException("cannot write " + output + ": " + e, e, false);
      }
      spec.commandLine().getOut().println("pod YAML written to " + output);
    }
    return 0;
  }
}
