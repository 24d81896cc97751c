package io.kfpci.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.client.KfpApi.CreateExperimentRequest;
import io.kfpci.client.KfpApi.CreateRecurringRunRequest;
import io.kfpci.client.KfpApi.CreateRunRequest;
import io.kfpci.client.KfpApi.Experiment;
import io.kfpci.client.KfpApi.Healthz;
import io.kfpci.client.KfpApi.Page;
import io.kfpci.client.KfpApi.Pipeline;
import io.kfpci.client.KfpApi.PipelineVersion;
import io.kfpci.client.KfpApi.RecurringRun;
import io.kfpci.client.KfpApi.Run;
import io.kfpci.client.internal.ApiJson;
import io.kfpci.client.internal.Multipart;
import io.kfpci.client.internal.Transport;
import io.kfpci.client.internal.Transport.Call;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * The KFP v2beta1 REST API of one server. Reads, deletes and state changes (terminate, enable...)
 * are retried on 502/503/504 and connection failures; creates are never sent twice blindly: each
 * is guarded by a look-up that finds what a lost answer created ({@link #createRunOnce},
 * {@link #experiment}, {@link #createRecurringRunOnce}; uploads in {@link PipelineUploader}).
 *
 * <p>Thread-safe; close it to stop its two HTTP threads.
 */
public final class KfpClient implements AutoCloseable {
  static final String API = "/apis/v2beta1";
  /** How a submission token appears in a run's description. */
  public static final String SUBMISSION_MARK = "kfpci-submission: ";

  private final Transport transport;
  private final KfpConnection connection;
  private final RandomGenerator random = new SecureRandom();
  private final AutoCloseable resource;

  private KfpClient(KfpConnection connection, AutoCloseable resource) throws KfpApiException {
    this.connection = connection;
    this.transport = new Transport(connection);
    this.resource = resource;
  }

  public static KfpClient connect(KfpConnection connection) throws KfpApiException {
    return new KfpClient(connection, null);
  }

  /** A client that also closes {@code resource} (a port-forward it talks through) when closed. */
  public static KfpClient connect(KfpConnection connection, AutoCloseable resource) throws KfpApiException {
    return new KfpClient(connection, resource);
  }

  public KfpConnection connection() {
    return connection;
  }

  /** Calls made through this client so far (a retried call counts once). */
  public long callCount() {
    return transport.calls();
  }

  /** HTTP requests sent so far, retries included. */
  public long requestCount() {
    return transport.attempts();
  }

  // ---- healthz

  public Healthz healthz() throws KfpApiException, InterruptedException {
    return ApiJson.convert(transport.send(Call.get(API + "/healthz", Map.of())), Healthz.class);
  }

  // ---- pipelines

  /**
   * Uploads a new pipeline (and its first version, named like it). Not retried: an answer lost on
   * the way may still have created it; {@link PipelineUploader} looks it up.
   */
  public Pipeline uploadPipeline(String name, String description, String fileName, byte[] content)
      throws KfpApiException, InterruptedException {
    checkSize(fileName, content);
    Map<String, String> query = new LinkedHashMap<>();
    query.put("name", name);
    query.put("display_name", name);
    query.put("description", description);
    query.put("namespace", connection.namespace());
    Multipart body = Multipart.file("uploadfile", fileName, content);
    return ApiJson.convert(transport.send(new Call("POST", API + "/pipelines/upload", query, body.body(),
        body.contentType(), false)), Pipeline.class);
  }

  /** Uploads a new version of a pipeline; not retried (see {@link #uploadPipeline}). */
  public PipelineVersion uploadPipelineVersion(String pipelineId, String name, String description, String fileName,
      byte[] content) throws KfpApiException, InterruptedException {
    checkSize(fileName, content);
    Map<String, String> query = new LinkedHashMap<>();
    query.put("pipelineid", pipelineId);
    query.put("name", name);
    query.put("display_name", name);
    query.put("description", description);
    Multipart body = Multipart.file("uploadfile", fileName, content);
    return ApiJson.convert(transport.send(new Call("POST", API + "/pipelines/upload_version", query, body.body(),
        body.contentType(), false)), PipelineVersion.class);
  }

  private void checkSize(String fileName, byte[] content) throws KfpApiException {
    if (content.length > Transport.MAX_UPLOAD_BYTES) {
      throw new KfpApiException(fileName + " is " + content.length + " bytes; KFP takes at most 32 MiB ("
          + Transport.MAX_UPLOAD_BYTES + " bytes) per upload, so it was not sent", 0, "", "POST",
          API + "/pipelines/upload", false, null);
    }
  }

  public Pipeline getPipeline(String pipelineId) throws KfpApiException, InterruptedException {
    return ApiJson.convert(transport.send(Call.get(API + "/pipelines/" + id(pipelineId), Map.of())), Pipeline.class);
  }

  /** The pipeline of that exact name in the configured namespace (names are unique there), if any. */
  public Optional<Pipeline> findPipeline(String name) throws KfpApiException, InterruptedException {
    for (Pipeline p : listPipelines(ListQuery.of(Filter.equal("display_name", name))).items()) {
      if (name.equalsIgnoreCase(p.name())) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  public Page<Pipeline> listPipelines(ListQuery query) throws KfpApiException, InterruptedException {
    JsonNode json = transport.send(Call.get(API + "/pipelines", listParams(query, true)));
    return page(json, "pipelines", Pipeline.class);
  }

  public void deletePipeline(String pipelineId, boolean cascade) throws KfpApiException, InterruptedException {
    transport.send(new Call("DELETE", API + "/pipelines/" + id(pipelineId), Map.of("cascade", String.valueOf(cascade)),
        null, null, true));
  }

  public PipelineVersion getPipelineVersion(String pipelineId, String versionId) throws KfpApiException, InterruptedException {
    return ApiJson.convert(transport.send(Call.get(API + "/pipelines/" + id(pipelineId) + "/versions/" + id(versionId),
        Map.of())), PipelineVersion.class);
  }

  public Page<PipelineVersion> listPipelineVersions(String pipelineId, ListQuery query)
      throws KfpApiException, InterruptedException {
    JsonNode json = transport.send(Call.get(API + "/pipelines/" + id(pipelineId) + "/versions", listParams(query, false)));
    return page(json, "pipeline_versions", PipelineVersion.class);
  }

  /** Every version of a pipeline, all pages. */
  public List<PipelineVersion> allPipelineVersions(String pipelineId) throws KfpApiException, InterruptedException {
    List<PipelineVersion> all = new ArrayList<>();
    ListQuery query = ListQuery.all();
    for (int pages = 0; pages < 1000; pages++) {
      Page<PipelineVersion> page = listPipelineVersions(pipelineId, query);
      all.addAll(page.items());
      if (page.nextPageToken() == null) {
        return all;
      }
      query = new ListQuery(null, null, 200, page.nextPageToken());
    }
    return all;
  }

  public void deletePipelineVersion(String pipelineId, String versionId) throws KfpApiException, InterruptedException {
    transport.send(new Call("DELETE", API + "/pipelines/" + id(pipelineId) + "/versions/" + id(versionId), Map.of(),
        null, null, true));
  }

  // ---- experiments

  public Experiment getExperiment(String experimentId) throws KfpApiException, InterruptedException {
    return ApiJson.convert(transport.send(Call.get(API + "/experiments/" + id(experimentId), Map.of())), Experiment.class);
  }

  public Page<Experiment> listExperiments(ListQuery query) throws KfpApiException, InterruptedException {
    return page(transport.send(Call.get(API + "/experiments", listParams(query, true))), "experiments", Experiment.class);
  }

  public Optional<Experiment> findExperiment(String displayName) throws KfpApiException, InterruptedException {
    for (Experiment e : listExperiments(ListQuery.of(Filter.equal("display_name", displayName))).items()) {
      if (displayName.equals(e.displayName())) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * The experiment of that display name in the configured namespace, created when missing. A
   * concurrent creator (409) or a lost answer ends with the one experiment, found by a look-up.
   */
  public Experiment experiment(String displayName) throws KfpApiException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      Optional<Experiment> found = findExperiment(displayName);
      if (found.isPresent()) {
        return found.get();
      }
      try {
        return ApiJson.convert(transport.send(new Call("POST", API + "/experiments", null,
            ApiJson.bytes(new CreateExperimentRequest(displayName, null, connection.namespace())),
            "application/json", false)), Experiment.class);
      } catch (KfpApiException e) {
        if (!(e.isConflict() || e.isRetryable()) || attempt >= connection.retry().maxAttempts()) {
          throw e;
        }
        pause(attempt, e);
      }
    }
  }

  // ---- runs

  /**
   * Creates the run exactly once: the request's description gets a unique submission token, and
   * after a lost answer (timeout, reset, 502-504) the runs are searched for that token before the
   * create is sent again.
   */
  public Run createRunOnce(CreateRunRequest request) throws KfpApiException, InterruptedException {
    String token = UUID.randomUUID().toString();
    String description = (request.description() == null || request.description().isBlank() ? ""
        : request.description().strip() + "\n") + SUBMISSION_MARK + token;
    CreateRunRequest marked = new CreateRunRequest(request.experimentId(), request.displayName(), description,
        request.pipelineVersionReference(), request.pipelineSpec(), request.runtimeConfig(), request.serviceAccount());
    byte[] body = ApiJson.bytes(marked);
    for (int attempt = 1; ; attempt++) {
      try {
        return ApiJson.convert(transport.send(new Call("POST", API + "/runs", null, body, "application/json", false)),
            Run.class);
      } catch (KfpApiException e) {
        if (!e.isRetryable() || attempt >= connection.retry().maxAttempts()) {
          throw e;
        }
        pause(attempt, e);
        Optional<Run> created = findSubmission(marked.experimentId(), description);
        if (created.isPresent()) {
          return created.get();
        }
      }
    }
  }

  /** The run whose description is exactly {@code description}, in the experiment if one is given. */
  public Optional<Run> findSubmission(String experimentId, String description) throws KfpApiException, InterruptedException {
    ListQuery query = ListQuery.of(Filter.equal("description", description));
    for (Run r : listRuns(experimentId, query).items()) {
      if (description.equals(r.description())) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  public Run getRun(String runId) throws KfpApiException, InterruptedException {
    return ApiJson.convert(transport.send(Call.get(API + "/runs/" + id(runId), Map.of())), Run.class);
  }

  /** Lists runs, in the experiment when {@code experimentId} is given, else in the configured namespace. */
  public Page<Run> listRuns(String experimentId, ListQuery query) throws KfpApiException, InterruptedException {
    Map<String, String> params = listParams(query, experimentId == null);
    if (experimentId != null) {
      params.put("experiment_id", experimentId);
    }
    return page(transport.send(Call.get(API + "/runs", params)), "runs", Run.class);
  }

  /** Asks the server to stop the run. Repeating it is harmless, so it is retried. */
  public void terminateRun(String runId) throws KfpApiException, InterruptedException {
    transport.send(new Call("POST", API + "/runs/" + id(runId) + ":terminate", null, null, null, true));
  }

  public void retryRun(String runId) throws KfpApiException, InterruptedException {
    transport.send(new Call("POST", API + "/runs/" + id(runId) + ":retry", null, null, null, true));
  }

  /**
   * An output artifact of one node of a run, from the run's stored workflow manifest
   * ({@code GET .../runs/{run}/nodes/{node}/artifacts/{name}:read}, FACTS 4.4): the node may be
   * an Argo node id or a pod name. Empty when the server knows no such artifact (404).
   */
  public Optional<byte[]> readRunArtifact(String runId, String nodeId, String artifactName)
      throws KfpApiException, InterruptedException {
    JsonNode body;
    try {
      body = transport.send(Call.get(API + "/runs/" + id(runId) + "/nodes/" + id(nodeId) + "/artifacts/"
          + id(artifactName) + ":read", Map.of()));
    } catch (KfpApiException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
    JsonNode data = body.path("data");
    if (!data.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(java.util.Base64.getDecoder().decode(data.asText()));
    } catch (IllegalArgumentException e) {
      throw new KfpApiException("the API server's " + artifactName + " of node " + nodeId + " is not base64 data", 200,
          null, "GET", API + "/runs/" + runId + "/nodes/" + nodeId + "/artifacts/" + artifactName + ":read", false, e);
    }
  }

  public void archiveRun(String runId) throws KfpApiException, InterruptedException {
    transport.send(new Call("POST", API + "/runs/" + id(runId) + ":archive", null, null, null, true));
  }

  // ---- recurring runs

  public RecurringRun getRecurringRun(String id) throws KfpApiException, InterruptedException {
    return ApiJson.convert(transport.send(Call.get(API + "/recurringruns/" + id(id), Map.of())), RecurringRun.class);
  }

  public Page<RecurringRun> listRecurringRuns(String experimentId, ListQuery query) throws KfpApiException, InterruptedException {
    Map<String, String> params = listParams(query, experimentId == null);
    if (experimentId != null) {
      params.put("experiment_id", experimentId);
    }
    return page(transport.send(Call.get(API + "/recurringruns", params)), "recurringRuns", RecurringRun.class);
  }

  /** The recurring runs of that display name (in the experiment, when given). */
  public List<RecurringRun> findRecurringRuns(String experimentId, String displayName)
      throws KfpApiException, InterruptedException {
    List<RecurringRun> out = new ArrayList<>();
    for (RecurringRun r : listRecurringRuns(experimentId, ListQuery.of(Filter.equal("display_name", displayName))).items()) {
      if (displayName.equals(r.displayName())) {
        out.add(r);
      }
    }
    return out;
  }

  /** Creates a recurring run, looking for one of the same name first after a lost answer. */
  public RecurringRun createRecurringRunOnce(CreateRecurringRunRequest request) throws KfpApiException, InterruptedException {
    byte[] body = ApiJson.bytes(request);
    for (int attempt = 1; ; attempt++) {
      try {
        return ApiJson.convert(transport.send(new Call("POST", API + "/recurringruns", null, body, "application/json",
            false)), RecurringRun.class);
      } catch (KfpApiException e) {
        if (!e.isRetryable() || attempt >= connection.retry().maxAttempts()) {
          throw e;
        }
        pause(attempt, e);
        List<RecurringRun> found = findRecurringRuns(request.experimentId(), request.displayName());
        if (!found.isEmpty()) {
          return found.get(0);
        }
      }
    }
  }

  public void enableRecurringRun(String id) throws KfpApiException, InterruptedException {
    transport.send(new Call("POST", API + "/recurringruns/" + id(id) + ":enable", null, null, null, true));
  }

  public void disableRecurringRun(String id) throws KfpApiException, InterruptedException {
    transport.send(new Call("POST", API + "/recurringruns/" + id(id) + ":disable", null, null, null, true));
  }

  public void deleteRecurringRun(String id) throws KfpApiException, InterruptedException {
    transport.send(new Call("DELETE", API + "/recurringruns/" + id(id), Map.of(), null, null, true));
  }

  // ---- helpers

  private void pause(int attempt, KfpApiException cause) throws InterruptedException {
    Duration wait = connection.retry().delay(attempt, random);
    Thread.sleep(wait.toMillis());
  }

  private Map<String, String> listParams(ListQuery query, boolean withNamespace) {
    Map<String, String> params = new LinkedHashMap<>();
    if (withNamespace && connection.namespace() != null) {
      params.put("namespace", connection.namespace());
    }
    if (query.pageSize() > 0) {
      params.put("page_size", String.valueOf(query.pageSize()));
    }
    if (query.pageToken() != null) {
      params.put("page_token", query.pageToken());
    } else {
      if (query.filter() != null) {
        params.put("filter", query.filter().toJson());
      }
      if (query.sortBy() != null) {
        params.put("sort_by", query.sortBy());
      }
    }
    return params;
  }

  private static <T> Page<T> page(JsonNode json, String key, Class<T> type) {
    List<T> items = new ArrayList<>();
    JsonNode list = json.path(key);
    if (list.isMissingNode() && key.equals("recurringRuns")) {
      list = json.path("recurring_runs");
    }
    for (JsonNode item : list) {
      items.add(ApiJson.convert(item, type));
    }
    return new Page<>(items, json.path("total_size").asInt(items.size()), json.path("next_page_token").asText(null));
  }

  /** An id goes into a path: refuse anything that could change the path. */
  static String id(String value) {
    if (value == null || value.isBlank() || !value.matches("[A-Za-z0-9._~-]+")) {
      throw new IllegalArgumentException("not a KFP id: '" + value + "'");
    }
    return value;
  }

  @Override
  public void close() {
    transport.close();
    if (resource != null) {
      try {
        resource.close();
      } catch (Exception e) {
        // Closing a port-forward at the end of a command: nothing left to do if it fails.
        connection.warnings().accept("closing " + resource + " failed: " + e.getMessage());
      }
    }
  }
}
