package io.kfpci.validate.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Value;
import io.kfpci.ir.FieldPath;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.proto.ComponentInputsSpec;
import io.kfpci.ir.proto.ComponentOutputsSpec;
import io.kfpci.ir.proto.ComponentSpec;
import io.kfpci.ir.proto.DagOutputsSpec;
import io.kfpci.ir.proto.DagSpec;
import io.kfpci.ir.proto.ParameterType.ParameterTypeEnum;
import io.kfpci.ir.proto.PipelineTaskSpec;
import io.kfpci.ir.proto.TaskInputsSpec;
import io.kfpci.problem.Rule;
import io.kfpci.problem.Suggestions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rules over every DAG (the root and each DAG component): references between tasks, input
 * bindings and their types, required inputs, conditions, iterators, cycles and DAG outputs.
 */
public final class DagRules {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ANY_ARTIFACT = "system.Artifact";

  private DagRules() {}

  public static void check(PipelineDocument doc, ProblemSink sink) {
    if (doc.spec().hasRoot() && doc.spec().getRoot().hasDag()) {
      new DagRules.Scope(doc, sink, doc.spec().getRoot(), FieldPath.of("root")).check();
    }
    doc.spec().getComponentsMap().forEach((name, component) -> {
      if (component.hasDag()) {
        new DagRules.Scope(doc, sink, component, FieldPath.of("components", name)).check();
      }
    });
  }

  /** One DAG and the component that owns it. */
  private record Scope(PipelineDocument doc, ProblemSink sink, ComponentSpec owner, FieldPath ownerPath) {

    DagSpec dag() {
      return owner.getDag();
    }

    void check() {
      FieldPath tasksPath = ownerPath.key("dag").key("tasks");
      dag().getTasksMap().forEach((name, task) -> checkTask(name, task, tasksPath.key(name)));
      checkCycles(tasksPath);
      checkOutputs(ownerPath.key("dag").key("outputs"));
    }

    private Optional<ComponentSpec> componentOf(PipelineTaskSpec task) {
      return doc.component(task.getComponentRef().getName());
    }

    private void checkTask(String name, PipelineTaskSpec task, FieldPath at) {
      String ref = task.getComponentRef().getName();
      Optional<ComponentSpec> component = componentOf(task);
      if (component.isEmpty()) {
        sink.error(Rule.COMPONENT_REF, at.key("componentRef").key("name"), ref.isEmpty()
                ? "task '" + name + "' has no componentRef"
                : "task '" + name + "' refers to component '" + ref + "', which is not in components",
            Suggestions.didYouMean(ref, doc.spec().getComponentsMap().keySet()));
      }
      for (int i = 0; i < task.getDependentTasksCount(); i++) {
        String dependency = task.getDependentTasks(i);
        if (!dag().getTasksMap().containsKey(dependency)) {
          sink.error(Rule.DEPENDENT_TASK, at.key("dependentTasks").index(i), "task '" + name
                  + "' depends on '" + dependency + "', which is not a task of the same DAG",
              Suggestions.didYouMean(dependency, dag().getTasksMap().keySet()));
        }
      }
      String itemInput = task.hasParameterIterator() ? task.getParameterIterator().getItemInput()
          : task.hasArtifactIterator() ? task.getArtifactIterator().getItemInput() : "";
      component.ifPresent(c -> {
        checkParameterBindings(name, task, c, at.key("inputs").key("parameters"), itemInput);
        checkArtifactBindings(name, task, c, at.key("inputs").key("artifacts"), itemInput);
      });
      checkCondition(name, task, at.key("triggerPolicy").key("condition"));
      checkIterator(name, task, component, at);
    }

