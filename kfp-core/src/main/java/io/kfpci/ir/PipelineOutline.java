package io.kfpci.ir;

import io.kfpci.ir.proto.ComponentSpec;
import io.kfpci.ir.proto.PipelineDeploymentConfig.ExecutorSpec;
import io.kfpci.ir.proto.PipelineTaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A reader's summary of a pipeline: its tasks (nested DAGs flattened into paths), its parameters
 * and outputs, and the hardware each task asks for. What `kfpci demo` and the plugin print.
 */
public record PipelineOutline(String name, String description, List<Input> inputs, List<Output> outputs,
    List<Task> tasks) {

  /** A pipeline parameter or input artifact. {@code defaultValue} is JSON text, empty if none. */
  public record Input(String name, String type, String defaultValue, boolean optional) {}

  public record Output(String name, String type) {}

  /**
   * One task. {@code path} joins the enclosing DAG tasks with '/', e.g. {@code condition-1/deploy-model}.
   *
   * @param kind container, importer, dag or unknown
   * @param control what decides whether/how often it runs: condition, loop, or empty
   */
  public record Task(String path, String component, String kind, String image, String control,
      List<String> dependsOn, Optional<Accelerator> accelerator, String cpu, String memory) {}

  /** An accelerator request: how many of which resource (e.g. 1 x nvidia.com/gpu). */
  public record Accelerator(String count, String type) {
    @Override
    public String toString() {
      return count + " x " + type;
    }
  }

  public static PipelineOutline of(PipelineDocument doc) {
    ComponentSpec root = doc.spec().getRoot();
    List<Input> inputs = new ArrayList<>();
    root.getInputDefinitions().getParametersMap().forEach((n, p) -> inputs.add(new Input(n,
        p.getParameterType().name(), p.hasDefaultValue() ? defaultText(p) : "", p.getIsOptional())));
    root.getInputDefinitions().getArtifactsMap().forEach((n, a) -> inputs.add(new Input(n,
        a.getArtifactType().getSchemaTitle(), "", a.getIsOptional())));
    List<Output> outputs = new ArrayList<>();
    root.getOutputDefinitions().getParametersMap().forEach((n, p) -> outputs.add(new Output(n, p.getParameterType().name())));
    root.getOutputDefinitions().getArtifactsMap().forEach((n, a) -> outputs.add(new Output(n, a.getArtifactType().getSchemaTitle())));
    inputs.sort(java.util.Comparator.comparing(Input::name));
    outputs.sort(java.util.Comparator.comparing(Output::name));
    List<Task> tasks = new ArrayList<>();
    collect(doc, root, "", tasks, 0);
    return new PipelineOutline(doc.pipelineName(), doc.spec().getPipelineInfo().getDescription(), inputs, outputs, tasks);
  }

  private static void collect(PipelineDocument doc, ComponentSpec dagOwner, String prefix, List<Task> out, int depth) {
    if (depth > 32) {
      return; // a component graph that recurses is reported by the validator, not followed here
    }
    Map<String, PipelineTaskSpec> sorted = new TreeMap<>(dagOwner.getDag().getTasksMap());
    for (Map.Entry<String, PipelineTaskSpec> e : sorted.entrySet()) {
      PipelineTaskSpec task = e.getValue();
      String path = prefix + e.getKey();
      Optional<ComponentSpec> component = doc.component(task.getComponentRef().getName());
      String control = task.hasTriggerPolicy() && !task.getTriggerPolicy().getCondition().isEmpty()
          ? "if " + task.getTriggerPolicy().getCondition()
          : task.hasParameterIterator() || task.hasArtifactIterator() ? "for each item" : "";
      String kind = "unknown";
      String image = "";
      Optional<Accelerator> accelerator = Optional.empty();
      String cpu = "";
      String memory = "";
      if (component.isPresent() && component.get().hasDag()) {
        kind = "dag";
      } else if (component.isPresent()) {
        Optional<ExecutorSpec> executor = doc.executor(component.get().getExecutorLabel());
        if (executor.isPresent() && executor.get().hasImporter()) {
          kind = "importer";
        } else if (executor.isPresent() && executor.get().hasContainer()) {
          kind = "container";
          var container = executor.get().getContainer();
          image = container.getImage();
          var resources = container.getResources();
          var acc = resources.getAccelerator();
          String count = !acc.getResourceCount().isEmpty() ? acc.getResourceCount()
              : acc.getCount() > 0 ? String.valueOf(acc.getCount()) : "";
          String type = !acc.getResourceType().isEmpty() ? acc.getResourceType() : acc.getType();
          if (!count.isEmpty() || !type.isEmpty()) {
            accelerator = Optional.of(new Accelerator(count.isEmpty() ? "1" : count, type));
          }
          cpu = firstNonEmpty(resources.getResourceCpuLimit(), resources.getResourceCpuRequest());
          memory = firstNonEmpty(resources.getResourceMemoryLimit(), resources.getResourceMemoryRequest());
        }
      }
      out.add(new Task(path, task.getComponentRef().getName(), kind, image, control,
          List.copyOf(task.getDependentTasksList()), accelerator, cpu, memory));
      if (component.isPresent() && component.get().hasDag()) {
        collect(doc, component.get(), path + "/", out, depth + 1);
      }
    }
  }

  /** JSON numbers are doubles; an integer parameter's default prints as the integer it is. */
  private static String defaultText(io.kfpci.ir.proto.ComponentInputsSpec.ParameterSpec p) {
    var value = p.getDefaultValue();
    if (p.getParameterType() == io.kfpci.ir.proto.ParameterType.ParameterTypeEnum.NUMBER_INTEGER
        && value.hasNumberValue() && value.getNumberValue() == Math.rint(value.getNumberValue())) {
      return String.valueOf((long) value.getNumberValue());
    }
    return ProtoJson.print(value);
  }

  private static String firstNonEmpty(String a, String b) {
    return a.isEmpty() ? b : a;
  }
}
