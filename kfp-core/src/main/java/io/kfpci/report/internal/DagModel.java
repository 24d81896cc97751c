package io.kfpci.report.internal;

import io.kfpci.report.RunSummary;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The graph the report draws: the summary's task executions folded into one node per task of the
 * pipeline. Loop iterations fold into their loop, so {@code for-loop-2[0]/train} …
 * {@code for-loop-2[7]/train} become one node {@code train ×8} inside the loop's group, which
 * keeps the drawing the size of the pipeline, not of the run. Edges are lifted to the innermost
 * group holding both ends, so every edge joins two siblings.
 *
 * <p>Built once per render and not changed afterwards; not thread-safe while building.
 */
public final class DagModel {
  /** How a node is drawn: a box, or a group holding other nodes. */
  public enum Shape { TASK, GROUP, LOOP }

  /** A dependency between two sibling nodes; {@code data} unless only {@code after} edges join them. */
  public record Edge(Node from, Node to, boolean data) {}

  /**
   * One task of the pipeline and the executions that stand for it. Identity matters: nodes are
   * compared by reference.
   */
  public static final class Node {
    private final String key;
    private final String name;
    private final Node parent;
    private final int index;
    private Shape shape;
    private final List<TaskSummary> executions = new ArrayList<>();
    private final List<TaskSummary> iterations = new ArrayList<>();
    private final Map<String, Node> childrenByName = new LinkedHashMap<>();
    private final List<Node> children = new ArrayList<>();
    // Computed on first use, once the model is built: drawing asks for them many times.
    private RuntimeState state;
    private Map<RuntimeState, Integer> counts;

    private Node(String key, String name, Node parent, int index, Shape shape) {
      this.key = key;
      this.name = name;
      this.parent = parent;
      this.index = index;
      this.shape = shape;
    }

    /** The task's path with loop iterations folded, e.g. {@code for-loop-2/train}. */
    public String key() {
      return key;
    }

    public String name() {
      return name;
    }

    public Node parent() {
      return parent;
    }

    /** Creation order; unique in the model, used for element ids. */
    public int index() {
      return index;
    }

    public Shape shape() {
      return shape;
    }

    public boolean isGroup() {
      return shape != Shape.TASK;
    }

    /** The task executions this node stands for (one, or one per loop iteration). */
    public List<TaskSummary> executions() {
      return Collections.unmodifiableList(executions);
    }

    /** For a loop: its iterations (dag tasks with an index). */
    public List<TaskSummary> iterations() {
      return Collections.unmodifiableList(iterations);
    }

    public List<Node> children() {
      return Collections.unmodifiableList(children);
    }

    /** The summary's kind of the task ({@code container}, {@code dag}, …), "" when unknown. */
    public String taskKind() {
      return executions.isEmpty() ? "" : executions.get(0).kind();
    }

    /** What the counts count: iterations for a loop, executions otherwise. */
    public List<TaskSummary> counted() {
      return shape == Shape.LOOP && !iterations.isEmpty() ? iterations : executions;
    }

    /** How many of {@link #counted()} ended in each state, in display order. */
    public Map<RuntimeState, Integer> counts() {
      if (counts == null) {
        counts = States.count(counted());
      }
      return counts;
    }

    /** The state the node is drawn in: the most pressing state among its executions. */
    public RuntimeState state() {
      if (state == null) {
        List<TaskSummary> basis = executions.isEmpty() ? iterations : executions;
        state = States.dominant(basis.stream().map(TaskSummary::state).toList());
      }
      return state;
    }

    public int cachedCount() {
      return (int) executions.stream().filter(TaskSummary::cached).count();
    }

    /** Executions that needed more than one attempt. */
    public int retriedCount() {
      return (int) executions.stream().filter(t -> t.attempts() > 1).count();
    }

    /** Skipped nodes (a false condition, a branch not taken) are drawn dimmed. */
    public boolean dimmed() {
      return !executions.isEmpty() && state() == RuntimeState.SKIPPED;
    }

    private Node child(String childName, Shape childShape, DagModel model) {
      if (shape == Shape.TASK) {
        // A summary that nests tasks under a container still draws them: as a group.
        shape = Shape.GROUP;
      }
      Node existing = childrenByName.get(childName);
      if (existing != null) {
        return existing;
      }
      Node created = new Node(key.isEmpty() ? childName : key + "/" + childName, childName, this,
          model.nodeCount++, childShape);
      childrenByName.put(childName, created);
      children.add(created);
      return created;
    }
  }

  private final Node root;
  private final Map<Node, List<Edge>> edgesByScope = new IdentityHashMap<>();
  private final Map<String, Node> nodeOfTask = new HashMap<>();
  private int nodeCount;