    private void checkParameterBindings(String task, PipelineTaskSpec spec, ComponentSpec component,
        FieldPath at, String itemInput) {
      Map<String, ComponentInputsSpec.ParameterSpec> declared =
          component.getInputDefinitions().getParametersMap();
      // Computed at most once per task: it scans the task's constants and its executor, and doing
      // that for each unread binding would make the check quadratic in the number of bindings.
      java.util.function.Supplier<Set<String>> readByPlaceholders = new java.util.function.Supplier<>() {
        private Set<String> names;

        @Override
        public Set<String> get() {
          if (names == null) {
            names = placeholderNames(component, spec);
          }
          return names;
        }
      };
      spec.getInputs().getParametersMap().forEach((input, binding) -> {
        FieldPath here = at.key(input);
        ComponentInputsSpec.ParameterSpec definition = declared.get(input);
        if (definition == null) {
          // The KFP compiler binds extra inputs for resource fields set from pipeline values
          // (set_cpu_limit(param)); the executor reads them through placeholders. Others are unused.
          if (!readByPlaceholders.get().contains(input) && !isCompilerMachineField(binding)) {
            sink.warning(Rule.UNDECLARED_INPUT, here, "task '" + task + "' binds input parameter '" + input
                    + "', which component '" + spec.getComponentRef().getName()
                    + "' neither declares nor reads; the value is ignored",
                Suggestions.didYouMean(input, declared.keySet()));
          }
          return;
        }
        ParameterTypeEnum expected = definition.getParameterType();
        boolean selector = !binding.getParameterExpressionSelector().isEmpty();
        switch (binding.getKindCase()) {
          case TASK_OUTPUT_PARAMETER -> {
            var source = binding.getTaskOutputParameter();
            Optional<ComponentOutputsSpec.ParameterSpec> produced =
                producerOutputParameter(task, source.getProducerTask(), source.getOutputParameterKey(),
                    here.key("taskOutputParameter"));
            produced.ifPresent(p -> {
              if (!selector) {
                checkParameterType(task, input, p.getParameterType(), expected, here);
              }
            });
          }
          case COMPONENT_INPUT_PARAMETER -> {
            String parentInput = binding.getComponentInputParameter();
            var parent = owner.getInputDefinitions().getParametersMap().get(parentInput);
            if (parent == null) {
              sink.error(Rule.INPUT_BINDING, here.key("componentInputParameter"), "task '" + task
                      + "' reads input parameter '" + parentInput + "' of its enclosing DAG, which has no such input",
                  Suggestions.didYouMean(parentInput, owner.getInputDefinitions().getParametersMap().keySet()));
            } else if (!selector) {
              checkParameterType(task, input, parent.getParameterType(), expected, here);
            }
          }
          case RUNTIME_VALUE -> {
            var runtime = binding.getRuntimeValue();
            if (runtime.hasConstant() && !selector) {
              checkConstant(task, input, runtime.getConstant(), expected, here.key("runtimeValue").key("constant"));
            } else if (runtime.hasRuntimeParameter()
                && !owner.getInputDefinitions().getParametersMap().containsKey(runtime.getRuntimeParameter())) {
              sink.error(Rule.INPUT_BINDING, here.key("runtimeValue").key("runtimeParameter"),
                  "task '" + task + "' reads runtime parameter '" + runtime.getRuntimeParameter()
                      + "', which the enclosing DAG does not declare", "");
            }
          }
          case TASK_FINAL_STATUS -> {
            String producer = binding.getTaskFinalStatus().getProducerTask();
            if (!dag().getTasksMap().containsKey(producer)) {
              sink.error(Rule.INPUT_BINDING, here.key("taskFinalStatus").key("producerTask"),
                  "task '" + task + "' takes the final status of '" + producer
                      + "', which is not a task of the same DAG",
                  Suggestions.didYouMean(producer, dag().getTasksMap().keySet()));
            }
            if (expected != ParameterTypeEnum.TASK_FINAL_STATUS) {
              sink.error(Rule.INPUT_TYPE, here, "input '" + input + "' of task '" + task
                  + "' is declared " + expected + " but bound to a task final status", "");
            }
          }
          case KIND_NOT_SET -> sink.error(Rule.INPUT_BINDING, here, "input parameter '" + input
              + "' of task '" + task + "' is bound to nothing",
              "bind it to a constant, a pipeline input or another task's output");
        }
      });
      declared.forEach((input, definition) -> {
        if (!definition.getIsOptional() && !definition.hasDefaultValue()
            && !spec.getInputs().getParametersMap().containsKey(input) && !input.equals(itemInput)) {
          sink.error(Rule.REQUIRED_INPUT, at.parent(), "task '" + task + "' does not provide required input parameter '"
                  + input + "' of component '" + spec.getComponentRef().getName() + "'",
              "pass a value for '" + input + "', or give the component input a default");
        }
      });
    }

