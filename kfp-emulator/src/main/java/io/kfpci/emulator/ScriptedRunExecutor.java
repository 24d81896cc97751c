package io.kfpci.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The default {@link RunExecutor}: runs move through PENDING, RUNNING and SUCCEEDED (or FAILED) in
 * steps, with the Argo nodes a 2.17 server reports: the workflow's node, {@code root-driver},
 * {@code root}, and per task {@code <task>-driver}, {@code <task>} and its {@code executor} pod
 * (a sub-DAG's tasks under it; a ParallelFor task as the compiler of 2.17 lays it out: the loop's
 * DAG node, {@code iteration-driver}, the {@code iteration-iterations} group, one
 * {@code iteration-iterations(i:i)} node per item with its {@code iteration-item-driver} and the
 * {@code iteration-item} DAG holding the loop body). Nodes are named as Argo names them
 * ({@code <workflow>.root.condition-1.deploy-model}) and their ids follow Argo's
 * {@code Workflow.NodeID}: {@code <workflow>-<FNV-1a 32 of the name>}, as in the recorded
 * exchanges. A loop has as many items as its {@code items.raw} list, or the list its input
 * parameter gets from the run (or the pipeline's default); one when that is not known before the
 * run (a task's output). Step 0 is PENDING with no run_details; each later step starts the
 * next level of the root DAG (tasks whose upstream tasks are done) and finishes the previous one;
 * the last step ends the run.
 *
 * <p>Steps come from a timer ({@link #timed}, one shared daemon thread for every run) or from the
 * test ({@link #manual} and {@link #advance}). A run fails at a task when {@link #failing} says so:
 * that task FAILED, the next level's nodes reported without a state (never started), the run FAILED.
 * Terminate ends the workflow at the next step: running nodes FAILED, the run FAILED (2.17 never
 * reports CANCELED); a run terminated while PENDING reports only its workflow node, FAILED. Retry
 * re-runs the failed level (Argo re-creates the failed nodes under their names, so their ids) and
 * carries on to SUCCEEDED.
 */
public final class ScriptedRunExecutor implements RunExecutor {
  private final Duration step;
  private final Object lock = new Object();
  /**
   * Held while a report is computed and delivered, so reports reach the emulator in the order they
   * were made. Never taken by submit/terminate/retry, which the emulator calls under its own lock.
   */
  private final Object delivery = new Object();
  private final Map<String, Plan> plans = new HashMap<>();
  private Function<RunSubmission, Optional<String>> failing = run -> Optional.empty();
  private WorkflowReporter reporter;
  private ScheduledExecutorService timer;

  private ScriptedRunExecutor(Duration step) {
    this.step = step;
  }

  /** Steps every {@code step}: a run of L levels ends about (L + 2) steps after it is created. */
  public static ScriptedRunExecutor timed(Duration step) {
    if (step.isNegative() || step.isZero()) {
      throw new IllegalArgumentException("step must be positive, not " + step);
    }
    return new ScriptedRunExecutor(step);
  }

  /** Steps only when the test calls {@link #advance}. */
  public static ScriptedRunExecutor manual() {
    return new ScriptedRunExecutor(null);
  }

  /** Which task (by its root-DAG task name) a run fails at, if any; evaluated once per run. */
  public ScriptedRunExecutor failing(Function<RunSubmission, Optional<String>> failingTask) {
    this.failing = Objects.requireNonNull(failingTask, "failingTask");
    return this;
  }

  @Override
  public void attach(WorkflowReporter reporter) {
    this.reporter = reporter;
    if (step != null) {
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "kfp-emulator-runs");
        thread.setDaemon(true);
        return thread;
      });
    }
  }

  @Override
  public void submit(RunSubmission run) {
    Plan plan = new Plan(run, failing.apply(run).orElse(null));
    synchronized (lock) {
      plans.put(run.runId(), plan);
      if (timer != null) {
        plan.ticker = timer.scheduleAtFixedRate(() -> advanceQuietly(run.runId()), step.toMillis(), step.toMillis(),
            TimeUnit.MILLISECONDS);
      }
    }
  }

  @Override
  public void terminate(String runId) {
    synchronized (lock) {
      Plan plan = plans.get(runId);
      if (plan != null) {
        plan.terminating = true;
      }
    }
  }

  @Override
  public void retry(String runId) {
    synchronized (lock) {
      Plan plan = plans.get(runId);
      if (plan != null) {
        plan.retrying = true;
        plan.terminating = false;
        plan.failAt = null;
        plan.done = false;
        if (timer != null && (plan.ticker == null || plan.ticker.isDone())) {
          plan.ticker = timer.scheduleAtFixedRate(() -> advanceQuietly(runId), step.toMillis(), step.toMillis(),
              TimeUnit.MILLISECONDS);
        }
      }
    }
  }

  /**
   * One step of a run: reports its next workflow state. Returns the run's state after the step.
   *
   * @throws IllegalArgumentException for a run this executor never saw
   */
  public RuntimeState advance(String runId) {
    synchronized (delivery) {
      WorkflowReport report;
      synchronized (lock) {
        Plan plan = plans.get(runId);
        if (plan == null) {
          throw new IllegalArgumentException("no run " + runId + " was submitted to this executor");
        }
        report = plan.next(reporter.now());
        if (plan.done && plan.ticker != null) {
          plan.ticker.cancel(false);
        }
      }
      reporter.report(runId, report);
      return report.state();
    }
  }

  /** Steps a run until its workflow has ended; returns the final state. */
  public RuntimeState advanceToEnd(String runId) {
    RuntimeState state = advance(runId);
    for (int i = 0; i < 1000 && !state.isTerminal(); i++) {
      state = advance(runId);
    }
    return state;
  }

  /** Reports a run's workflow as it is, without stepping: the agent's periodic resync. */
  public void resync(String runId) {
    synchronized (delivery) {
      WorkflowReport report;
      synchronized (lock) {
        Plan plan = plans.get(runId);
        if (plan == null) {
          throw new IllegalArgumentException("no run " + runId + " was submitted to this executor");
        }
        report = plan.snapshot();
      }
      reporter.report(runId, report);
    }
  }

  /** Reports a workflow whose phase Argo has not set yet (the run shows no state): a real first sync. */
  public void reportUnsetPhase(String runId) {
    synchronized (delivery) {
      reporter.report(runId, new WorkflowReport(RuntimeState.RUNTIME_STATE_UNSPECIFIED, List.of()));
    }
  }

  private void advanceQuietly(String runId) {
    synchronized (lock) {
      Plan plan = plans.get(runId);
      if (plan == null || plan.done) {
        if (plan != null && plan.ticker != null) {
          plan.ticker.cancel(false);
        }
        return;
      }
    }
    advance(runId);
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** Argo's {@code Workflow.NodeID}: the workflow's name, a dash, FNV-1a (32 bits) of the node's name. */
  static String nodeId(String workflowName, String nodeName) {
    if (nodeName.equals(workflowName)) {
      return workflowName;
    }
    int hash = 0x811c9dc5;
    for (byte b : nodeName.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    return workflowName + "-" + Integer.toUnsignedString(hash);
  }

  /** A node of the workflow as this executor tracks it. */
  private static final class Node {
    final String id;
    final String name;
    final String displayName;
    RuntimeState state = RuntimeState.RUNTIME_STATE_UNSPECIFIED;
    Instant startedAt;
    Instant finishedAt;
    final List<Node> children = new ArrayList<>();
    boolean reported;

    Node(String id, String name, String displayName) {
      this.id = id;
      this.name = name;
      this.displayName = displayName;
    }

    WorkflowNode view() {
      return new WorkflowNode(id, displayName, state, startedAt, finishedAt, children.stream()
          .filter(c -> c.reported).map(c -> c.id).toList());
    }
  }

  /**
   * The nodes of one root-DAG task: its driver (null for a loop, which has none at its own level),
   * its own node, and under it executors or sub-tasks.
   */
  private record TaskNodes(String name, Node driver, Node task, List<Node> inner) {
    /** The node its upstream tasks' last nodes point to. */
    Node entry() {
      return driver != null ? driver : task;
    }
  }

  private final class Plan {
    final Node workflow;
    final Node rootDriver;
    final Node root;
    final List<List<TaskNodes>> levels = new ArrayList<>();
    final List<Node> order = new ArrayList<>();
    String failAt;
    int step;
    int level = -1;
    boolean terminating;
    boolean retrying;
    boolean done;
    RuntimeState state = RuntimeState.PENDING;
    ScheduledFuture<?> ticker;
    final String workflowName;

    Plan(RunSubmission run, String failAt) {
      this.failAt = failAt;
      this.workflowName = run.workflowName();
      workflow = new Node(run.workflowName(), run.workflowName(), run.workflowName());
      order.add(workflow);
      rootDriver = node(workflow, "root-driver");
      root = node(workflow, "root");
      workflow.children.add(rootDriver);
      rootDriver.children.add(root);
      JsonNode spec = run.pipelineSpec();
      JsonNode dag = spec.path("root").path("dag").path("tasks");
      for (List<String> names : levels(dag)) {
        List<TaskNodes> level = new ArrayList<>();
        for (String name : names) {
          level.add(taskNodes(root, name, dag.get(name), spec, run, 0));
        }
        levels.add(level);
      }
      for (TaskNodes task : levels.isEmpty() ? List.<TaskNodes>of() : levels.get(0)) {
        root.children.add(task.entry());
      }
    }

    /** A node named as Argo names it: its enclosing node's name, a dot, its display name. */
    private Node node(Node parent, String displayName) {
      String name = parent.name + "." + displayName;
      Node node = new Node(nodeId(workflowName, name), name, displayName);
      order.add(node);
      return node;
    }

    private TaskNodes taskNodes(Node scope, String name, JsonNode taskSpec, JsonNode spec, RunSubmission run,
        int depth) {
      String component = taskSpec.path("componentRef").path("name").asText(taskSpec.path("component_ref").path("name").asText(""));
      JsonNode subTasks = spec.path("components").path(component).path("dag").path("tasks");
      boolean dag = subTasks.isObject() && subTasks.size() > 0 && depth < 5;
      List<Node> inner = new ArrayList<>();
      if (dag && (taskSpec.has("parameterIterator") || taskSpec.has("artifactIterator"))) {
        Node loop = node(scope, name);
        Node iterationDriver = node(loop, "iteration-driver");
        Node group = node(loop, "iteration-iterations");
        loop.children.add(iterationDriver);
        iterationDriver.children.add(group);
        inner.add(iterationDriver);
        inner.add(group);
        int count = iterations(taskSpec, spec, run);
        for (int i = 0; i < count; i++) {
          Node iteration = node(loop, "iteration-iterations(" + i + ":" + i + ")");
          Node itemDriver = node(iteration, "iteration-item-driver");
          Node item = node(iteration, "iteration-item");
          group.children.add(iteration);
          iteration.children.add(itemDriver);
          itemDriver.children.add(item);
          inner.addAll(List.of(iteration, itemDriver, item));
          body(item, subTasks, spec, run, depth, inner);
        }
        return new TaskNodes(name, null, loop, inner);
      }
      Node driver = node(scope, name + "-driver");
      Node task = node(scope, name);
      driver.children.add(task);
      if (dag) {
        body(task, subTasks, spec, run, depth, inner);
      } else {
        Node executor = node(task, "executor");
        task.children.add(executor);
        inner.add(executor);
      }
      return new TaskNodes(name, driver, task, inner);
    }

    /** The tasks of a sub-DAG under its node, which lists their first nodes as its children. */
    private void body(Node dag, JsonNode subTasks, JsonNode spec, RunSubmission run, int depth, List<Node> inner) {
      subTasks.fieldNames().forEachRemaining(sub -> {
        TaskNodes nested = taskNodes(dag, sub, subTasks.get(sub), spec, run, depth + 1);
        dag.children.add(nested.entry());
        if (nested.driver() != null) {
          inner.add(nested.driver());
        }
        inner.add(nested.task());
        inner.addAll(nested.inner());
      });
    }

    /** How many items a loop has: its raw list, or the list its input parameter gets from the run. */
    private int iterations(JsonNode taskSpec, JsonNode spec, RunSubmission run) {
      JsonNode items = taskSpec.path("parameterIterator").path("items");
      JsonNode list = null;
      if (items.path("raw").isTextual()) {
        try {
          list = new com.fasterxml.jackson.databind.ObjectMapper().readTree(items.get("raw").asText());
        } catch (java.io.IOException e) {
          list = null; // not JSON: the driver would fail the run; one item keeps the stand-in simple
        }
      } else if (items.path("inputParameter").isTextual()) {
        String input = taskSpec.path("inputs").path("parameters").path(items.get("inputParameter").asText())
            .path("componentInputParameter").asText("");
        list = run.parameters().has(input) ? run.parameters().get(input)
            : spec.path("root").path("inputDefinitions").path("parameters").path(input).path("defaultValue");
      }
      return list != null && list.isArray() && list.size() > 0 ? Math.min(list.size(), 1000) : 1;
    }

    /** Root-DAG tasks grouped by level: a task's level is one more than its deepest upstream task's. */
    private List<List<String>> levels(JsonNode tasks) {
      Map<String, Set<String>> upstream = new LinkedHashMap<>();
      tasks.fieldNames().forEachRemaining(name -> upstream.put(name, upstreamOf(tasks.get(name), tasks)));
      Map<String, Integer> depth = new HashMap<>();
      List<List<String>> out = new ArrayList<>();
      boolean progress = true;
      while (depth.size() < upstream.size() && progress) {
        progress = false;
        for (Map.Entry<String, Set<String>> entry : upstream.entrySet()) {
          if (depth.containsKey(entry.getKey()) || !depth.keySet().containsAll(entry.getValue())) {
            continue;
          }
          int d = entry.getValue().stream().mapToInt(depth::get).max().orElse(-1) + 1;
          depth.put(entry.getKey(), d);
          while (out.size() <= d) {
            out.add(new ArrayList<>());
          }
          out.get(d).add(entry.getKey());
          progress = true;
        }
      }
      return out;
    }

    private Set<String> upstreamOf(JsonNode task, JsonNode tasks) {
      Set<String> names = new LinkedHashSet<>();
      task.path("dependentTasks").forEach(n -> names.add(n.asText()));
      task.path("dependent_tasks").forEach(n -> names.add(n.asText()));
      collectProducers(task.path("inputs"), names);
      names.retainAll(iterable(tasks));
      return names;
    }

    private Set<String> iterable(JsonNode tasks) {
      Set<String> names = new LinkedHashSet<>();
      tasks.fieldNames().forEachRemaining(names::add);
      return names;
    }

    private void collectProducers(JsonNode node, Set<String> names) {
      if (node.isObject()) {
        node.properties().forEach(e -> {
          if ((e.getKey().equals("producerTask") || e.getKey().equals("producer_task")) && e.getValue().isTextual()) {
            names.add(e.getValue().asText());
          } else {
            collectProducers(e.getValue(), names);
          }
        });
      } else if (node.isArray()) {
        node.forEach(n -> collectProducers(n, names));
      }
    }

    private void start(Node node, Instant now) {
      node.state = RuntimeState.RUNNING;
      node.startedAt = now;
      node.finishedAt = null;
      node.reported = true;
    }

    private void finish(Node node, RuntimeState state, Instant now) {
      if (!node.reported) {
        node.startedAt = now;
        node.reported = true;
      }
      node.state = state;
      node.finishedAt = now;
    }

    private void startLevel(int index, Instant now) {
      for (TaskNodes task : levels.get(index)) {
        if (task.driver() != null) {
          finish(task.driver(), RuntimeState.SUCCEEDED, now);
        }
        start(task.task(), now);
        for (Node inner : task.inner()) {
          if (inner.displayName.endsWith("-driver")) {
            finish(inner, RuntimeState.SUCCEEDED, now);
          } else {
            start(inner, now);
          }
        }
      }
    }

    /** Ends a level; returns false when one of its tasks fails. */
    private boolean finishLevel(int index, Instant now) {
      boolean ok = true;
      for (TaskNodes task : levels.get(index)) {
        boolean fails = task.name().equals(failAt);
        RuntimeState state = fails ? RuntimeState.FAILED : RuntimeState.SUCCEEDED;
        for (Node inner : task.inner()) {
          if (!inner.displayName.endsWith("-driver")) {
            finish(inner, state, now);
          }
        }
        finish(task.task(), state, now);
        ok &= !fails;
      }
      return ok;
    }

    private void linkNext(int index) {
      if (index + 1 < levels.size()) {
        for (TaskNodes done : levels.get(index)) {
          for (TaskNodes next : levels.get(index + 1)) {
            if (!done.task().children.contains(next.entry())) {
              lastOf(done).children.add(next.entry());
            }
          }
        }
      }
    }

    private Node lastOf(TaskNodes task) {
      return task.inner().isEmpty() ? task.task() : task.inner().get(task.inner().size() - 1);
    }

    private void endRun(RuntimeState state, Instant now) {
      finish(root, state, now);
      finish(workflow, state, now);
      this.state = state;
      done = true;
    }

    WorkflowReport next(Instant now) {
      if (done) {
        return snapshot();
      }
      step++;
      if (terminating) {
        if (!workflow.reported) {
          finish(workflow, RuntimeState.FAILED, now);
          state = RuntimeState.FAILED;
          done = true;
          return snapshot();
        }
        for (Node node : order) {
          if (node.state == RuntimeState.RUNNING) {
            finish(node, RuntimeState.FAILED, now);
          }
        }
        endRun(RuntimeState.FAILED, now);
        return snapshot();
      }
      if (retrying && level < 0) {
        // Retried before it ever started (terminated while PENDING): it simply starts now.
        retrying = false;
        workflow.finishedAt = null;
      }
      if (retrying) {
        retrying = false;
        state = RuntimeState.RUNNING;
        start(workflow, now);
        start(root, now);
        workflow.finishedAt = null;
        root.finishedAt = null;
        int again = Math.max(level, 0);
        if (again < levels.size()) {
          for (TaskNodes task : levels.get(again)) {
            if (task.task().state != RuntimeState.SUCCEEDED) {
              start(task.task(), now);
              task.inner().stream().filter(n -> !n.displayName.endsWith("-driver")).forEach(n -> start(n, now));
            }
          }
        }
        return snapshot();
      }
      if (level < 0) {
        start(workflow, now);
        finish(rootDriver, RuntimeState.SUCCEEDED, now);
        start(root, now);
        state = RuntimeState.RUNNING;
        level = 0;
        if (levels.isEmpty()) {
          endRun(RuntimeState.SUCCEEDED, now);
        } else {
          startLevel(0, now);
        }
        return snapshot();
      }
      boolean ok = finishLevel(level, now);
      linkNext(level);
      if (!ok) {
        if (level + 1 < levels.size()) {
          for (TaskNodes never : levels.get(level + 1)) {
            for (Node node : never.driver() != null ? List.of(never.driver(), never.task()) : List.of(never.task())) {
              node.reported = true;
              node.startedAt = now;
              node.finishedAt = now;
              node.state = RuntimeState.RUNTIME_STATE_UNSPECIFIED;
            }
          }
        }
        endRun(RuntimeState.FAILED, now);
        return snapshot();
      }
      level++;
      if (level >= levels.size()) {
        endRun(RuntimeState.SUCCEEDED, now);
      } else {
        startLevel(level, now);
      }
      return snapshot();
    }

    WorkflowReport snapshot() {
      List<WorkflowNode> nodes = order.stream().filter(n -> n.reported).map(Node::view).toList();
      return new WorkflowReport(state, nodes);
    }
  }
}
