package io.kfpci.local.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.report.RuntimeState;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One task instance of a local run: a task of a DAG, a loop, or a loop iteration. Immutable; the
 * coordinator replaces nodes as they change. What a node needs after a restart (state, outputs,
 * attempts) is also in the run summary, from which {@link Summaries#restore} rebuilds it.
 *
 * @param id unique DAG path, e.g. {@code for-loop-2[3]/train}
 * @param name the task key in its DAG (for an iteration: its loop's key)
 * @param parentId the enclosing DAG node or iteration, "" at the top level; the node's siblings
 *     share it, and it names the scope the node's inputs are resolved in
 * @param componentName the component the node runs; an iteration has its loop's component
 * @param executing an executor node whose process (or import) is under way right now
 * @param retryAt when a failed attempt will be tried again; the node stays RUNNING meanwhile
 * @param killRequested the process was told to stop (cancellation); its outcome will follow
 * @param outputParameters what an executor produced (DAG outputs are computed from children)
 * @param outputArtifacts what an executor produced, by output key
 */
public record Node(
    String id,
    String name,
    String parentId,
    String componentName,
    Kind kind,
    Integer iteration,
    RuntimeState state,
    SkipReason skipReason,
    Instant startedAt,
    Instant finishedAt,
    int attempts,
    boolean executing,
    Instant retryAt,
    boolean killRequested,
    boolean cached,
    String image,
    Map<String, JsonNode> outputParameters,
    Map<String, List<Artifact>> outputArtifacts,
    Integer exitCode,
    String error,
    List<String> logTail) {

  /** Why a node was SKIPPED: its condition was false, an upstream failed, or its parent skipped. */
  public enum SkipReason { CONDITION_FALSE, UPSTREAM_FAILED, PARENT_SKIPPED }

  public Node {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    parentId = parentId == null ? "" : parentId;
    componentName = componentName == null ? "" : componentName;
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(state, "state");
    image = image == null ? "" : image;
    outputParameters = outputParameters == null ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(outputParameters));
    outputArtifacts = outputArtifacts == null ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(outputArtifacts));
    logTail = logTail == null ? List.of() : List.copyOf(logTail);
  }

  /** A fresh PENDING node. */
  public static Node pending(String id, String name, String parentId, String componentName, Kind kind,
      Integer iteration, String image) {
    return new Node(id, name, parentId, componentName, kind, iteration, RuntimeState.PENDING, null, null, null,
        0, false, null, false, false, image, null, null, null, null, null);
  }

  /** The id of a child task {@code name} of the scope {@code scopeId}. */
  public static String childId(String scopeId, String name) {
    return scopeId.isEmpty() ? name : scopeId + "/" + name;
  }

  /** Did not succeed and cannot feed downstream tasks: failed, canceled, or skipped for those. */
  public boolean isFailedLike() {
    return state == RuntimeState.FAILED || state == RuntimeState.CANCELED
        || (state == RuntimeState.SKIPPED && skipReason == SkipReason.UPSTREAM_FAILED);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes a copy; the coordinator's transitions are written with it. */
  public static final class Builder {
    private String id;
    private String name;
    private String parentId;
    private String componentName;
    private Kind kind;
    private Integer iteration;
    private RuntimeState state;
    private SkipReason skipReason;
    private Instant startedAt;
    private Instant finishedAt;
    private int attempts;
    private boolean executing;
    private Instant retryAt;
    private boolean killRequested;
    private boolean cached;
    private String image;
    private Map<String, JsonNode> outputParameters;
    private Map<String, List<Artifact>> outputArtifacts;
    private Integer exitCode;
    private String error;
    private List<String> logTail;

    private Builder(Node n) {
      id = n.id;
      name = n.name;
      parentId = n.parentId;
      componentName = n.componentName;
      kind = n.kind;
      iteration = n.iteration;
      state = n.state;
      skipReason = n.skipReason;
      startedAt = n.startedAt;
      finishedAt = n.finishedAt;
      attempts = n.attempts;
      executing = n.executing;
      retryAt = n.retryAt;
      killRequested = n.killRequested;
      cached = n.cached;
      image = n.image;
      outputParameters = n.outputParameters;
      outputArtifacts = n.outputArtifacts;
      exitCode = n.exitCode;
      error = n.error;
      logTail = n.logTail;
    }

    public Builder state(RuntimeState value) {
      state = value;
      return this;
    }

    public Builder skipReason(SkipReason value) {
      skipReason = value;
      return this;
    }

    public Builder startedAt(Instant value) {
      startedAt = value;
      return this;
    }

    public Builder finishedAt(Instant value) {
      finishedAt = value;
      return this;
    }

    public Builder attempts(int value) {
      attempts = value;
      return this;
    }

    public Builder executing(boolean value) {
      executing = value;
      return this;
    }

    public Builder retryAt(Instant value) {
      retryAt = value;
      return this;
    }

    public Builder killRequested(boolean value) {
      killRequested = value;
      return this;
    }

    public Builder cached(boolean value) {
      cached = value;
      return this;
    }

    public Builder image(String value) {
      image = value;
      return this;
    }

    public Builder outputParameters(Map<String, JsonNode> value) {
      outputParameters = value;
      return this;
    }

    public Builder outputArtifacts(Map<String, List<Artifact>> value) {
      outputArtifacts = value;
      return this;
    }

    public Builder exitCode(Integer value) {
      exitCode = value;
      return this;
    }

    public Builder error(String value) {
      error = value;
      return this;
    }

    public Builder logTail(List<String> value) {
      logTail = value;
      return this;
    }

    public Node build() {
      return new Node(id, name, parentId, componentName, kind, iteration, state, skipReason, startedAt,
          finishedAt, attempts, executing, retryAt, killRequested, cached, image, outputParameters,
          outputArtifacts, exitCode, error, logTail);
    }
  }
}
