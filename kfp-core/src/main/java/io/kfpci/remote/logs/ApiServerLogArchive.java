package io.kfpci.remote.logs;

import io.kfpci.artifacts.TaskPod;
import io.kfpci.client.KfpApiException;
import io.kfpci.client.KfpClient;
import java.util.Optional;

/**
 * The API server's {@code main-logs} artifact of a pod ({@code GET /apis/v2beta1/runs/{run}/nodes/
 * {pod}/artifacts/main-logs:read}, FACTS 4.4): found through the run's stored workflow manifest,
 * so it still answers after Argo deleted the workflow and its pods.
 */
public final class ApiServerLogArchive implements ArchivedLogSource {
  public static final String ARTIFACT = "main-logs";
  private final KfpClient client;

  public ApiServerLogArchive(KfpClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "the API server's " + ARTIFACT + " artifact";
  }

  @Override
  public Optional<byte[]> read(String runId, TaskPod pod) throws LogSourceException, InterruptedException {
    try {
      return client.readRunArtifact(runId, pod.podName(), ARTIFACT);
    } catch (KfpApiException e) {
      throw new LogSourceException(name(), "the API server could not read the " + ARTIFACT + " of pod "
          + pod.podName() + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // a pod name that is not a KFP id cannot be asked for
    }
  }
}