    private void checkArtifactBindings(String task, PipelineTaskSpec spec, ComponentSpec component,
        FieldPath at, String itemInput) {
      Map<String, ComponentInputsSpec.ArtifactSpec> declared = component.getInputDefinitions().getArtifactsMap();
      spec.getInputs().getArtifactsMap().forEach((input, binding) -> {
        FieldPath here = at.key(input);
        ComponentInputsSpec.ArtifactSpec definition = declared.get(input);
        if (definition == null) {
          sink.error(Rule.UNDECLARED_INPUT, here, "task '" + task + "' binds input artifact '" + input
                  + "', which component '" + spec.getComponentRef().getName() + "' does not declare",
              Suggestions.didYouMean(input, declared.keySet()));
          return;
        }
        String expected = definition.getArtifactType().getSchemaTitle();
        switch (binding.getKindCase()) {
          case TASK_OUTPUT_ARTIFACT -> {
            var source = binding.getTaskOutputArtifact();
            producerOutputArtifact(task, source.getProducerTask(), source.getOutputArtifactKey(),
                here.key("taskOutputArtifact"))
                .ifPresent(p -> checkArtifactType(task, input, p.getArtifactType().getSchemaTitle(), expected, here));
          }
          case COMPONENT_INPUT_ARTIFACT -> {
            String parentInput = binding.getComponentInputArtifact();
            var parent = owner.getInputDefinitions().getArtifactsMap().get(parentInput);
            if (parent == null) {
              sink.error(Rule.INPUT_BINDING, here.key("componentInputArtifact"), "task '" + task
                      + "' reads input artifact '" + parentInput + "' of its enclosing DAG, which has no such input",
                  Suggestions.didYouMean(parentInput, owner.getInputDefinitions().getArtifactsMap().keySet()));
            } else {
              checkArtifactType(task, input, parent.getArtifactType().getSchemaTitle(), expected, here);
            }
          }
          case KIND_NOT_SET -> sink.error(Rule.INPUT_BINDING, here, "input artifact '" + input
              + "' of task '" + task + "' is bound to nothing", "");
        }
      });
      declared.forEach((input, definition) -> {
        if (!definition.getIsOptional() && !spec.getInputs().getArtifactsMap().containsKey(input)
            && !input.equals(itemInput)) {
          sink.error(Rule.REQUIRED_INPUT, at.parent(), "task '" + task + "' does not provide required input artifact '"
                  + input + "' of component '" + spec.getComponentRef().getName() + "'",
              "pass an artifact for '" + input + "', or declare it Optional");
        }
      });
    }

    /**
     * Input names read through placeholders: anywhere in the component's container, or inside the
     * task's own constant inputs (the compiler nests them in structs such as worker pool specs).
     */
    private Set<String> placeholderNames(ComponentSpec component, PipelineTaskSpec task) {
      Set<String> names = new HashSet<>();
      for (TaskInputsSpec.InputParameterSpec binding : task.getInputs().getParametersMap().values()) {
        if (binding.hasRuntimeValue() && binding.getRuntimeValue().hasConstant()) {
          try {
            String json = com.google.protobuf.util.JsonFormat.printer().print(binding.getRuntimeValue().getConstant());
            for (var p : io.kfpci.ir.Placeholders.scan(json.replace("\\u0027", "'")).placeholders()) {
              if (p instanceof io.kfpci.ir.Placeholder.InputParameter in) {
                names.add(in.name());
              }
            }
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("a parsed constant always prints", e);
          }
        }
      }
      doc.executor(component.getExecutorLabel()).filter(e -> e.hasContainer()).ifPresent(e -> {
        var container = e.getContainer();
        List<String> texts = new ArrayList<>(container.getCommandList());
        texts.addAll(container.getArgsList());
        var r = container.getResources();
        texts.addAll(List.of(r.getResourceCpuLimit(), r.getResourceCpuRequest(), r.getResourceMemoryLimit(),
            r.getResourceMemoryRequest(), r.getAccelerator().getResourceType(), r.getAccelerator().getResourceCount()));
        for (String text : texts) {
          for (var p : io.kfpci.ir.Placeholders.scan(text).placeholders()) {
            if (p instanceof io.kfpci.ir.Placeholder.InputParameter in) {
              names.add(in.name());
            }
          }
        }
      });
      return names;
    }

