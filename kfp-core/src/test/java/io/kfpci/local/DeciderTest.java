package io.kfpci.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.local.internal.Action;
import io.kfpci.local.internal.Decider;
import io.kfpci.local.internal.Kind;
import io.kfpci.local.internal.Node;
import io.kfpci.local.internal.Outcome;
import io.kfpci.local.internal.Plan;
import io.kfpci.local.internal.RunState;
import io.kfpci.local.internal.Scopes;
import io.kfpci.local.internal.Transitions;
import io.kfpci.report.RuntimeState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The decide function and the state transitions, without processes: hand-written IR, outcomes
 * supplied by the test, time passed in.
 */
class DeciderTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Header, components and executors shared by the pipelines below; {@code root} is appended. */
  private static final String COMPONENTS = """
      pipelineInfo: {name: decide-test}
      schemaVersion: 2.1.0
      sdkVersion: kfp-2.17.3
      components:
        comp-make:
          executorLabel: exec-make
          inputDefinitions:
            parameters:
              n: {parameterType: NUMBER_INTEGER, defaultValue: 1.0, isOptional: true}
          outputDefinitions:
            parameters:
              Output: {parameterType: NUMBER_INTEGER}
        comp-use:
          executorLabel: exec-use
          inputDefinitions:
            parameters:
              x: {parameterType: NUMBER_INTEGER}
              note: {parameterType: STRING, defaultValue: fallback, isOptional: true}
          outputDefinitions:
            parameters:
              Output: {parameterType: STRING}
        comp-branch:
          dag:
            tasks:
              use:
                componentRef: {name: comp-use}
                inputs:
                  parameters:
                    x: {componentInputParameter: pipelinechannel--make-Output}
                taskInfo: {name: use}
            outputs:
              parameters:
                picked:
                  valueFromParameter: {producerSubtask: use, outputParameterKey: Output}
          inputDefinitions:
            parameters:
              pipelinechannel--make-Output: {parameterType: NUMBER_INTEGER}
          outputDefinitions:
            parameters:
              picked: {parameterType: STRING}
        comp-loop:
          dag:
            tasks:
              use:
                componentRef: {name: comp-use}
                inputs:
                  parameters:
                    x: {componentInputParameter: pipelinechannel--loop-item}
                taskInfo: {name: use}
            outputs:
              parameters:
                pipelinechannel--use-Output:
                  valueFromParameter: {producerSubtask: use, outputParameterKey: Output}
          inputDefinitions:
            parameters:
              pipelinechannel--loop-item: {parameterType: NUMBER_INTEGER}
          outputDefinitions:
            parameters:
              pipelinechannel--use-Output: {parameterType: LIST}
      deploymentSpec:
        executors:
          exec-make:
            container: {image: 'python:3.11', command: [echo], args: [make]}
          exec-use:
            container: {image: 'python:3.11', command: [echo], args: [use]}
      """;

  private static Plan plan(String root) throws Exception {
    PipelineDocument doc = PipelineLoader.load("decide.yaml", (COMPONENTS + root).getBytes(StandardCharsets.UTF_8));
    return new Plan(doc);
  }

  private static RunState start(Plan plan) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    plan.initialNodes().forEach(n -> nodes.put(n.id(), n));
    return new RunState("run-1", RuntimeState.PENDING, T0, null, null, null, false, Map.of(), nodes);
  }

  private static RunState applyAll(Plan plan, RunState state, List<Action> actions, Instant now) {
    RunState s = state;
    for (Action a : actions) {
      s = Transitions.apply(plan, s, a, now);
    }
    return s;
  }

  private static Outcome succeeded(String output, JsonNode value) {
    return new Outcome(RuntimeState.SUCCEEDED, false, 0, null, Map.of(output, value), Map.of(), List.of("ok"));
  }

  private static List<String> executed(List<Action> actions) {
    return actions.stream().filter(a -> a instanceof Action.Execute).map(a -> ((Action.Execute) a).nodeId()).toList();
  }

  private static final String CHAIN = """
      root:
        dag:
          tasks:
            make:
              componentRef: {name: comp-make}
              taskInfo: {name: make}
            use:
              componentRef: {name: comp-use}
              dependentTasks: [make]
              inputs:
                parameters:
                  x:
                    taskOutputParameter: {producerTask: make, outputParameterKey: Output}
              taskInfo: {name: use}
      """;

  @Test
  void aPendingRunStartsFirstThenItsTasksWithoutUpstream() throws Exception {
    Plan plan = plan(CHAIN);
    RunState state = start(plan);

    assertThat(Decider.decide(plan, state, T0, 4)).containsExactly(new Action.StartRun());
    state = applyAll(plan, state, Decider.decide(plan, state, T0, 4), T0);

    List<Action> next = Decider.decide(plan, state, T0, 4);
    assertThat(executed(next)).containsExactly("make");
  }

  @Test
  void aDependentTaskWaitsForItsUpstreamAndGetsItsOutputAsInput() throws Exception {
    Plan plan = plan(CHAIN);
    RunState state = applyAll(plan, start(plan), List.of(new Action.StartRun()), T0);
    state = applyAll(plan, state, Decider.decide(plan, state, T0, 4), T0);

    assertThat(executed(Decider.decide(plan, state, T0, 4))).as("make is running, use waits").isEmpty();

    state = Transitions.finished(plan, state, "make", succeeded("Output", JSON.numberNode(7)), T0.plusSeconds(1));
    List<Action> next = Decider.decide(plan, state, T0.plusSeconds(1), 4);
    assertThat(executed(next)).containsExactly("use");
    Scopes.Inputs inputs = ((Action.Execute) next.get(0)).inputs();
    assertThat(inputs.parameters()).containsEntry("x", JSON.numberNode(7L))
        .containsEntry("note", JSON.textNode("fallback"));
  }

  @Test
  void independentTasksStartOnlyAsFarAsTheParallelismAllows() throws Exception {
    Plan plan = plan("""
        root:
          dag:
            tasks:
              a: {componentRef: {name: comp-make}, taskInfo: {name: a}}
              b: {componentRef: {name: comp-make}, taskInfo: {name: b}}
              c: {componentRef: {name: comp-make}, taskInfo: {name: c}}
        """);
    RunState state = applyAll(plan, start(plan), List.of(new Action.StartRun()), T0);

    List<Action> first = Decider.decide(plan, state, T0, 2);
    assertThat(executed(first)).containsExactly("a", "b");
    state = applyAll(plan, state, first, T0);
    assertThat(executed(Decider.decide(plan, state, T0, 2))).isEmpty();

    state = Transitions.finished(plan, state, "a", succeeded("Output", JSON.numberNode(1)), T0);
    assertThat(executed(Decider.decide(plan, state, T0, 2))).containsExactly("c");
  }

  @Test
  void anUpstreamFailureSkipsTheDefaultStrategyButNotAllUpstreamTasksCompleted() throws Exception {
    Plan plan = plan("""
        root:
          dag:
            tasks:
              make: {componentRef: {name: comp-make}, taskInfo: {name: make}}
              strict:
                componentRef: {name: comp-use}
                dependentTasks: [make]
                inputs:
                  parameters:
                    x: {taskOutputParameter: {producerTask: make, outputParameterKey: Output}}
                taskInfo: {name: strict}
              tolerant:
                componentRef: {name: comp-use}
                dependentTasks: [make]
                inputs:
                  parameters:
                    x: {runtimeValue: {constant: 3.0}}
                    note: {taskOutputParameter: {producerTask: make, outputParameterKey: Output}}
                taskInfo: {name: tolerant}
                triggerPolicy: {strategy: ALL_UPSTREAM_TASKS_COMPLETED}
        """);
    RunState state = applyAll(plan, start(plan), List.of(new Action.StartRun()), T0);
    state = applyAll(plan, state, Decider.decide(plan, state, T0, 4), T0);
    state = Transitions.finished(plan, state, "make", Outcome.failed(2, "with exit code 2", List.of("boom")), T0);

    assertThat(state.require("make").error()).isEqualTo("task 'make' failed with exit code 2");
    List<Action> next = Decider.decide(plan, state, T0, 4);
    assertThat(next).contains(new Action.Skip("strict", Node.SkipReason.UPSTREAM_FAILED,
        "not run: upstream task 'make' FAILED"));
    assertThat(executed(next)).containsExactly("tolerant");
    Scopes.Inputs tolerant = next.stream().filter(a -> a instanceof Action.Execute).map(a -> ((Action.Execute) a).inputs())
        .findFirst().orElseThrow();
    assertThat(tolerant.parameters()).as("the failed producer's output falls back to the default")
        .containsEntry("note", JSON.textNode("fallback"));
  }

  private static final String CONDITION = """
      root:
        dag:
          tasks:
            make:
              componentRef: {name: comp-make}
              taskInfo: {name: make}
            condition-1:
              componentRef: {name: comp-branch}
              dependentTasks: [make]
              inputs:
                parameters:
                  pipelinechannel--make-Output: {taskOutputParameter: {producerTask: make, outputParameterKey: Output}}
              taskInfo: {name: big-enough}
              triggerPolicy:
                condition: int(inputs.parameter_values['pipelinechannel--make-Output']) >= 5
      """;

  @Test
  void aFalseConditionSkipsTheBranchAndEverythingInIt() throws Exception {
    Plan plan = plan(CONDITION);
    RunState state = applyAll(plan, start(plan), List.of(new Action.StartRun()), T0);
    state = applyAll(plan, state, Decider.decide(plan, state, T0, 4), T0);
    state = Transitions.finished(plan, state, "make", succeeded("Output", JSON.numberNode(4)), T0);

    List<Action> next = Decider.decide(plan, state, T0, 4);
    assertThat(next).containsExactly(new Action.Skip("condition-1", Node.SkipReason.CONDITION_FALSE, null));
    state = applyAll(plan, state, next, T0);
    assertThat(state.require("condition-1/use").state()).isEqualTo(RuntimeState.SKIPPED);

    List<Action> end = Decider.decide(plan, state, T0, 4);
    assertThat(end).containsExactly(new Action.FinishRun(RuntimeState.SUCCEEDED, null));
  }

  @Test
  void aTrueConditionRunsTheBranchAndItsOutputsComeFromTheTaskThatRan() throws Exception {
    Plan plan = plan(CONDITION);
    RunState state = applyAll(plan, start(plan), List.of(new Action.StartRun()), T0);
    state = applyAll(plan, state, Decider.decide(plan, state, T0, 4), T0);
    state = Transitions.finished(plan, state, "make", succeeded("Output", JSON.numberNode(5)), T0);

    assertThat(Decider.decide(plan, state, T0, 4)).containsExactly(new Action.StartDag("condition-1"));
    state = applyAll(plan, state, Decider.decide(plan, state, T0, 4), T0);
    List<Action> inner = Decider.decide(plan, state, T0, 4);
    assertThat(executed(inner)).containsExactly("condition-1/use");
    assertThat(((Action.Execute) inner.get(0)).inputs().parameters()).containsEntry("x", JSON.numberNode(5L));

    state = applyAll(plan, state, inner, T0);
    state = Transitions.finished(plan, state, "condition-1/use", succeeded("Output", JSON.textNode("five")), T0);
    assertThat(Decider.decide(plan, state, T0, 4))
        .containsExactly(new Action.FinishDag("condition-1", RuntimeState.SUCCEEDED, null));
    state = applyAll(plan, state, Decider.decide(plan, state, T0, 4), T0);
    assertThat(Scopes.outputParameters(plan, state, state.require("condition-1")))
        .containsExactly(Map.entry("picked", JSON.textNode("five")));
  }

  private static final String LOOP = """
      root:
        dag:
          tasks:
            for-loop-1:
              componentRef: {name: comp-loop}
              parameterIterator:
                itemInput: pipelinechannel--loop-item
                items: {raw: '[10, 20, 30]'}
              iteratorPolicy: {parallelismLimit: 2}
              taskInfo: {name: fan-out}
      """;

  @Test
  void aLoopExpandsIntoIterationsThatRespectItsParallelismLimitAndCollectsOutputsInOrder() throws Exception {
    Plan plan = plan(LOOP);
    RunState state = applyAll(plan, start(plan), List.of(new Action.StartRun()), T0);

    assertThat(Decider.decide(plan, state, T0, 8)).containsExactly(new Action.ExpandLoop("for-loop-1", 3));
    state = applyAll(plan, state, Decider.decide(plan, state, T0, 8), T0);
    assertThat(state.children("for-loop-1")).extracting(Node::id)
        .containsExactly("for-loop-1[0]", "for-loop-1[1]", "for-loop-1[2]");
    assertThat(state.require("for-loop-1[1]").kind()).isEqualTo(Kind.ITERATION);

    assertThat(Decider.decide(plan, state, T0, 8))
        .containsExactly(new Action.StartDag("for-loop-1[0]"), new Action.StartDag("for-loop-1[1]"));
    state = applyAll(plan, state, Decider.decide(plan, state, T0, 8), T0);
    List<Action> inner = Decider.decide(plan, state, T0, 8);
    assertThat(executed(inner)).containsExactly("for-loop-1[0]/use", "for-loop-1[1]/use");
    assertThat(((Action.Execute) inner.get(1)).inputs().parameters()).containsEntry("x", JSON.numberNode(20L));
    state = applyAll(plan, state, inner, T0);

    state = Transitions.finished(plan, state, "for-loop-1[1]/use", succeeded("Output", JSON.textNode("b")), T0);
    state = applyAll(plan, state, Decider.decide(plan, state, T0, 8), T0); // iteration 1 ends
    assertThat(Decider.decide(plan, state, T0, 8)).containsExactly(new Action.StartDag("for-loop-1[2]"));
    state = applyAll(plan, state, Decider.decide(plan, state, T0, 8), T0);
    state = applyAll(plan, state, Decider.decide(plan, state, T0, 8), T0); // executes iteration 2's task
    state = Transitions.finished(plan, state, "for-loop-1[2]/use", succeeded("Output", JSON.textNode("c")), T0);
    state = Transitions.finished(plan, state, "for-loop-1[0]/use", succeeded("Output", JSON.textNode("a")), T0);
    state = applyAll(plan, state, Decider.decide(plan, state, T0, 8), T0);
    state = applyAll(plan, state, Decider.decide(plan, state, T0, 8), T0);

    assertThat(state.require("for-loop-1").state()).isEqualTo(RuntimeState.SUCCEEDED);
    assertThat(Scopes.outputParameters(plan, state, state.require("for-loop-1")).get("pipelinechannel--use-Output"))
        .isEqualTo(JSON.arrayNode().add("a").add("b").add("c"));
  }

  private static final String RETRIED = """
      root:
        dag:
          tasks:
            make:
              componentRef: {name: comp-make}
              taskInfo: {name: make}
              retryPolicy: {maxRetryCount: 2, backoffDuration: 10s, backoffFactor: 3.0, backoffMaxDuration: 3600s}
      """;

  @Test
  void aFailedAttemptWithRetriesLeftWaitsItsBackoffThenRunsAgain() throws Exception {
    Plan plan = plan(RETRIED);
    RunState state = applyAll(plan, start(plan), List.of(new Action.StartRun()), T0);
    state = applyAll(plan, state, Decider.decide(plan, state, T0, 4), T0);

    state = Transitions.finished(plan, state, "make", Outcome.failed(1, "with exit code 1", List.of()), T0);
    Node waiting = state.require("make");
    assertThat(waiting.state()).isEqualTo(RuntimeState.RUNNING);
    assertThat(waiting.retryAt()).isEqualTo(T0.plusSeconds(10));
    assertThat(Decider.nextWakeUp(state)).contains(T0.plusSeconds(10));
    assertThat(Decider.decide(plan, state, T0.plusSeconds(9), 4)).isEmpty();
    List<Action> retry = Decider.decide(plan, state, T0.plusSeconds(10), 4);
    assertThat(executed(retry)).containsExactly("make");
    state = applyAll(plan, state, retry, T0.plusSeconds(10));
    assertThat(state.require("make").attempts()).isEqualTo(2);

    state = Transitions.finished(plan, state, "make", Outcome.failed(1, "with exit code 1", List.of()), T0.plusSeconds(11));
    assertThat(state.require("make").retryAt()).as("second retry: 10 s x 3").isEqualTo(T0.plusSeconds(41));
    state = applyAll(plan, state, Decider.decide(plan, state, T0.plusSeconds(41), 4), T0.plusSeconds(41));
    state = Transitions.finished(plan, state, "make", Outcome.failed(1, "with exit code 1", List.of()), T0.plusSeconds(42));

    assertThat(state.require("make").state()).as("no retries left").isEqualTo(RuntimeState.FAILED);
    assertThat(state.require("make").attempts()).isEqualTo(3);
    assertThat(Decider.decide(plan, state, T0.plusSeconds(42), 4))
        .containsExactly(new Action.FinishRun(RuntimeState.FAILED, "task 'make' failed with exit code 1"));
  }

  @Test
  void cancelingKillsRunningTasksCancelsPendingOnesAndStillRunsTheExitHandler() throws Exception {
    Plan plan = plan("""
        root:
          dag:
            tasks:
              exit-handler-1:
                componentRef: {name: comp-branch}
                inputs:
                  parameters:
                    pipelinechannel--make-Output: {runtimeValue: {constant: 1.0}}
                taskInfo: {name: main}
              other: {componentRef: {name: comp-make}, dependentTasks: [exit-handler-1], taskInfo: {name: other}}
              cleanup:
                componentRef: {name: comp-use}
                dependentTasks: [exit-handler-1]
                inputs:
                  parameters:
                    x: {runtimeValue: {constant: 0.0}}
                taskInfo: {name: cleanup}
                triggerPolicy: {strategy: ALL_UPSTREAM_TASKS_COMPLETED}
        """);
    RunState state = applyAll(plan, start(plan), List.of(new Action.StartRun()), T0);
    state = applyAll(plan, state, Decider.decide(plan, state, T0, 4), T0); // main starts
    state = applyAll(plan, state, Decider.decide(plan, state, T0, 4), T0); // its task runs
    assertThat(state.require("exit-handler-1/use").executing()).isTrue();

    state = state.withCancelRequested();
    List<Action> cancel = Decider.decide(plan, state, T0, 4);
    assertThat(cancel).containsExactly(new Action.StartCanceling(), new Action.Kill("exit-handler-1/use"));
    state = applyAll(plan, state, cancel, T0);
    assertThat(Decider.decide(plan, state, T0, 4)).as("kill asked once").isEmpty();

    state = Transitions.finished(plan, state, "exit-handler-1/use", Outcome.canceled(null, List.of()), T0);
    state = applyAll(plan, state, Decider.decide(plan, state, T0, 4), T0); // main ends CANCELED
    assertThat(state.require("exit-handler-1").state()).isEqualTo(RuntimeState.CANCELED);
    List<Action> after = Decider.decide(plan, state, T0, 4);
    assertThat(after).contains(new Action.Cancel("other"));
    assertThat(executed(after)).containsExactly("cleanup");
    state = applyAll(plan, state, after, T0);
    state = Transitions.finished(plan, state, "cleanup", succeeded("Output", JSON.textNode("done")), T0);
    assertThat(Decider.decide(plan, state, T0, 4)).containsExactly(new Action.FinishRun(RuntimeState.CANCELED, "canceled"));
  }

  @Test
  void aConditionThatCannotBeEvaluatedFailsTheTaskWithCelsMessage() throws Exception {
    Plan plan = plan(CONDITION.replace("pipelinechannel--make-Output']) >= 5", "no-such-input']) >= 5"));
    RunState state = applyAll(plan, start(plan), List.of(new Action.StartRun()), T0);
    state = applyAll(plan, state, Decider.decide(plan, state, T0, 4), T0);
    state = Transitions.finished(plan, state, "make", succeeded("Output", JSON.numberNode(4)), T0);

    List<Action> next = Decider.decide(plan, state, T0, 4);
    assertThat(next).hasSize(1).first().isInstanceOf(Action.Fail.class);
    assertThat(((Action.Fail) next.get(0)).error()).startsWith("task 'condition-1' failed: '")
        .contains("no-such-input");
  }
}
