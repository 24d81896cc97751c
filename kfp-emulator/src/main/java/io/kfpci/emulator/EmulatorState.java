package io.kfpci.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.emulator.internal.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Read access to the emulator's state for assertions: what the server holds (pipelines, versions,
 * experiments, runs, recurring runs), every request it answered, and every swagger violation it saw.
 * Each call returns an immutable snapshot taken atomically; nothing here changes the emulator.
 */
public final class EmulatorState {
  private final Store store;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Violation> violations = new CopyOnWriteArrayList<>();
  private final Recorder recorder = new Recorder();

  EmulatorState(Store store) {
    this.store = store;
  }

  public record Pipeline(String id, String name, String displayName, String description, String namespace,
      Instant createdAt) {}

  public record PipelineVersion(String id, String pipelineId, String name, String displayName, String description,
      Instant createdAt, JsonNode pipelineSpec) {}

  public record Experiment(String id, String displayName, String description, String namespace, String storageState,
      Instant createdAt) {}

  /**
   * A run. {@code pipelineId}/{@code pipelineVersionId} are empty for an inline-spec run;
   * {@code stateHistory} lists the states of {@code state_history} (UNSPECIFIED for an entry without one).
   */
  public record Run(String id, String displayName, String description, String experimentId, String namespace,
      RuntimeState state, List<RuntimeState> stateHistory, String storageState, String pipelineId,
      String pipelineVersionId, JsonNode runtimeConfig, int taskCount, boolean terminateRequested, int retries,
      Instant createdAt, Optional<Instant> finishedAt) {}

  public record RecurringRun(String id, String displayName, String experimentId, String namespace, boolean enabled,
      String maxConcurrency, JsonNode trigger, boolean noCatchup, Instant createdAt) {}

  /** One answered request. The query is as sent (still URL-encoded); no header value is ever kept. */
  public record Request(Instant at, String method, String path, String query, int status, boolean hadBearerToken) {}

  /** A mismatch with the official swagger: {@code direction} is "request" or "response". */
  public record Violation(String method, String path, String direction, String message) {}

  public List<Pipeline> pipelines() {
    synchronized (store) {
      return store.pipelines.values().stream()
          .map(p -> new Pipeline(p.id, p.name, p.displayName, p.description, p.namespace, p.createdAt)).toList();
    }
  }

  public List<PipelineVersion> versions() {
    synchronized (store) {
      return store.versions.values().stream()
          .map(v -> new PipelineVersion(v.id, v.pipelineId, v.name, v.displayName, v.description, v.createdAt,
              v.pipelineSpec.deepCopy())).toList();
    }
  }

  public List<Experiment> experiments() {
    synchronized (store) {
      return store.experiments.values().stream()
          .map(e -> new Experiment(e.id, e.displayName, e.description, e.namespace, e.storageState, e.createdAt))
          .toList();
    }
  }

  public List<Run> runs() {
    synchronized (store) {
      List<Run> out = new ArrayList<>();
      for (Store.RunRow r : store.runs.values()) {
        out.add(new Run(r.id, r.displayName, r.description, r.experimentId, r.namespace, r.state,
            r.history.stream().map(Store.StateChange::state).toList(), r.storageState, r.pipelineId,
            r.pipelineVersionId, r.runtimeConfig == null ? null : r.runtimeConfig.deepCopy(),
            r.tasks == null ? 0 : r.tasks.size(), r.terminateRequested, r.retries, r.createdAt,
            Optional.ofNullable(r.finishedAt)));
      }
      return List.copyOf(out);
    }
  }

  public Optional<Run> run(String id) {
    return runs().stream().filter(r -> r.id().equals(id)).findFirst();
  }

  public List<RecurringRun> recurringRuns() {
    synchronized (store) {
      return store.recurringRuns.values().stream()
          .map(r -> new RecurringRun(r.id, r.displayName, r.experimentId, r.namespace, r.enabled, r.maxConcurrency,
              r.trigger == null ? null : r.trigger.deepCopy(), r.noCatchup, r.createdAt)).toList();
    }
  }

  /** Every request answered so far, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Every swagger violation seen so far, in order. A client's tests assert this is empty. */
  public List<Violation> violations() {
    return List.copyOf(violations);
  }

  Recorder recorder() {
    return recorder;
  }

  /** Where the HTTP side writes the log; not for tests. */
  public final class Recorder {
    private Recorder() {}

    public void request(Instant at, String method, String path, String query, int status, boolean bearer) {
      requests.add(new Request(at, method, path, query, status, bearer));
    }

    public void violation(String method, String path, String direction, String message) {
      violations.add(new Violation(method, path, direction, message));
    }
  }
}
