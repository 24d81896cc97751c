package io.kfpci.local.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.ir.proto.ComponentInputsSpec;
import io.kfpci.ir.proto.ComponentSpec;
import io.kfpci.ir.proto.DagOutputsSpec;
import io.kfpci.ir.proto.PipelineTaskSpec;
import io.kfpci.ir.proto.TaskInputsSpec;
import io.kfpci.ir.proto.ValueOrRuntimeParameter;
import io.kfpci.report.RuntimeState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where values come from: a task's inputs resolved in its parent scope (constants, the parent's
 * inputs, sibling outputs, final statuses, loop items), and what a DAG, iteration or loop outputs
 * (selected, one-of, or collected from its children). Pure functions of the plan and a run state.
 */
public final class Scopes {
  private Scopes() {}

  /**
   * Resolved inputs. {@code problems} lists required inputs without a value; a task with problems
   * cannot run.
   */
  public record Inputs(Map<String, JsonNode> parameters, Map<String, List<Artifact>> artifacts, List<String> problems) {
    public Inputs {
      parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
      artifacts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(artifacts));
      problems = List.copyOf(problems);
    }
  }

  /** The inputs visible inside a scope: the run parameters at the root, else the DAG node's inputs. */
  public static Inputs scopeInputs(Plan plan, RunState state, String scopeId) throws Cel.CelException {
    if (scopeId.isEmpty()) {
      return new Inputs(state.parameters(), Map.of(), List.of());
    }
    Node node = state.require(scopeId);
    if (node.kind() != Kind.ITERATION) {
      return taskInputs(plan, state, node);
    }
    Node loop = state.require(node.parentId());
    Inputs loopInputs = taskInputs(plan, state, loop);
    PipelineTaskSpec loopTask = plan.taskSpec(state, loop);
    Map<String, JsonNode> parameters = new LinkedHashMap<>(loopInputs.parameters());
    Map<String, List<Artifact>> artifacts = new LinkedHashMap<>(loopInputs.artifacts());
    LoopItems items = loopItems(plan, state, loop);
    int i = node.iteration();
    if (loopTask.hasParameterIterator()) {
      parameters.put(loopTask.getParameterIterator().getItemInput(), items.parameters().get(i));
    } else {
      artifacts.put(loopTask.getArtifactIterator().getItemInput(), List.of(items.artifacts().get(i)));
    }
    return new Inputs(parameters, artifacts, loopInputs.problems());
  }

  /**
   * A task's inputs: what its task spec binds, read in the parent scope, then the component's
   * defaults for what is left. Inputs whose producer did not succeed are simply absent (a task that
   * ignores upstream failures then gets its default).
   */
  public static Inputs taskInputs(Plan plan, RunState state, Node node) throws Cel.CelException {
    PipelineTaskSpec task = plan.taskSpec(state, node);
    Inputs scope = scopeInputs(plan, state, node.parentId());
    ComponentSpec component = plan.component(task.getComponentRef().getName());
    Map<String, ComponentInputsSpec.ParameterSpec> declared = component.getInputDefinitions().getParametersMap();
    Map<String, JsonNode> parameters = new LinkedHashMap<>();
    for (Map.Entry<String, TaskInputsSpec.InputParameterSpec> e : task.getInputs().getParametersMap().entrySet()) {
      Optional<JsonNode> value = parameter(plan, state, node, scope, e.getValue());
      if (value.isPresent()) {
        JsonNode v = value.get();
        if (!e.getValue().getParameterExpressionSelector().isEmpty()) {
          v = Cel.select(v, e.getValue().getParameterExpressionSelector());
        }
        ComponentInputsSpec.ParameterSpec spec = declared.get(e.getKey());
        parameters.put(e.getKey(), spec == null ? v : JsonValues.typed(v, spec.getParameterType()));
      }
    }
    Map<String, List<Artifact>> artifacts = new LinkedHashMap<>();
    for (Map.Entry<String, TaskInputsSpec.InputArtifactSpec> e : task.getInputs().getArtifactsMap().entrySet()) {
      artifact(plan, state, node.parentId(), scope, e.getValue()).ifPresent(list -> artifacts.put(e.getKey(), list));
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, ComponentInputsSpec.ParameterSpec> e : declared.entrySet()) {
      if (parameters.containsKey(e.getKey())) {
        continue;
      }
      if (e.getValue().hasDefaultValue()) {
        parameters.put(e.getKey(), JsonValues.typed(JsonValues.of(e.getValue().getDefaultValue()),
            e.getValue().getParameterType()));
      } else if (!e.getValue().getIsOptional()) {
        problems.add("input parameter '" + e.getKey() + "' has no value");
      }
    }
    for (Map.Entry<String, ComponentInputsSpec.ArtifactSpec> e :
        component.getInputDefinitions().getArtifactsMap().entrySet()) {
      if (!artifacts.containsKey(e.getKey()) && !e.getValue().getIsOptional()) {
        problems.add("input artifact '" + e.getKey() + "' has no value");
      }
    }
    return new Inputs(parameters, artifacts, problems);
  }

  private static Optional<JsonNode> parameter(Plan plan, RunState state, Node node, Inputs scope,
      TaskInputsSpec.InputParameterSpec spec) {
    String scopeId = node.parentId();
    switch (spec.getKindCase()) {
      case COMPONENT_INPUT_PARAMETER -> {
        return Optional.ofNullable(scope.parameters().get(spec.getComponentInputParameter()));
      }
      case RUNTIME_VALUE -> {
        ValueOrRuntimeParameter value = spec.getRuntimeValue();
        if (value.hasConstant()) {
          JsonNode constant = JsonValues.of(value.getConstant());
          // The driver resolves runtime placeholders in constants before the task sees them.
          return Optional.of(values(plan, state).resolveConstant(constant, node.name(), scopeId)
              .<JsonNode>map(JsonValues.JSON.getNodeFactory()::textNode).orElse(constant));
        }
        if (value.hasRuntimeParameter()) {
          return Optional.ofNullable(scope.parameters().get(value.getRuntimeParameter()));
        }
        if (value.hasConstantValue()) {
          io.kfpci.ir.proto.Value legacy = value.getConstantValue();
          return Optional.of(switch (legacy.getValueCase()) {
            case INT_VALUE -> JsonValues.JSON.getNodeFactory().numberNode(legacy.getIntValue());
            case DOUBLE_VALUE -> JsonValues.JSON.getNodeFactory().numberNode(legacy.getDoubleValue());
            case STRING_VALUE -> JsonValues.JSON.getNodeFactory().textNode(legacy.getStringValue());
            case VALUE_NOT_SET -> JsonValues.JSON.nullNode();
          });
        }
        return Optional.empty();
      }
      case TASK_OUTPUT_PARAMETER -> {
        Optional<Node> producer = state.node(Node.childId(scopeId, spec.getTaskOutputParameter().getProducerTask()));
        return producer.filter(p -> p.state() == RuntimeState.SUCCEEDED)
            .map(p -> outputParameters(plan, state, p).get(spec.getTaskOutputParameter().getOutputParameterKey()));
      }
      case TASK_FINAL_STATUS -> {
        return state.node(Node.childId(scopeId, spec.getTaskFinalStatus().getProducerTask()))
            .map(p -> finalStatus(values(plan, state), p));
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  private static Optional<List<Artifact>> artifact(Plan plan, RunState state, String scopeId, Inputs scope,
      TaskInputsSpec.InputArtifactSpec spec) {
    if (spec.hasComponentInputArtifact()) {
      return Optional.ofNullable(scope.artifacts().get(spec.getComponentInputArtifact()));
    }
    if (spec.hasTaskOutputArtifact()) {
      Optional<Node> producer = state.node(Node.childId(scopeId, spec.getTaskOutputArtifact().getProducerTask()));
      return producer.filter(p -> p.state() == RuntimeState.SUCCEEDED)
          .map(p -> outputArtifacts(plan, state, p).get(spec.getTaskOutputArtifact().getOutputArtifactKey()));
    }
    return Optional.empty();
  }

  /**
   * The run's placeholder values; a plan made outside a run (tests of the decide function) gets
   * them from the state, with the workspace relative to the current directory.
   */
  static RunValues values(Plan plan, RunState state) {
    return plan.run().orElseGet(() -> new RunValues(plan.pipelineName(), state.runId(), state.createdAt(),
        java.nio.file.Path.of("")));
  }

  /**
   * PipelineTaskFinalStatus exactly as the KFP driver builds it for an exit handler (resolve.go,
   * task final status): {@code state} is the producer's MLMD execution state name (see
   * {@link #mlmdState}), {@code pipelineTaskName} its task name, {@code pipelineJobResourceName}
   * the run's resource name (the Workflow name, which starts with the pipeline name), and
   * {@code error} an empty Status: the driver fills neither code nor message, on success or
   * failure, so neither do we (a component written against this runner then behaves the same on a
   * cluster). Keys are protojson names, as the driver marshals them.
   */
  static JsonNode finalStatus(RunValues run, Node producer) {
    ObjectNode status = JsonValues.JSON.createObjectNode();
    status.put("state", mlmdState(producer));
    status.put("pipelineJobResourceName", run.jobResourceName());
    status.put("pipelineTaskName", producer.name());
    status.putObject("error");
    return status;
  }

  /**
   * The MLMD execution state a node would have on a cluster: COMPLETE, or CACHED for a cache hit;
   * FAILED; CANCELED for a canceled task and for one that was not triggered (a false condition or a
   * failed upstream: the driver publishes such an execution as CANCELED); RUNNING or NEW while it
   * is not done.
   */
  static String mlmdState(Node node) {
    return switch (node.state()) {
      case SUCCEEDED -> node.cached() ? "CACHED" : "COMPLETE";
      case FAILED -> "FAILED";
      case CANCELED, CANCELING, SKIPPED -> "CANCELED";
      case RUNNING, PAUSED -> "RUNNING";
      case PENDING -> "NEW";
    };
  }

  /** Output parameters: an executor's stored ones, a DAG's selected ones, a loop's collected lists. */
  public static Map<String, JsonNode> outputParameters(Plan plan, RunState state, Node node) {
    if (node.kind().isExecutor()) {
      return node.outputParameters();
    }
    if (node.kind() == Kind.LOOP) {
      Map<String, JsonNode> collected = new LinkedHashMap<>();
      for (String name : plan.component(node.componentName()).getOutputDefinitions().getParametersMap().keySet()) {
        ArrayNode list = JsonValues.JSON.createArrayNode();
        for (Node iteration : state.children(node.id())) {
          if (iteration.state() == RuntimeState.SUCCEEDED) {
            JsonNode value = outputParameters(plan, state, iteration).get(name);
            if (value != null) {
              list.add(value);
            }
          }
        }
        collected.put(name, list);
      }
      return collected;
    }
    DagOutputsSpec outputs = plan.component(node.componentName()).getDag().getOutputs();
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (Map.Entry<String, DagOutputsSpec.DagOutputParameterSpec> e : outputs.getParametersMap().entrySet()) {
      List<DagOutputsSpec.ParameterSelectorSpec> selectors = e.getValue().hasValueFromParameter()
          ? List.of(e.getValue().getValueFromParameter())
          : e.getValue().getValueFromOneof().getParameterSelectorsList();
      for (DagOutputsSpec.ParameterSelectorSpec selector : selectors) {
        Optional<JsonNode> value = state.node(Node.childId(node.id(), selector.getProducerSubtask()))
            .filter(child -> child.state() == RuntimeState.SUCCEEDED)
            .map(child -> outputParameters(plan, state, child).get(selector.getOutputParameterKey()));
        if (value.isPresent()) { // one-of: the first branch that ran
          out.put(e.getKey(), value.get());
          break;
        }
      }
    }
    return out;
  }

  /** Output artifacts, by the same rules as {@link #outputParameters}; a loop concatenates. */
  public static Map<String, List<Artifact>> outputArtifacts(Plan plan, RunState state, Node node) {
    if (node.kind().isExecutor()) {
      return node.outputArtifacts();
    }
    if (node.kind() == Kind.LOOP) {
      Map<String, List<Artifact>> collected = new LinkedHashMap<>();
      for (String name : plan.component(node.componentName()).getOutputDefinitions().getArtifactsMap().keySet()) {
        List<Artifact> list = new ArrayList<>();
        for (Node iteration : state.children(node.id())) {
          if (iteration.state() == RuntimeState.SUCCEEDED) {
            list.addAll(outputArtifacts(plan, state, iteration).getOrDefault(name, List.of()));
          }
        }
        collected.put(name, list);
      }
      return collected;
    }
    DagOutputsSpec outputs = plan.component(node.componentName()).getDag().getOutputs();
    Map<String, List<Artifact>> out = new LinkedHashMap<>();
    for (Map.Entry<String, DagOutputsSpec.DagOutputArtifactSpec> e : outputs.getArtifactsMap().entrySet()) {
      for (DagOutputsSpec.ArtifactSelectorSpec selector : e.getValue().getArtifactSelectorsList()) {
        Optional<List<Artifact>> value = state.node(Node.childId(node.id(), selector.getProducerSubtask()))
            .filter(child -> child.state() == RuntimeState.SUCCEEDED)
            .map(child -> outputArtifacts(plan, state, child).get(selector.getOutputArtifactKey()));
        if (value.isPresent()) {
          out.put(e.getKey(), value.get());
          break;
        }
      }
    }
    return out;
  }

  /** The items of a ParallelFor: parameter values, or artifacts for an artifact iterator. */
  public record LoopItems(List<JsonNode> parameters, List<Artifact> artifacts) {
    public int size() {
      return parameters.isEmpty() ? artifacts.size() : parameters.size();
    }
  }

  /** Resolves what a loop iterates over; an IllegalArgumentException says what is wrong. */
  public static LoopItems loopItems(Plan plan, RunState state, Node loop) throws Cel.CelException {
    PipelineTaskSpec task = plan.taskSpec(state, loop);
    if (task.hasArtifactIterator()) {
      Inputs inputs = taskInputs(plan, state, loop);
      List<Artifact> list = inputs.artifacts().get(task.getArtifactIterator().getItems().getInputArtifact());
      if (list == null) {
        throw new IllegalArgumentException("the artifacts to iterate over ('"
            + task.getArtifactIterator().getItems().getInputArtifact() + "') have no value");
      }
      return new LoopItems(List.of(), list);
    }
    JsonNode items;
    if (task.getParameterIterator().getItems().hasRaw()) {
      try {
        items = JsonValues.JSON.readTree(task.getParameterIterator().getItems().getRaw());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException("the loop items are not JSON: " + e.getOriginalMessage());
      }
    } else {
      String input = task.getParameterIterator().getItems().getInputParameter();
      items = taskInputs(plan, state, loop).parameters().get(input);
      if (items == null) {
        throw new IllegalArgumentException("the list to iterate over ('" + input + "') has no value");
      }
      if (items.isTextual()) { // a JSON list passed as a string parameter
        try {
          items = JsonValues.JSON.readTree(items.textValue());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalArgumentException("the loop items are not a JSON list: " + JsonValues.abbreviate(items.textValue()));
        }
      }
    }
    if (!items.isArray()) {
      throw new IllegalArgumentException("the loop items are not a list: " + JsonValues.abbreviate(JsonValues.text(items)));
    }
    List<JsonNode> values = new ArrayList<>();
    items.forEach(values::add);
    return new LoopItems(values, List.of());
  }
}