    /** Constants the compiler writes for machine fields, holding a placeholder themselves. */
    private static boolean isCompilerMachineField(TaskInputsSpec.InputParameterSpec binding) {
      return binding.hasRuntimeValue() && binding.getRuntimeValue().getConstant().hasStringValue()
          && binding.getRuntimeValue().getConstant().getStringValue().contains("{{$");
    }

    private Optional<ComponentOutputsSpec.ParameterSpec> producerOutputParameter(
        String task, String producer, String key, FieldPath at) {
      Optional<ComponentSpec> component = producerComponent(task, producer, at);
      if (component.isEmpty()) {
        return Optional.empty();
      }
      var outputs = component.get().getOutputDefinitions().getParametersMap();
      if (!outputs.containsKey(key)) {
        sink.error(Rule.INPUT_BINDING, at.key("outputParameterKey"), "task '" + task + "' reads output parameter '"
                + key + "' of '" + producer + "', which has no such output",
            Suggestions.didYouMean(key, outputs.keySet()));
        return Optional.empty();
      }
      return Optional.of(outputs.get(key));
    }

    private Optional<ComponentOutputsSpec.ArtifactSpec> producerOutputArtifact(
        String task, String producer, String key, FieldPath at) {
      Optional<ComponentSpec> component = producerComponent(task, producer, at);
      if (component.isEmpty()) {
        return Optional.empty();
      }
      var outputs = component.get().getOutputDefinitions().getArtifactsMap();
      if (!outputs.containsKey(key)) {
        sink.error(Rule.INPUT_BINDING, at.key("outputArtifactKey"), "task '" + task + "' reads output artifact '"
                + key + "' of '" + producer + "', which has no such output",
            Suggestions.didYouMean(key, outputs.keySet()));
        return Optional.empty();
      }
      return Optional.of(outputs.get(key));
    }

    private Optional<ComponentSpec> producerComponent(String task, String producer, FieldPath at) {
      PipelineTaskSpec producerTask = dag().getTasksMap().get(producer);
      if (producerTask == null) {
        sink.error(Rule.INPUT_BINDING, at.key("producerTask"), "task '" + task + "' reads an output of '"
                + producer + "', which is not a task of the same DAG",
            Suggestions.didYouMean(producer, dag().getTasksMap().keySet()));
        return Optional.empty();
      }
      return componentOf(producerTask);
    }

    private void checkParameterType(String task, String input, ParameterTypeEnum actual,
        ParameterTypeEnum expected, FieldPath at) {
      if (!TypeRules.parameterAssignable(actual, expected)) {
        sink.error(Rule.INPUT_TYPE, at, "input '" + input + "' of task '" + task + "' is declared "
            + expected + " but receives " + actual, "convert the value, or change one of the two types");
      }
    }

    private void checkConstant(String task, String input, Value constant, ParameterTypeEnum expected, FieldPath at) {
      if (!TypeRules.constantMatches(constant, expected)) {
        sink.error(Rule.INPUT_TYPE, at, "input '" + input + "' of task '" + task + "' is declared "
            + expected + " but its constant is " + TypeRules.describe(constant), "");
      }
    }

    private void checkArtifactType(String task, String input, String actual, String expected, FieldPath at) {
      if (!actual.equals(expected) && !ANY_ARTIFACT.equals(expected) && !ANY_ARTIFACT.equals(actual)
          && !actual.isEmpty() && !expected.isEmpty()) {
        sink.error(Rule.INPUT_TYPE, at, "input artifact '" + input + "' of task '" + task + "' expects "
            + expected + " but receives " + actual, "declare the input as " + actual + " or as Artifact");
      }
    }

