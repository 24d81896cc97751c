package io.kfpci.artifacts.internal;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kfpci.artifacts.MetadataStoreException;
import io.kfpci.artifacts.MetadataStoreOptions;
import io.kfpci.artifacts.MetadataStoreUnavailableException;
import io.kfpci.artifacts.internal.mlmd.Artifact;
import io.kfpci.artifacts.internal.mlmd.ArtifactType;
import io.kfpci.artifacts.internal.mlmd.Context;
import io.kfpci.artifacts.internal.mlmd.Event;
import io.kfpci.artifacts.internal.mlmd.Execution;
import io.kfpci.artifacts.internal.mlmd.GetArtifactsByIDRequest;
import io.kfpci.artifacts.internal.mlmd.GetArtifactsByIDResponse;
import io.kfpci.artifacts.internal.mlmd.GetContextByTypeAndNameRequest;
import io.kfpci.artifacts.internal.mlmd.GetContextByTypeAndNameResponse;
import io.kfpci.artifacts.internal.mlmd.GetEventsByExecutionIDsRequest;
import io.kfpci.artifacts.internal.mlmd.GetExecutionsByContextRequest;
import io.kfpci.artifacts.internal.mlmd.GetExecutionsByContextResponse;
import io.kfpci.artifacts.internal.mlmd.ListOperationOptions;
import io.kfpci.artifacts.internal.mlmd.MetadataStoreServiceGrpc;
import io.kfpci.artifacts.internal.mlmd.MetadataStoreServiceGrpc.MetadataStoreServiceBlockingStub;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The four read RPCs kfpci needs, over native gRPC (plaintext, as KFP serves
 * {@code metadata-grpc-service:8080} inside the cluster). Every call carries the configured
 * deadline; a store that cannot be reached becomes {@link MetadataStoreUnavailableException}.
 * Thread-safe: gRPC channels and stubs are.
 */
public final class GrpcMetadataStore implements AutoCloseable {
  /** Ids per GetEventsByExecutionIDs / GetArtifactsByID call: keeps each request small. */
  private static final int IDS_PER_CALL = 100;

  private final MetadataStoreOptions options;
  private final ManagedChannel channel;
  private final MetadataStoreServiceBlockingStub stub;

  public GrpcMetadataStore(MetadataStoreOptions options) {
    this.options = options;
    this.channel = Grpc.newChannelBuilderForAddress(options.host(), options.port(),
        InsecureChannelCredentials.create()).build();
    this.stub = MetadataStoreServiceGrpc.newBlockingStub(channel);
  }

  private MetadataStoreServiceBlockingStub call() {
    return stub.withDeadlineAfter(options.callDeadline().toMillis(), TimeUnit.MILLISECONDS);
  }

