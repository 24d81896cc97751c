package io.kfpci.validate.internal;

import io.kfpci.files.SafePaths;
import io.kfpci.ir.FieldPath;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.proto.ComponentSpec;
import io.kfpci.ir.proto.DagSpec;
import io.kfpci.ir.proto.PipelineTaskSpec;
import io.kfpci.problem.Rule;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * KFP013: every name that a runner may turn into a file or directory name is one safe path
 * segment ({@link SafePaths#problem(String)}): task, component and executor names, the names of
 * inputs and outputs, DAG outputs and loop items. The local runner makes a task's directory from
 * its name and an output's file from the output's name, so a name such as {@code ../../x} or
 * {@code /etc/x} would reach outside the run; it is refused here, before anything runs.
 */
public final class NameRules {
  private static final String HINT =
      "the local runner makes files and directories from these names; use letters, digits, '-', '_' and '.'";

  private NameRules() {}

  public static void check(PipelineDocument doc, ProblemSink sink) {
    for (String name : doc.spec().getComponentsMap().keySet()) {
      check("component name", name, FieldPath.of("components", name), sink);
    }
    for (String label : doc.deployment().getExecutorsMap().keySet()) {
      check("executor name", label, FieldPath.of("deploymentSpec", "executors", label), sink);
    }
    for (String label : doc.kubernetesExecutors().keySet()) {
      check("executor name", label,
          FieldPath.of("platformSpec", "platforms", "kubernetes", "deploymentSpec", "executors", label), sink);
    }
    if (doc.spec().hasRoot()) {
      component("the root", doc.spec().getRoot(), FieldPath.of("root"), sink);
    }
    doc.spec().getComponentsMap().forEach((name, component) ->
        component("component '" + name + "'", component, FieldPath.of("components", name), sink));
  }

  private static void component(String owner, ComponentSpec component, FieldPath at, ProblemSink sink) {
    FieldPath inputs = at.key("inputDefinitions");
    keys("input parameter name of " + owner, component.getInputDefinitions().getParametersMap().keySet(),
        inputs.key("parameters"), sink);
    keys("input artifact name of " + owner, component.getInputDefinitions().getArtifactsMap().keySet(),
        inputs.key("artifacts"), sink);
    FieldPath outputs = at.key("outputDefinitions");
    keys("output parameter name of " + owner, component.getOutputDefinitions().getParametersMap().keySet(),
        outputs.key("parameters"), sink);
    keys("output artifact name of " + owner, component.getOutputDefinitions().getArtifactsMap().keySet(),
        outputs.key("artifacts"), sink);
    if (!component.hasDag()) {
      return;
    }
    DagSpec dag = component.getDag();
    FieldPath dagAt = at.key("dag");
    keys("DAG output parameter name of " + owner, dag.getOutputs().getParametersMap().keySet(),
        dagAt.key("outputs").key("parameters"), sink);
    keys("DAG output artifact name of " + owner, dag.getOutputs().getArtifactsMap().keySet(),
        dagAt.key("outputs").key("artifacts"), sink);
    for (Map.Entry<String, PipelineTaskSpec> entry : dag.getTasksMap().entrySet()) {
      FieldPath taskAt = dagAt.key("tasks").key(entry.getKey());
      check("task name in " + owner, entry.getKey(), taskAt, sink);
      task("task '" + entry.getKey() + "'", entry.getValue(), taskAt, sink);
    }
  }

  private static void task(String owner, PipelineTaskSpec task, FieldPath at, ProblemSink sink) {
    keys("input parameter name of " + owner, task.getInputs().getParametersMap().keySet(),
        at.key("inputs").key("parameters"), sink);
    keys("input artifact name of " + owner, task.getInputs().getArtifactsMap().keySet(),
        at.key("inputs").key("artifacts"), sink);
    if (task.hasParameterIterator() && !task.getParameterIterator().getItemInput().isEmpty()) {
      check("loop item name of " + owner, task.getParameterIterator().getItemInput(),
          at.key("parameterIterator").key("itemInput"), sink);
    }
    if (task.hasArtifactIterator() && !task.getArtifactIterator().getItemInput().isEmpty()) {
      check("loop item name of " + owner, task.getArtifactIterator().getItemInput(),
          at.key("artifactIterator").key("itemInput"), sink);
    }
  }

  private static void keys(String what, Set<String> names, FieldPath at, ProblemSink sink) {
    for (String name : names) {
      check(what, name, at.key(name), sink);
    }
  }

  private static void check(String what, String name, FieldPath at, ProblemSink sink) {
    Optional<String> problem = SafePaths.problem(name);
    problem.ifPresent(reason -> sink.error(Rule.SAFE_NAME, at,
        what + " '" + name + "' cannot be used as a file name: " + reason, HINT));
  }
}
