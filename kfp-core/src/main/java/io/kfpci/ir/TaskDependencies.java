package io.kfpci.ir;

import io.kfpci.ir.proto.PipelineTaskSpec;
import io.kfpci.ir.proto.TaskInputsSpec;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a task waits for within its DAG, as the KFP backend reads it: its explicit dependentTasks
 * plus every sibling whose output (or final status) it reads. The validator's cycle check and the
 * local runner's scheduling use this one definition.
 */
public final class TaskDependencies {
  private TaskDependencies() {}

  /** The sibling tasks a task waits for: explicit dependencies and every producer it reads. */
  public static Set<String> upstream(PipelineTaskSpec task) {
    Set<String> out = new LinkedHashSet<>(task.getDependentTasksList());
    out.addAll(dataProducers(task));
    return out;
  }

  /** The sibling tasks whose outputs (or final status) a task reads. */
  public static Set<String> dataProducers(PipelineTaskSpec task) {
    Set<String> out = new LinkedHashSet<>();
    for (TaskInputsSpec.InputParameterSpec p : task.getInputs().getParametersMap().values()) {
      if (p.hasTaskOutputParameter()) {
        out.add(p.getTaskOutputParameter().getProducerTask());
      } else if (p.hasTaskFinalStatus()) {
        out.add(p.getTaskFinalStatus().getProducerTask());
      }
    }
    for (TaskInputsSpec.InputArtifactSpec a : task.getInputs().getArtifactsMap().values()) {
      if (a.hasTaskOutputArtifact()) {
        out.add(a.getTaskOutputArtifact().getProducerTask());
      }
    }
    return out;
  }
}
