package io.kfpci.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rules over DAGs: KFP022, KFP023, KFP030 to KFP033, KFP040, KFP041, KFP050 and KFP060. Each
 * fixture is a minimal document; the ones named *-allowed hold what KFP accepts and must stay clean.
 */
class DagRulesTest {

  private static List<String> problems(String fixture) {
    return Fixtures.problems(DagRulesTest.class, fixture);
  }

  private static List<String> hints(String fixture) {
    return Fixtures.hints(DagRulesTest.class, fixture);
  }

  @Test
  void dependentTaskMustBeInTheSameDag() {
    assertThat(problems("dependent-task-missing.yaml")).containsExactly(
        "error KFP022 dependent-task-missing.yaml:19:11 $.root.dag.tasks.evaluate.dependentTasks[1]: task"
            + " 'evaluate' depends on 'trian', which is not a task of the same DAG");
    assertThat(hints("dependent-task-missing.yaml")).containsExactly("did you mean 'train'?");
  }

  @Test
  void cycleIsPrintedInRunOrderFromItsFirstTask() {
    assertThat(problems("cycle.yaml")).containsExactly(
        "error KFP023 cycle.yaml:14:7 $.root.dag.tasks.a: dependency cycle: a -> c -> b -> a"
            + " (each task waits for the one before it)");
    assertThat(hints("cycle.yaml")).containsExactly("remove one of the dependencies in the cycle");
  }

  @Test
  void taskThatOnlyWaitsForACycleIsNotPartOfIt() {
    assertThat(problems("cycle-behind-a-task.yaml")).containsExactly(
        "error KFP023 cycle-behind-a-task.yaml:17:7 $.root.dag.tasks.b: dependency cycle: b -> c -> b"
            + " (each task waits for the one before it)");
  }

  @Test
  void twoCyclesThroughOneTaskAreBothReported() {
    assertThat(problems("two-cycles-sharing-a-task.yaml")).containsExactly(
        "error KFP023 two-cycles-sharing-a-task.yaml:14:7 $.root.dag.tasks.a: dependency cycle: a -> x -> a"
            + " (each task waits for the one before it)",
        "error KFP023 two-cycles-sharing-a-task.yaml:17:7 $.root.dag.tasks.b: dependency cycle: b -> c -> b"
            + " (each task waits for the one before it)");
  }

  @Test
  void tasksReadingEachOthersOutputsFormACycle() {
    assertThat(problems("data-cycle.yaml")).containsExactly(
        "error KFP023 data-cycle.yaml:20:7 $.root.dag.tasks.first: dependency cycle: first -> second -> first"
            + " (each task waits for the one before it)");
  }

  @Test
  void taskWaitingForItselfIsACycle() {
    assertThat(problems("self-cycle.yaml")).containsExactly(
        "error KFP023 self-cycle.yaml:13:7 $.root.dag.tasks.loop: dependency cycle: loop -> loop"
            + " (each task waits for the one before it)");
  }

  @Test
  void outputsMustComeFromExistingTasksAndOutputs() {
    assertThat(problems("binding-producer-missing.yaml")).containsExactly(
        "error KFP030 binding-producer-missing.yaml:34:37"
            + " $.root.dag.tasks.deploy.inputs.parameters.accuracy.taskOutputParameter.producerTask: task 'deploy'"
            + " reads an output of 'trian', which is not a task of the same DAG",
        "error KFP030 binding-producer-missing.yaml:37:57"
            + " $.root.dag.tasks.deploy.inputs.artifacts.model.taskOutputArtifact.outputArtifactKey: task 'deploy'"
            + " reads output artifact 'modle' of 'train', which has no such output");
    assertThat(hints("binding-producer-missing.yaml"))
        .containsExactly("did you mean 'train'?", "did you mean 'model'?");
    assertThat(problems("binding-output-key-missing.yaml")).containsExactly(
        "error KFP030 binding-output-key-missing.yaml:28:58"
            + " $.root.dag.tasks.deploy.inputs.parameters.accuracy.taskOutputParameter.outputParameterKey: task"
            + " 'deploy' reads output parameter 'acuracy' of 'train', which has no such output");
  }

  @Test
  void inputsOfTheEnclosingDagMustExist() {
    assertThat(problems("binding-parent-input-missing.yaml")).containsExactly(
        "error KFP030 binding-parent-input-missing.yaml:23:22"
            + " $.root.dag.tasks.train.inputs.parameters.epochs.componentInputParameter: task 'train' reads input"
            + " parameter 'epoch' of its enclosing DAG, which has no such input",
        "error KFP030 binding-parent-input-missing.yaml:25:20"
            + " $.root.dag.tasks.train.inputs.artifacts.data.componentInputArtifact: task 'train' reads input"
            + " artifact 'dataset' of its enclosing DAG, which has no such input");
    assertThat(hints("binding-parent-input-missing.yaml")).containsExactly("did you mean 'epochs'?", "");
    assertThat(problems("binding-runtime-parameter-missing.yaml")).containsExactly(
        "error KFP030 binding-runtime-parameter-missing.yaml:21:30"
            + " $.root.dag.tasks.train.inputs.parameters.epochs.runtimeValue.runtimeParameter: task 'train' reads"
            + " runtime parameter 'epochs', which the enclosing DAG does not declare");
  }