  private DagModel(String pipelineName) {
    root = new Node("", pipelineName, null, nodeCount++, Shape.GROUP);
  }

  /** The pipeline itself; its children are the top-level tasks. */
  public Node root() {
    return root;
  }

  /** The edges between the children of {@code scope}, in first-seen order. */
  public List<Edge> edges(Node scope) {
    return edgesByScope.getOrDefault(scope, List.of());
  }

  /** The node drawn for a task id, or null when the summary has no such task. */
  public Node nodeOf(String taskId) {
    return nodeOfTask.get(taskId);
  }

  public int size() {
    return nodeCount;
  }

  /** Folds the summary's tasks into nodes and lifts its edges. */
  public static DagModel of(RunSummary summary) {
    DagModel model = new DagModel(summary.pipelineName());
    Map<String, TaskSummary> byId = new HashMap<>();
    for (TaskSummary t : summary.tasks()) {
      byId.putIfAbsent(t.id(), t);
    }
    for (TaskSummary t : summary.tasks()) {
      model.place(t, byId, new HashSet<>());
    }
    Map<Node, Map<List<Node>, Edge>> lifted = new LinkedHashMap<>();
    for (TaskSummary t : summary.tasks()) {
      Node to = model.nodeOfTask.get(t.id());
      for (TaskSummary.Edge e : t.upstream()) {
        Node from = model.nodeOfTask.get(e.taskId());
        if (from != null && to != null) {
          model.lift(from, to, "data".equals(e.kind()), lifted);
        }
      }
    }
    lifted.forEach((scope, edges) -> model.edgesByScope.put(scope, List.copyOf(edges.values())));
    return model;
  }

  /**
   * Finds (or creates) the node of {@code task}, placing its ancestors first. Executions are
   * recorded once per task object; a task id seen twice is two executions of the same node.
   */
  private Node place(TaskSummary task, Map<String, TaskSummary> byId, Set<String> visiting) {
    Node known = nodeOfTask.get(task.id());
    if (known != null && byId.get(task.id()) == task) {
      return known;
    }
    TaskSummary parentTask = task.parentId().isEmpty() ? null : byId.get(task.parentId());
    Node parentNode = root;
    // visiting guards against a hostile summary whose parents form a cycle: such a task is
    // drawn at the top level instead of recursing forever.
    if (parentTask != null && parentTask != task && visiting.add(task.id())) {
      parentNode = place(parentTask, byId, visiting);
      Node placedMeanwhile = nodeOfTask.get(task.id());
      if (placedMeanwhile != null && byId.get(task.id()) == task) {
        return placedMeanwhile;
      }
    } else {
      parentTask = null;
    }
    Node node;
    if (task.iteration() != null && parentTask != null) {
      // An iteration of a ParallelFor: its tasks are drawn once, inside the loop.
      node = parentNode;
      node.shape = Shape.LOOP;
      node.iterations.add(task);
    } else {
      node = parentNode.child(task.name(), shapeOf(task.kind()), this);
      node.executions.add(task);
    }
    nodeOfTask.putIfAbsent(task.id(), node);
    return node;
  }

  private static Shape shapeOf(String kind) {
    return switch (kind) {
      case "loop" -> Shape.LOOP;
      case "dag" -> Shape.GROUP;
      default -> Shape.TASK;
    };
  }

  private void lift(Node from, Node to, boolean data, Map<Node, Map<List<Node>, Edge>> lifted) {
    List<Node> fromPath = pathOf(from);
    List<Node> toPath = pathOf(to);
    int common = 0;
    while (common < fromPath.size() && common < toPath.size() && fromPath.get(common) == toPath.get(common)) {
      common++;
    }
    // A task inside a group "depending" on that group (or the reverse) is containment, not an edge.
    if (common == fromPath.size() || common == toPath.size()) {
      return;
    }
    Node scope = fromPath.get(common - 1);
    Node a = fromPath.get(common);
    Node b = toPath.get(common);
    Map<List<Node>, Edge> edges = lifted.computeIfAbsent(scope, s -> new LinkedHashMap<>());
    List<Node> key = List.of(a, b);
    Edge existing = edges.get(key);
    if (existing == null || (data && !existing.data())) {
      edges.put(key, new Edge(a, b, data || (existing != null && existing.data())));
    }
  }

  /** root, …, node. */
  private static List<Node> pathOf(Node node) {
    List<Node> path = new ArrayList<>();
    for (Node n = node; n != null; n = n.parent) {
      path.add(n);
    }
    Collections.reverse(path);
    return path;
  }
}