  public Optional<Context> contextByTypeAndName(String type, String name)
      throws MetadataStoreException, InterruptedException {
    GetContextByTypeAndNameResponse response;
    try {
      response = call().getContextByTypeAndName(GetContextByTypeAndNameRequest.newBuilder()
          .setTypeName(type).setContextName(name).build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw translate("GetContextByTypeAndName", e);
    }
    return response.hasContext() ? Optional.of(response.getContext()) : Optional.empty();
  }

  /** Every execution of the context, following next_page_token to the end. */
  public List<Execution> executionsByContext(long contextId) throws MetadataStoreException, InterruptedException {
    List<Execution> all = new ArrayList<>();
    String token = "";
    Set<String> seen = new HashSet<>();
    do {
      ListOperationOptions.Builder page = ListOperationOptions.newBuilder().setMaxResultSize(options.pageSize())
          .setOrderByField(ListOperationOptions.OrderByField.newBuilder()
              .setField(ListOperationOptions.OrderByField.Field.ID).setIsAsc(true));
      if (!token.isEmpty()) {
        page.setNextPageToken(token);
      }
      GetExecutionsByContextResponse response;
      try {
        response = call().getExecutionsByContext(GetExecutionsByContextRequest.newBuilder()
            .setContextId(contextId).setOptions(page).build());
      } catch (StatusRuntimeException e) {
        throw translate("GetExecutionsByContext", e);
      }
      all.addAll(response.getExecutionsList());
      token = response.getNextPageToken();
      if (!token.isEmpty() && !seen.add(token)) {
        // A store handing back the same token would loop forever; stop with a clear error instead.
        throw new MetadataStoreException(options.address(), "the ML Metadata store at " + options.address()
            + " returned the same next_page_token twice for context " + contextId, false, null);
      }
    } while (!token.isEmpty());
    return all;
  }

  public List<Event> eventsByExecutionIds(List<Long> executionIds)
      throws MetadataStoreException, InterruptedException {
    List<Event> events = new ArrayList<>();
    for (int from = 0; from < executionIds.size(); from += IDS_PER_CALL) {
      List<Long> batch = executionIds.subList(from, Math.min(executionIds.size(), from + IDS_PER_CALL));
      try {
        events.addAll(call().getEventsByExecutionIDs(GetEventsByExecutionIDsRequest.newBuilder()
            .addAllExecutionIds(batch).build()).getEventsList());
      } catch (StatusRuntimeException e) {
        throw translate("GetEventsByExecutionIDs", e);
      }
    }
    return events;
  }

  /** The artifacts, each with its type name resolved (populate_artifact_types). */
  public List<TypedArtifact> artifactsById(List<Long> artifactIds)
      throws MetadataStoreException, InterruptedException {
    List<TypedArtifact> artifacts = new ArrayList<>();
    for (int from = 0; from < artifactIds.size(); from += IDS_PER_CALL) {
      List<Long> batch = artifactIds.subList(from, Math.min(artifactIds.size(), from + IDS_PER_CALL));
      GetArtifactsByIDResponse response;
      try {
        response = call().getArtifactsByID(GetArtifactsByIDRequest.newBuilder().addAllArtifactIds(batch)
            .setPopulateArtifactTypes(true).build());
      } catch (StatusRuntimeException e) {
        throw translate("GetArtifactsByID", e);
      }
      Map<Long, String> typeNames = new HashMap<>();
      for (ArtifactType type : response.getArtifactTypesList()) {
        typeNames.put(type.getId(), type.getName());
      }
      for (Artifact artifact : response.getArtifactsList()) {
        String type = artifact.hasType() && !artifact.getType().isEmpty() ? artifact.getType()
            : typeNames.getOrDefault(artifact.getTypeId(), "");
        artifacts.add(new TypedArtifact(artifact, type));
      }
    }
    return artifacts;
  }

  /** An artifact and its type name. */
  public record TypedArtifact(Artifact artifact, String typeName) {
  }

  private MetadataStoreException translate(String rpc, StatusRuntimeException e) throws InterruptedException {
    if (Thread.interrupted()) {
      // The blocking stub turns an interrupt into CANCELLED; hand it back as what it is.
      InterruptedException interrupted = new InterruptedException(rpc + " to " + options.address() + " interrupted");
      interrupted.initCause(e);
      throw interrupted;
    }
    Status status = e.getStatus();
    String detail = status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
    return switch (status.getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED -> new MetadataStoreUnavailableException(options.address(),
          "the ML Metadata store at " + options.describe() + " is unreachable (" + rpc + ": " + detail + "). "
              + (options.forwardedFrom() == null ? "Check the address, or forward KFP's store with"
              + " 'kubectl port-forward -n kubeflow svc/metadata-grpc-service 8080:8080'"
              : "Check that the service's pod is running and ready, and that Kubernetes lets you port-forward"), e);
      default -> new MetadataStoreException(options.address(), "the ML Metadata store at " + options.describe()
          + " failed " + rpc + " (" + detail + ")", status.getCode() == Status.Code.RESOURCE_EXHAUSTED
          || status.getCode() == Status.Code.ABORTED, e);
    };
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
