package io.kfpci.local.internal;

import io.kfpci.ir.TaskDependencies;


import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.proto.ComponentSpec;
import io.kfpci.ir.proto.DagSpec;
import io.kfpci.ir.proto.PipelineDeploymentConfig.ExecutorSpec;
import io.kfpci.ir.proto.PipelineTaskSpec;
import io.kfpci.ir.proto.TaskInputsSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The static side of a run: the pipeline's IR, and how its DAGs become nodes. Immutable and
 * thread-safe; every lookup is by name in the IR maps.
 */
public final class Plan {
  private final PipelineDocument document;
  private final RunValues run;

  /** A plan to inspect the pipeline with, outside a run: runtime placeholders stay as written. */
  public Plan(PipelineDocument document) {
    this(document, null);
  }

  /** The plan of one run, whose runtime placeholders in task input constants resolve to {@code run}. */
  public Plan(PipelineDocument document, RunValues run) {
    this.document = document;
    this.run = run;
  }

  public PipelineDocument document() {
    return document;
  }

  /** The run's values for runtime placeholders; empty for a plan made outside a run. */
  public Optional<RunValues> run() {
    return Optional.ofNullable(run);
  }

  public String pipelineName() {
    return document.pipelineName();
  }

  /** A component by name; "" is the root DAG. */
  public ComponentSpec component(String name) {
    if (name.isEmpty()) {
      return document.spec().getRoot();
    }
    ComponentSpec spec = document.spec().getComponentsMap().get(name);
    if (spec == null) {
      throw new IllegalStateException("the pipeline has no component '" + name + "'");
    }
    return spec;
  }

  public Optional<ExecutorSpec> executor(String componentName) {
    ComponentSpec spec = component(componentName);
    return spec.hasDag() ? Optional.empty() : document.executor(spec.getExecutorLabel());
  }

  /** The component whose DAG holds the children of a scope ("" = root, else a DAG or iteration node). */
  public ComponentSpec scopeComponent(RunState state, String scopeId) {
    return scopeId.isEmpty() ? component("") : component(state.require(scopeId).componentName());
  }

  /** The IR task a node instantiates; an iteration answers with its loop's task. */
  public PipelineTaskSpec taskSpec(RunState state, Node node) {
    if (node.kind() == Kind.ITERATION) {
      return taskSpec(state, state.require(node.parentId()));
    }
    DagSpec dag = scopeComponent(state, node.parentId()).getDag();
    PipelineTaskSpec spec = dag.getTasksMap().get(node.name());
    if (spec == null) {
      throw new IllegalStateException("no task '" + node.name() + "' in the DAG of '" + node.parentId() + "'");
    }
    return spec;
  }

  public Kind kindOf(PipelineTaskSpec task) {
    if (task.hasParameterIterator() || task.hasArtifactIterator()) {
      return Kind.LOOP;
    }
    ComponentSpec spec = component(task.getComponentRef().getName());
    if (spec.hasDag()) {
      return Kind.DAG;
    }
    return executor(task.getComponentRef().getName()).map(e -> e.hasImporter() ? Kind.IMPORTER : Kind.CONTAINER)
        .orElse(Kind.CONTAINER);
  }

  public String imageOf(String componentName) {
    return executor(componentName).filter(ExecutorSpec::hasContainer).map(e -> e.getContainer().getImage()).orElse("");
  }

  /** Every node known before the run starts: all tasks, nested DAGs included; loops without iterations. */
  public List<Node> initialNodes() {
    return childNodes("", component(""));
  }

  /** Fresh nodes for the tasks of a DAG scope, in dependency order, recursing into nested DAGs. */
  public List<Node> childNodes(String scopeId, ComponentSpec scope) {
    List<Node> out = new ArrayList<>();
    for (String name : orderedTasks(scope.getDag())) {
      PipelineTaskSpec task = scope.getDag().getTasksMap().get(name);
      String component = task.getComponentRef().getName();
      Kind kind = kindOf(task);
      String id = Node.childId(scopeId, name);
      out.add(Node.pending(id, name, scopeId, component, kind, null, imageOf(component)));
      if (kind == Kind.DAG) {
        out.addAll(childNodes(id, component(component)));
      }
    }
    return out;
  }

  /** The iterations of a loop node and everything inside them. */
  public List<Node> iterationNodes(Node loop, int count) {
    List<Node> out = new ArrayList<>();
    ComponentSpec body = component(loop.componentName());
    for (int i = 0; i < count; i++) {
      String id = loop.id() + "[" + i + "]";
      out.add(Node.pending(id, loop.name(), loop.id(), loop.componentName(), Kind.ITERATION, i, ""));
      out.addAll(childNodes(id, body));
    }
    return out;
  }


  /**
   * An exit handler's task: it runs whatever happened to the tasks it guards, even when the run is
   * being canceled. The SDK compiles it as "all upstream completed" plus a final-status input or a
   * dependency on an {@code exit-handler-N} group.
   */
  public static boolean isExitTask(PipelineTaskSpec task) {
    if (task.getTriggerPolicy().getStrategy()
        != PipelineTaskSpec.TriggerPolicy.TriggerStrategy.ALL_UPSTREAM_TASKS_COMPLETED) {
      return false;
    }
    boolean finalStatus = task.getInputs().getParametersMap().values().stream()
        .anyMatch(TaskInputsSpec.InputParameterSpec::hasTaskFinalStatus);
    return finalStatus || task.getDependentTasksList().stream().anyMatch(t -> t.startsWith("exit-handler-"));
  }

  /** Task keys of a DAG with every task after its upstream tasks; ties in name order. */
  static List<String> orderedTasks(DagSpec dag) {
    Map<String, PipelineTaskSpec> tasks = new TreeMap<>(dag.getTasksMap());
    List<String> out = new ArrayList<>();
    Set<String> placed = new LinkedHashSet<>();
    while (placed.size() < tasks.size()) {
      boolean progress = false;
      for (Map.Entry<String, PipelineTaskSpec> e : tasks.entrySet()) {
        if (placed.contains(e.getKey())) {
          continue;
        }
        boolean ready = TaskDependencies.upstream(e.getValue()).stream().allMatch(u -> placed.contains(u) || !tasks.containsKey(u));
        if (ready) {
          placed.add(e.getKey());
          out.add(e.getKey());
          progress = true;
        }
      }
      if (!progress) { // a cycle: the validator reports it; keep the rest in name order
        tasks.keySet().stream().filter(k -> !placed.contains(k)).forEach(k -> {
          placed.add(k);
          out.add(k);
        });
      }
    }
    return out;
  }
}