  @Test
  void finalStatusComesFromASiblingIntoATaskFinalStatusInput() {
    assertThat(problems("binding-final-status.yaml")).containsExactly(
        "error KFP031 binding-final-status.yaml:25:13 $.root.dag.tasks.notify.inputs.parameters.status: input"
            + " 'status' of task 'notify' is declared STRING but bound to a task final status",
        "error KFP030 binding-final-status.yaml:26:33"
            + " $.root.dag.tasks.notify.inputs.parameters.status.taskFinalStatus.producerTask: task 'notify' takes"
            + " the final status of 'exit-handler-1', which is not a task of the same DAG");
  }

  @Test
  void inputBoundToNothingIsAnError() {
    assertThat(problems("binding-to-nothing.yaml")).containsExactly(
        "error KFP030 binding-to-nothing.yaml:23:13 $.root.dag.tasks.train.inputs.parameters.epochs: input"
            + " parameter 'epochs' of task 'train' is bound to nothing",
        "error KFP030 binding-to-nothing.yaml:25:13 $.root.dag.tasks.train.inputs.artifacts.data: input artifact"
            + " 'data' of task 'train' is bound to nothing");
  }

  @Test
  void incompatibleTypesAreErrors() {
    assertThat(problems("types-mismatch.yaml")).containsExactly(
        "error KFP031 types-mismatch.yaml:37:13 $.root.dag.tasks.consume.inputs.parameters.count: input 'count'"
            + " of task 'consume' is declared NUMBER_INTEGER but receives STRING",
        "error KFP031 types-mismatch.yaml:40:30 $.root.dag.tasks.consume.inputs.parameters.epochs.runtimeValue"
            + ".constant: input 'epochs' of task 'consume' is declared NUMBER_INTEGER but its constant is the"
            + " string 'ten'",
        "error KFP031 types-mismatch.yaml:42:30 $.root.dag.tasks.consume.inputs.parameters.batches.runtimeValue"
            + ".constant: input 'batches' of task 'consume' is declared NUMBER_INTEGER but its constant is the"
            + " number 1.5",
        "error KFP031 types-mismatch.yaml:44:13 $.root.dag.tasks.consume.inputs.artifacts.data: input artifact"
            + " 'data' of task 'consume' expects system.Dataset but receives system.Model");
    assertThat(hints("types-mismatch.yaml").get(3)).isEqualTo("declare the input as system.Model or as Artifact");
  }

  @Test
  void typeAllowancesOfTheKfpSdkAreAccepted() {
    // int -> double, whole-number constant -> int, task final status -> STRUCT of a nested
    // pipeline, system.Artifact on either side, and an expression selector's unknowable type.
    assertThat(problems("types-allowed.yaml")).isEmpty();
  }

  @Test
  void requiredInputsWithoutDefaultMustBeProvided() {
    assertThat(problems("required-inputs-missing.yaml")).containsExactly(
        "error KFP032 required-inputs-missing.yaml:24:7 $.root.dag.tasks.train.inputs: task 'train' does not"
            + " provide required input parameter 'epochs' of component 'comp-train'",
        "error KFP032 required-inputs-missing.yaml:24:7 $.root.dag.tasks.train.inputs: task 'train' does not"
            + " provide required input artifact 'data' of component 'comp-train'");
    assertThat(hints("required-inputs-missing.yaml")).containsExactly(
        "pass a value for 'epochs', or give the component input a default",
        "pass an artifact for 'data', or declare it Optional");
  }

  @Test
  void undeclaredArtifactIsAnErrorAndUndeclaredParameterAWarning() {
    assertThat(problems("undeclared-inputs.yaml")).containsExactly(
        "error KFP033 undeclared-inputs.yaml:27:13 $.root.dag.tasks.train.inputs.artifacts.dataset: task 'train'"
            + " binds input artifact 'dataset', which component 'comp-train' does not declare",
        "warning KFP033 undeclared-inputs.yaml:24:13 $.root.dag.tasks.train.inputs.parameters.epoch: task"
            + " 'train' binds input parameter 'epoch', which component 'comp-train' neither declares nor reads;"
            + " the value is ignored");
    assertThat(hints("undeclared-inputs.yaml")).containsExactly("", "did you mean 'epochs'?");
  }