    private void checkCondition(String task, PipelineTaskSpec spec, FieldPath at) {
      String condition = spec.getTriggerPolicy().getCondition();
      if (condition.isEmpty()) {
        return;
      }
      Conditions.Parsed parsed = Conditions.parse(condition);
      if (parsed.ast().isEmpty()) {
        sink.error(Rule.CONDITION_SYNTAX, at, "the condition of task '" + task + "' is not valid CEL: "
            + parsed.error().strip(), "");
        return;
      }
      for (Conditions.InputReference ref : parsed.inputs()) {
        Set<String> available = ref.kind().equals("artifacts")
            ? spec.getInputs().getArtifactsMap().keySet()
            : spec.getInputs().getParametersMap().keySet();
        if (!available.contains(ref.name())) {
          sink.error(Rule.CONDITION_INPUT, at, "the condition of task '" + task + "' reads inputs."
                  + ref.kind() + "['" + ref.name() + "'], which the task does not have as an input",
              Suggestions.didYouMean(ref.name(), available));
        }
      }
    }

    private void checkIterator(String task, PipelineTaskSpec spec, Optional<ComponentSpec> component, FieldPath at) {
      if (spec.hasParameterIterator()) {
        var iterator = spec.getParameterIterator();
        FieldPath here = at.key("parameterIterator");
        switch (iterator.getItems().getKindCase()) {
          case RAW -> {
            try {
              JsonNode items = JSON.readTree(iterator.getItems().getRaw());
              if (items == null || !items.isArray()) {
                sink.error(Rule.ITERATOR, here.key("items").key("raw"), "the ParallelFor items of task '"
                    + task + "' are not a JSON list", "write the items as a list, e.g. [1, 2, 3]");
              }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
              sink.error(Rule.ITERATOR, here.key("items").key("raw"), "the ParallelFor items of task '"
                  + task + "' are not valid JSON: " + jsonError(e), "write the items as a JSON list, e.g. [1, 2, 3]");
            }
          }
          case INPUT_PARAMETER -> {
            String input = iterator.getItems().getInputParameter();
            if (!spec.getInputs().getParametersMap().containsKey(input)) {
              sink.error(Rule.ITERATOR, here.key("items").key("inputParameter"), "ParallelFor task '" + task
                      + "' iterates over input '" + input + "', which the task does not bind",
                  Suggestions.didYouMean(input, spec.getInputs().getParametersMap().keySet()));
            }
          }
          case KIND_NOT_SET -> sink.error(Rule.ITERATOR, here.key("items"), "ParallelFor task '" + task
              + "' has no items", "");
        }
        checkItemInput(task, iterator.getItemInput(), here.key("itemInput"),
            component.map(c -> c.getInputDefinitions().getParametersMap().keySet()));
      }
      if (spec.hasArtifactIterator()) {
        var iterator = spec.getArtifactIterator();
        FieldPath here = at.key("artifactIterator");
        String input = iterator.getItems().getInputArtifact();
        if (!spec.getInputs().getArtifactsMap().containsKey(input)) {
          sink.error(Rule.ITERATOR, here.key("items").key("inputArtifact"), "ParallelFor task '" + task
                  + "' iterates over artifact '" + input + "', which the task does not bind",
              Suggestions.didYouMean(input, spec.getInputs().getArtifactsMap().keySet()));
        }
        checkItemInput(task, iterator.getItemInput(), here.key("itemInput"),
            component.map(c -> c.getInputDefinitions().getArtifactsMap().keySet()));
      }
      if (spec.getIteratorPolicy().getParallelismLimit() < 0) {
        sink.error(Rule.ITERATOR, at.key("iteratorPolicy").key("parallelismLimit"),
            "parallelism of task '" + task + "' is negative", "use 0 for unlimited, or a positive limit");
      }
    }

    /** Jackson's message without its "[Source: REDACTED ...]" noise; the location stays. */
    private static String jsonError(com.fasterxml.jackson.core.JsonProcessingException e) {
      return e.getOriginalMessage().replaceAll("\\[Source: [^;]*; ", "[");
    }

