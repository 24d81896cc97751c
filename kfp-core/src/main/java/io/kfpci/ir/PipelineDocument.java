package io.kfpci.ir;

import io.kfpci.ir.proto.ComponentSpec;
import io.kfpci.ir.proto.PipelineDeploymentConfig;
import io.kfpci.ir.proto.PipelineSpec;
import io.kfpci.ir.proto.PlatformSpec;
import io.kfpci.ir.proto.k8s.KubernetesExecutorConfig;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded pipeline package: the PipelineSpec, its deployment config (the executors, which the IR
 * keeps as a free-form Struct and we parse strictly), the optional platform spec with its
 * Kubernetes executor configs, and where every field came from.
 *
 * @param source the file name as the user gave it, with {@code !entry} for archive members
 */
public record PipelineDocument(
    String source,
    PipelineSpec spec,
    PipelineDeploymentConfig deployment,
    PlatformSpec platform,
    Map<String, KubernetesExecutorConfig> kubernetesExecutors,
    SourceMap sourceMap) {

  public PipelineDocument {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(deployment, "deployment");
    Objects.requireNonNull(platform, "platform");
    kubernetesExecutors = Map.copyOf(kubernetesExecutors);
    Objects.requireNonNull(sourceMap, "sourceMap");
  }

  public String pipelineName() {
    return spec.getPipelineInfo().getName();
  }

  public Optional<ComponentSpec> component(String name) {
    return Optional.ofNullable(spec.getComponentsMap().get(name));
  }

  public Optional<PipelineDeploymentConfig.ExecutorSpec> executor(String label) {
    return Optional.ofNullable(deployment.getExecutorsMap().get(label));
  }
}