  @Test
  void compilerMachineFieldInputsAndPlaceholdersInsideConstantsAreNotUndeclared() {
    assertThat(problems("undeclared-inputs-allowed.yaml")).isEmpty();
  }

  @Test
  void conditionsMustBeCelReadingOnlyTheTasksInputs() {
    assertThat(problems("conditions.yaml")).containsExactly(
        "error KFP040 conditions.yaml:23:11 $.root.dag.tasks.deploy.triggerPolicy.condition: the condition of"
            + " task 'deploy' is not valid CEL: missing ')' at '<EOF>' (column 61)",
        "error KFP041 conditions.yaml:30:11 $.root.dag.tasks.publish.triggerPolicy.condition: the condition of"
            + " task 'publish' reads inputs.parameter_values['pipelinechannel--acuracy'], which the task does not"
            + " have as an input");
    assertThat(hints("conditions.yaml")).containsExactly("", "did you mean 'pipelinechannel--accuracy'?");
  }

  @Test
  void parallelForIteratorsMustBeWellFormed() {
    assertThat(problems("iterators.yaml")).containsExactly(
        "error KFP050 iterators.yaml:32:19 $.root.dag.tasks['not-a-list'].parameterIterator.items.raw: the"
            + " ParallelFor items of task 'not-a-list' are not a JSON list",
        "error KFP050 iterators.yaml:37:19 $.root.dag.tasks['not-json'].parameterIterator.items.raw: the"
            + " ParallelFor items of task 'not-json' are not valid JSON: Unexpected end-of-input: expected close"
            + " marker for Array (start marker at [line: 1, column: 1])",
        "error KFP050 iterators.yaml:42:19 $.root.dag.tasks['unbound-items'].parameterIterator.items"
            + ".inputParameter: ParallelFor task 'unbound-items' iterates over input 'pipelinechannel--names',"
            + " which the task does not bind",
        "error KFP050 iterators.yaml:46:9 $.root.dag.tasks['no-items'].parameterIterator.items: ParallelFor task"
            + " 'no-items' has no items",
        // Without an item input, nothing feeds the component's loop input: both are reported.
        "error KFP032 iterators.yaml:48:7 $.root.dag.tasks['no-item-input'].inputs: task 'no-item-input' does"
            + " not provide required input parameter 'pipelinechannel--loop-item-param-1' of component 'comp-each'",
        "error KFP050 iterators.yaml:50:9 $.root.dag.tasks['no-item-input'].parameterIterator.itemInput:"
            + " ParallelFor task 'no-item-input' has no itemInput",
        "error KFP032 iterators.yaml:52:7 $.root.dag.tasks['undeclared-item'].inputs: task 'undeclared-item'"
            + " does not provide required input parameter 'pipelinechannel--loop-item-param-1' of component"
            + " 'comp-each'",
        "error KFP050 iterators.yaml:56:11 $.root.dag.tasks['undeclared-item'].parameterIterator.itemInput: the"
            + " loop item 'pipelinechannel--loop-item-param-2' of task 'undeclared-item' is not an input of its"
            + " component",
        "error KFP050 iterators.yaml:60:19 $.root.dag.tasks.artifacts.artifactIterator.items.inputArtifact:"
            + " ParallelFor task 'artifacts' iterates over artifact 'pipelinechannel--models', which the task does"
            + " not bind",
        "error KFP050 iterators.yaml:67:26 $.root.dag.tasks.negative.iteratorPolicy.parallelismLimit:"
            + " parallelism of task 'negative' is negative");
  }

  @Test
  void dagOutputSelectorsMustResolve() {
    assertThat(problems("dag-outputs.yaml")).containsExactly(
        "error KFP060 dag-outputs.yaml:21:11 $.components['comp-inner'].dag.outputs.parameters.loss: DAG output"
            + " 'loss' selects output 'loss' of task 'train', which has no such output",
        "error KFP060 dag-outputs.yaml:23:11 $.components['comp-inner'].dag.outputs.parameters.best: DAG output"
            + " 'best' selects task 'trian', which is not in the DAG",
        "error KFP060 dag-outputs.yaml:27:11 $.components['comp-inner'].dag.outputs.parameters.empty: DAG output"
            + " parameter 'empty' selects nothing",
        "error KFP060 dag-outputs.yaml:29:11 $.components['comp-inner'].dag.outputs.artifacts.model: DAG output"
            + " 'model' selects output 'modle' of task 'train', which has no such output",
        "error KFP060 dag-outputs.yaml:32:11 $.components['comp-inner'].dag.outputs.artifacts.extra: DAG output"
            + " artifact 'extra' is not declared in the component's outputDefinitions");
    assertThat(hints("dag-outputs.yaml").get(1)).isEqualTo("did you mean 'train'?");
  }
}
