package io.kfpci.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.problem.Problem;
import io.kfpci.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whole-document rules: KFP010 to KFP012, KFP020, KFP021 and KFP100, each on a minimal document. */
class DocumentRulesTest {

  private static List<String> problems(String fixture) {
    return Fixtures.problems(DocumentRulesTest.class, fixture);
  }

  private static Problem only(String fixture) {
    List<Problem> problems = Fixtures.validate(DocumentRulesTest.class, fixture).problems();
    assertThat(problems).hasSize(1);
    return problems.get(0);
  }

  @Test
  void theSmallestValidPipelineHasNoProblem() {
    assertThat(problems("ok.yaml")).isEmpty();
  }

  @Test
  void schemaVersionOtherThan210IsAnError() {
    assertThat(problems("schema-version-wrong.yaml")).containsExactly(
        "error KFP010 schema-version-wrong.yaml:5:1 $.schemaVersion: schemaVersion is '2.0.0'; KFP accepts only '2.1.0'");
    assertThat(only("schema-version-wrong.yaml").hint())
        .isEqualTo("recompile the pipeline with kfp 2.x, which writes schemaVersion: 2.1.0");
  }

  @Test
  void missingSchemaVersionIsReportedAtTheStartOfTheDocument() {
    assertThat(problems("schema-version-missing.yaml")).containsExactly(
        "error KFP010 schema-version-missing.yaml:1:1 $.schemaVersion: schemaVersion is missing");
  }

  @Test
  void emptyPipelineNameIsReportedAtTheName() {
    assertThat(problems("name-empty.yaml")).containsExactly(
        "error KFP011 name-empty.yaml:2:3 $.pipelineInfo.name: pipelineInfo.name is empty");
    assertThat(only("name-empty.yaml").hint()).isEqualTo("give the pipeline a name: @dsl.pipeline(name='my-pipeline')");
  }

  @Test
  void absentPipelineNameIsReportedAtPipelineInfo() {
    assertThat(problems("name-missing.yaml")).containsExactly(
        "error KFP011 name-missing.yaml:1:1 $.pipelineInfo.name: pipelineInfo.name is empty");
  }

  @Test
  void pipelineNameOutsideTheKfpPatternGetsAValidSuggestion() {
    assertThat(problems("name-invalid.yaml")).containsExactly(
        "error KFP011 name-invalid.yaml:2:3 $.pipelineInfo.name: pipeline name 'My_Training Pipeline' is not a"
            + " valid KFP name (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)");
    assertThat(only("name-invalid.yaml").hint()).isEqualTo("for example 'my-training-pipeline'");
  }

  @Test
  void missingRootIsAnError() {
    assertThat(problems("root-missing.yaml")).containsExactly(
        "error KFP012 root-missing.yaml:1:1 $.root: the pipeline has no root");
  }

  @Test
  void rootWithoutADagIsAnError() {
    assertThat(problems("root-without-dag.yaml")).containsExactly(
        "error KFP012 root-without-dag.yaml:3:1 $.root: root has no dag");
  }

  @Test
  void componentRefToAMissingComponentSuggestsTheClosestOne() {
    assertThat(problems("component-ref-missing.yaml")).containsExactly(
        "error KFP020 component-ref-missing.yaml:14:24 $.root.dag.tasks.train.componentRef.name: task 'train'"
            + " refers to component 'comp-trian', which is not in components",
        "error KFP020 component-ref-missing.yaml:15:7 $.root.dag.tasks.evaluate.componentRef.name: task"
            + " 'evaluate' has no componentRef");
    assertThat(Fixtures.hints(DocumentRulesTest.class, "component-ref-missing.yaml"))
        .containsExactly("did you mean 'comp-train'?", "");
  }

  @Test
  void executorLabelMustNameAnExecutor() {
    assertThat(problems("executor-label-missing.yaml")).containsExactly(
        "error KFP021 executor-label-missing.yaml:3:5 $.components['comp-train'].executorLabel: executor"
            + " 'exec-trian' of component 'comp-train' is not in deploymentSpec.executors");
    assertThat(only("executor-label-missing.yaml").hint()).isEqualTo("did you mean 'exec-train'?");
  }

  @Test
  void componentWithNeitherDagNorExecutorIsAnError() {
    assertThat(problems("component-without-implementation.yaml")).containsExactly(
        "error KFP021 component-without-implementation.yaml:2:3 $.components['comp-train']: component"
            + " 'comp-train' has neither a dag nor an executorLabel");
  }

  @Test
  void platformSpecMayOnlyConfigureExistingExecutors() {
    assertThat(problems("platform-executor-missing.yaml")).containsExactly(
        "error KFP100 platform-executor-missing.yaml:24:9"
            + " $.platformSpec.platforms.kubernetes.deploymentSpec.executors['exec-trainer']: the platform spec"
            + " configures executor 'exec-trainer', which deploymentSpec does not define");
    assertThat(only("platform-executor-missing.yaml").hint()).isEqualTo("did you mean 'exec-train'?");
  }
}
