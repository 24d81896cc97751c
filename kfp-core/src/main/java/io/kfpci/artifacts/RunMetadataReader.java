package io.kfpci.artifacts;

import io.kfpci.artifacts.internal.GrpcMetadataStore;
import io.kfpci.artifacts.internal.GrpcMetadataStore.TypedArtifact;
import io.kfpci.artifacts.internal.RunMetadataAssembler;
import io.kfpci.artifacts.internal.mlmd.Context;
import io.kfpci.artifacts.internal.mlmd.Event;
import io.kfpci.artifacts.internal.mlmd.Execution;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a run's task executions, metrics and artifacts from the ML Metadata store, the way the KFP
 * UI does: the run's {@code system.PipelineRun} context (named by the run id), its executions
 * (paged), their OUTPUT events (the output name is the event path's first key) and those
 * artifacts. Cached tasks are found like the others: the driver links their OUTPUT events to the
 * earlier run's artifacts. One reader holds one gRPC channel; close it when done. Thread-safe.
 */
public final class RunMetadataReader implements AutoCloseable {
  public static final String PIPELINE_RUN_CONTEXT = "system.PipelineRun";

  private final MetadataStoreOptions options;
  private final GrpcMetadataStore store;

  private RunMetadataReader(MetadataStoreOptions options) {
    this.options = options;
    this.store = new GrpcMetadataStore(options);
  }

  public static RunMetadataReader open(MetadataStoreOptions options) {
    return new RunMetadataReader(options);
  }

  public MetadataStoreOptions options() {
    return options;
  }

  /**
   * Everything the store holds of the run.
   *
   * @throws MetadataStoreUnavailableException the store cannot be reached (carry on without metrics)
   * @throws RunNotInMetadataStoreException the store has no such run
   * @throws MetadataStoreException any other failure of the store
   */
  public RunMetadata read(String runId) throws MetadataStoreException, InterruptedException {
    if (runId == null || runId.isBlank()) {
      throw new IllegalArgumentException("run id is empty");
    }
    Context run = store.contextByTypeAndName(PIPELINE_RUN_CONTEXT, runId)
        .orElseThrow(() -> new RunNotInMetadataStoreException(options.address(), runId));
    List<Execution> executions = store.executionsByContext(run.getId());
    List<Long> executionIds = executions.stream().map(Execution::getId).toList();
    List<Event> events = executionIds.isEmpty() ? List.of() : store.eventsByExecutionIds(executionIds);
    Set<Long> artifactIds = new LinkedHashSet<>();
    for (Event e : events) {
      if (e.getType() == Event.Type.OUTPUT) {
        artifactIds.add(e.getArtifactId());
      }
    }
    List<TypedArtifact> artifacts = artifactIds.isEmpty() ? List.of()
        : store.artifactsById(new ArrayList<>(artifactIds));
    return RunMetadataAssembler.assemble(runId, executions, events, artifacts);
  }

  @Override
  public void close() {
    store.close();
  }
}
