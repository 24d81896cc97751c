package io.kfpci.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules over executors: KFP070, KFP071, KFP080 and KFP090, each on a minimal document. */
class ExecutorRulesTest {
  private static final String TRAIN = "$.deploymentSpec.executors['exec-train'].container";

  private static List<String> problems(String fixture) {
    return Fixtures.problems(ExecutorRulesTest.class, fixture);
  }

  private static List<String> hints(String fixture) {
    return Fixtures.hints(ExecutorRulesTest.class, fixture);
  }

  @Test
  void containerWithoutImageIsAnError() {
    assertThat(problems("image-missing.yaml")).containsExactly(
        "error KFP070 image-missing.yaml:7:7 " + TRAIN + ".image: the container of component 'comp-train' has no"
            + " image");
    assertThat(hints("image-missing.yaml"))
        .containsExactly("set base_image on the component, or an image on the container component");
  }

  @Test
  void placeholdersMustBeWellFormedAndNameDeclaredInputsAndOutputs() {
    assertThat(problems("placeholders.yaml")).containsExactly(
        "error KFP071 placeholders.yaml:24:11 " + TRAIN + ".command[0]: malformed placeholder"
            + " '{{$.inputs.parameter['epochs']}}' in component 'comp-train': not a KFP placeholder",
        "error KFP071 placeholders.yaml:25:11 " + TRAIN + ".command[1]: malformed placeholder"
            + " '{{$.inputs.parameters['epochs']' in component 'comp-train': unclosed '{{$'",
        "error KFP071 placeholders.yaml:27:11 " + TRAIN + ".args[0]: placeholder {{$.inputs.parameters['epoch']}}"
            + " of component 'comp-train' names input parameter 'epoch', which the component does not declare",
        "error KFP071 placeholders.yaml:28:11 " + TRAIN + ".args[1]: placeholder"
            + " {{$.inputs.artifacts['dataset'].path}} of component 'comp-train' names input artifact 'dataset',"
            + " which the component does not declare",
        "error KFP071 placeholders.yaml:29:11 " + TRAIN + ".args[2]: placeholder"
            + " {{$.outputs.parameters['acc'].output_file}} of component 'comp-train' names output parameter 'acc',"
            + " which the component does not declare",
        "error KFP071 placeholders.yaml:30:11 " + TRAIN + ".args[3]: placeholder"
            + " {{$.outputs.artifacts['models'].uri}} of component 'comp-train' names output artifact 'models',"
            + " which the component does not declare",
        "error KFP071 placeholders.yaml:31:11 " + TRAIN + ".args[4]: placeholder"
            + " {{$.inputs.parameters['learning_rate']}} of component 'comp-train' names input parameter"
            + " 'learning_rate', which the component does not declare",
        "error KFP071 placeholders.yaml:32:11 " + TRAIN + ".args[5]: IfPresent of component 'comp-train' tests"
            + " input 'seed', which the component does not declare",
        "error KFP071 placeholders.yaml:32:11 " + TRAIN + ".args[5]: placeholder {{$.inputs.parameters['seed']}}"
            + " of component 'comp-train' names input parameter 'seed', which the component does not declare",
        "error KFP071 placeholders.yaml:33:11 " + TRAIN + ".args[6]: an IfPresent placeholder of component"
            + " 'comp-train' has no InputName");
    List<String> hints = hints("placeholders.yaml");
    assertThat(hints.get(0)).isEqualTo("placeholders look like {{$.inputs.parameters['name']}}");
    assertThat(hints.get(2)).isEqualTo("did you mean 'epochs'?");
    assertThat(hints.get(5)).isEqualTo("did you mean 'model'?");
  }

  @Test
  void everyLauncherPlaceholderFormIsAccepted() {
    assertThat(problems("placeholders-allowed.yaml")).isEmpty();
  }

  @Test
  void importersNeedAUri() {
    assertThat(problems("importers.yaml")).containsExactly(
        "error KFP080 importers.yaml:17:7 $.deploymentSpec.executors['exec-importer-none'].importer.artifactUri:"
            + " importer 'comp-importer-none' has no artifact URI",
        "error KFP080 importers.yaml:21:23"
            + " $.deploymentSpec.executors['exec-importer-empty'].importer.artifactUri.constant: importer"
            + " 'comp-importer-empty' has an empty artifact URI",
        "error KFP080 importers.yaml:25:23"
            + " $.deploymentSpec.executors['exec-importer-undeclared'].importer.artifactUri.runtimeParameter:"
            + " importer 'comp-importer-undeclared' takes its URI from input 'url', which the component does not"
            + " declare");
    assertThat(hints("importers.yaml").get(0))
        .isEqualTo("pass artifact_uri to dsl.importer, as a constant or a pipeline input");
  }

  @Test
  void resourceValuesMustBePositiveKubernetesQuantities() {
    String resources = TRAIN + ".resources";
    assertThat(problems("resources.yaml")).containsExactly(
        "error KFP090 resources.yaml:16:11 " + resources + ".resourceCpuLimit: cpu limit 'two' of component"
            + " 'comp-train' is not a Kubernetes quantity",
        "error KFP090 resources.yaml:17:11 " + resources + ".resourceCpuRequest: cpu request '0' of component"
            + " 'comp-train' is not positive",
        "error KFP090 resources.yaml:18:11 " + resources + ".resourceMemoryLimit: memory limit '-1Gi' of"
            + " component 'comp-train' is not positive",
        "error KFP090 resources.yaml:19:11 " + resources + ".resourceMemoryRequest: memory request '4GiB' of"
            + " component 'comp-train' is not a Kubernetes quantity",
        "error KFP090 resources.yaml:20:11 " + resources + ".cpuLimit: cpu limit -1.0 of component 'comp-train'"
            + " is negative",
        "error KFP090 resources.yaml:21:11 " + resources + ".accelerator: component 'comp-train' asks for"
            + " accelerators without naming their type",
        "error KFP090 resources.yaml:22:13 " + resources + ".accelerator.resourceCount: accelerator count '1.5'"
            + " of component 'comp-train' is not a positive whole number",
        "error KFP090 resources.yaml:23:13 " + resources + ".accelerator.count: accelerator count of component"
            + " 'comp-train' is negative");
    assertThat(hints("resources.yaml").get(0))
        .isEqualTo("use a quantity such as 500m or 2 for cpu, 512Mi or 4G for memory");
  }

  @Test
  void acceleratorCountMustBePositiveAndTyped() {
    assertThat(problems("accelerator.yaml")).containsExactly(
        "error KFP090 accelerator.yaml:13:25 " + TRAIN + ".resources.accelerator.resourceCount: accelerator count"
            + " '0' of component 'comp-train' is not a positive whole number",
        "error KFP090 accelerator.yaml:18:11 $.deploymentSpec.executors['exec-untyped'].container.resources"
            + ".accelerator: component 'comp-untyped' asks for accelerators without naming their type");
    assertThat(hints("accelerator.yaml"))
        .containsExactly("for example set_accelerator_limit(1)", "call set_accelerator_type('nvidia.com/gpu')");
  }
}
