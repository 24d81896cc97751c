package io.kfpci.local.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.report.RuntimeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole state of a local run at one moment: the run's own state and every node, in the order
 * they were created (the DAG's order, iterations after their loop). Immutable: the decide function
 * reads one and the coordinator makes the next. Only the coordinator thread creates new ones.
 *
 * @param parameters the run parameters, typed, defaults included
 * @param cancelRequested a SIGTERM or Ctrl-C arrived: stop tasks, still run exit handlers
 */
public record RunState(
    String runId,
    RuntimeState state,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    String error,
    boolean cancelRequested,
    Map<String, JsonNode> parameters,
    Map<String, Node> nodes) {

  public RunState {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
  }

  public Optional<Node> node(String id) {
    return Optional.ofNullable(nodes.get(id));
  }

  /** The node, which must exist. */
  public Node require(String id) {
    Node n = nodes.get(id);
    if (n == null) {
      throw new IllegalStateException("no node '" + id + "' in the run");
    }
    return n;
  }

  /** The direct children of a scope ("" is the root), in creation order. */
  public List<Node> children(String scopeId) {
    List<Node> out = new ArrayList<>();
    for (Node n : nodes.values()) {
      if (n.parentId().equals(scopeId)) {
        out.add(n);
      }
    }
    return out;
  }

  /** Every node below {@code id}, at any depth. */
  public List<Node> descendants(String id) {
    String prefix = id + "/";
    String iterations = id + "[";
    List<Node> out = new ArrayList<>();
    for (Node n : nodes.values()) {
      if (n.id().startsWith(prefix) || n.id().startsWith(iterations)) {
        out.add(n);
      }
    }
    return out;
  }

  public RunState withNode(Node node) {
    Map<String, Node> copy = new LinkedHashMap<>(nodes);
    copy.put(node.id(), node);
    return new RunState(runId, state, createdAt, startedAt, finishedAt, error, cancelRequested, parameters, copy);
  }

  /** Adds nodes that do not exist yet, after the last existing node of their subtree. */
  public RunState withNewNodes(List<Node> added) {
    Map<String, Node> copy = new LinkedHashMap<>(nodes);
    for (Node n : added) {
      copy.putIfAbsent(n.id(), n);
    }
    return new RunState(runId, state, createdAt, startedAt, finishedAt, error, cancelRequested, parameters, copy);
  }

  public RunState withRun(RuntimeState newState, Instant newStartedAt, Instant newFinishedAt, String newError) {
    return new RunState(runId, newState, createdAt, newStartedAt, newFinishedAt, newError, cancelRequested,
        parameters, nodes);
  }

  public RunState withCancelRequested() {
    return new RunState(runId, state, createdAt, startedAt, finishedAt, error, true, parameters, nodes);
  }

  /** Executor nodes whose process is running now. */
  public long executingContainers() {
    return nodes.values().stream().filter(n -> n.executing() && n.kind() == Kind.CONTAINER).count();
  }
}