    private void checkItemInput(String task, String itemInput, FieldPath at, Optional<Set<String>> declared) {
      if (itemInput.isEmpty()) {
        sink.error(Rule.ITERATOR, at, "ParallelFor task '" + task + "' has no itemInput", "");
      } else if (declared.isPresent() && !declared.get().contains(itemInput)) {
        sink.error(Rule.ITERATOR, at, "the loop item '" + itemInput + "' of task '" + task
            + "' is not an input of its component", Suggestions.didYouMean(itemInput, declared.get()));
      }
    }

    /** Dependencies are explicit dependentTasks plus every producer a task reads from. */
    private void checkCycles(FieldPath tasksPath) {
      Map<String, List<String>> edges = new LinkedHashMap<>();
      dag().getTasksMap().forEach((name, task) -> {
        Set<String> upstream = new java.util.TreeSet<>(io.kfpci.ir.TaskDependencies.upstream(task));
        upstream.retainAll(dag().getTasksMap().keySet());
        edges.put(name, new ArrayList<>(upstream));
      });
      for (List<String> cycle : Cycles.find(edges)) {
        sink.error(Rule.DAG_CYCLE, tasksPath.key(cycle.get(0)), "dependency cycle: "
                + String.join(" -> ", cycle) + " (each task waits for the one before it)",
            "remove one of the dependencies in the cycle");
      }
    }

    private void checkOutputs(FieldPath at) {
      DagOutputsSpec outputs = dag().getOutputs();
      outputs.getParametersMap().forEach((name, output) -> {
        FieldPath here = at.key("parameters").key(name);
        if (!owner.getOutputDefinitions().getParametersMap().containsKey(name)) {
          sink.error(Rule.DAG_OUTPUT, here, "DAG output parameter '" + name
              + "' is not declared in the component's outputDefinitions", "");
        }
        List<DagOutputsSpec.ParameterSelectorSpec> selectors = output.hasValueFromParameter()
            ? List.of(output.getValueFromParameter())
            : output.getValueFromOneof().getParameterSelectorsList();
        if (selectors.isEmpty()) {
          sink.error(Rule.DAG_OUTPUT, here, "DAG output parameter '" + name + "' selects nothing", "");
        }
        for (var selector : selectors) {
          checkSelector(name, selector.getProducerSubtask(), selector.getOutputParameterKey(), true, here);
        }
      });
      outputs.getArtifactsMap().forEach((name, output) -> {
        FieldPath here = at.key("artifacts").key(name);
        if (!owner.getOutputDefinitions().getArtifactsMap().containsKey(name)) {
          sink.error(Rule.DAG_OUTPUT, here, "DAG output artifact '" + name
              + "' is not declared in the component's outputDefinitions", "");
        }
        if (output.getArtifactSelectorsCount() == 0) {
          sink.error(Rule.DAG_OUTPUT, here, "DAG output artifact '" + name + "' selects nothing", "");
        }
        for (var selector : output.getArtifactSelectorsList()) {
          checkSelector(name, selector.getProducerSubtask(), selector.getOutputArtifactKey(), false, here);
        }
      });
    }

    private void checkSelector(String output, String subtask, String key, boolean parameter, FieldPath at) {
      PipelineTaskSpec producer = dag().getTasksMap().get(subtask);
      if (producer == null) {
        sink.error(Rule.DAG_OUTPUT, at, "DAG output '" + output + "' selects task '" + subtask
            + "', which is not in the DAG", Suggestions.didYouMean(subtask, dag().getTasksMap().keySet()));
        return;
      }
      componentOf(producer).ifPresent(c -> {
        Set<String> keys = parameter ? c.getOutputDefinitions().getParametersMap().keySet()
            : c.getOutputDefinitions().getArtifactsMap().keySet();
        if (!keys.contains(key)) {
          sink.error(Rule.DAG_OUTPUT, at, "DAG output '" + output + "' selects output '" + key
              + "' of task '" + subtask + "', which has no such output", Suggestions.didYouMean(key, keys));
        }
      });
    }
  }
}
