package io.kfpci.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.emulator.RunExecutor;
import io.kfpci.emulator.RunSubmission;
import io.kfpci.emulator.RuntimeState;
import io.kfpci.emulator.SubmissionRefusedException;
import io.kfpci.emulator.WorkflowNode;
import io.kfpci.emulator.WorkflowReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The endpoints, with the 2.17.0 server's rules, messages and codes (FACTS.md 1.x and the recorded
 * exchanges). Every method runs under the store's monitor, so each request is atomic.
 */
public final class ApiHandlers {
  private static final String DEFAULT_EXPERIMENT = "Default";
  /** The namespace a single-user server runs in; recurring runs report it. */
  private static final String SERVER_NAMESPACE = "kubeflow";
  private static final String ALPHANUM = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final Store store;
  private final Clock clock;
  private final RunExecutor executor;
  private final boolean multiUser;
  private final Set<String> allowedNamespaces;
  private final SecureRandom random = new SecureRandom();

  private final Listing<Store.PipelineRow> pipelineListing;
  private final Listing<Store.VersionRow> versionListing;
  private final Listing<Store.ExperimentRow> experimentListing;
  private final Listing<Store.RunRow> runListing;
  private final Listing<Store.RecurringRunRow> recurringListing;

  public ApiHandlers(Store store, Clock clock, RunExecutor executor, boolean multiUser, Set<String> allowedNamespaces) {
    this.store = store;
    this.clock = clock;
    this.executor = executor;
    this.multiUser = multiUser;
    this.allowedNamespaces = Set.copyOf(allowedNamespaces);
    // The filterable and sortable keys of each resource (model/*.go APIToModelFieldMap, FACTS.md 1.4).
    this.pipelineListing = new Listing<>("pipelines", "Pipeline", Set.of("pipeline_id", "name", "display_name",
        "created_at", "description", "namespace", "tags."), true);
    this.versionListing = new Listing<>("pipeline versions", "PipelineVersion", Set.of("pipeline_version_id", "name",
        "display_name", "created_at", "status", "description", "pipeline_spec"), false);
    this.experimentListing = new Listing<>("experiments", "Experiment", Set.of("experiment_id", "display_name",
        "created_at", "last_run_created_at", "description", "namespace", "storage_state"), false);
    this.runListing = new Listing<>("runs", "Run", Set.of("run_id", "display_name", "created_at", "finished_at",
        "description", "scheduled_at", "storage_state", "status", "namespace", "experiment_id", "state",
        "state_history", "runtime_details", "recurring_run_id"), false);
    this.recurringListing = new Listing<>("recurring runs", "Job", Set.of("recurring_run_id", "display_name",
        "created_at", "updated_at", "description"), false);
    if (!multiUser) {
      synchronized (store) {
        // A single-user server makes its "Default" experiment when it starts.
        defaultExperiment();
      }
    }
  }

  private Instant now() {
    return clock.instant();
  }

  private String uuid() {
    return UUID.randomUUID().toString();
  }

  // ---- access -----------------------------------------------------------------------------------

  private void authorize(String namespace) throws ApiError {
    if (allowedNamespaces.isEmpty() || namespace.isEmpty() || allowedNamespaces.contains(namespace)) {
      return;
    }
    String message = "Failed to authorize with API: PermissionDenied: User is not authorized with reason: "
        + "access to namespace " + namespace + " is not allowed";
    throw ApiError.rpc(403, 7, message, "User is not authorized to access namespace " + namespace);
  }

  // ---- healthz ----------------------------------------------------------------------------------

  public Reply healthz(Call call) {
    ObjectNode body = Json.object();
    body.put("commit_sha", "unknown");
    body.put("tag_name", "unknown");
    body.put("multi_user", multiUser);
    body.put("pipeline_store", "database");
    return Reply.ok(body);
  }

  // ---- pipelines --------------------------------------------------------------------------------

  /** POST /apis/v2beta1/pipelines/upload (pipeline_upload_server.go UploadPipeline). */
  public Reply uploadPipeline(Call call) throws ApiError {
    String failure = "Failed to create a pipeline and a pipeline version";
    Multipart.Part part = uploadPart(call);
    PipelinePackages.Parsed parsed = parsedUpload(part);
    String name = !call.query("name").isEmpty() ? call.query("name")
        : !call.query("display_name").isEmpty() ? call.query("display_name") : part.filename().orElse("");
    String displayName = !call.query("display_name").isEmpty() ? call.query("display_name") : name;
    String namespace = multiUser ? call.query("namespace") : "";
    try {
      authorize(namespace);
    } catch (ApiError denied) {
      throw ApiError.upload(400, failure, false);
    }
    Map<String, String> tags = tags(call, failure);
    synchronized (store) {
      if (!storable(name) || !storable(displayName) || !storable(call.query("description"))) {
        throw ApiError.upload(500, failure, false);
      }
      if (findPipelineByName(name, namespace).isPresent()) {
        throw ApiError.upload(409, failure, false);
      }
      Store.PipelineRow pipeline = newPipeline(name, displayName, call.query("description"), namespace, tags);
      newVersion(pipeline, name, displayName, call.query("description"), parsed, call.query("code_source_url"), "", tags);
      return Reply.ok(pipeline.render());
    }
  }

  /** POST /apis/v2beta1/pipelines/upload_version. */
  public Reply uploadPipelineVersion(Call call) throws ApiError {
    String failure = "Failed to create a pipeline version";
    String pipelineId = call.query("pipelineid");
    if (pipelineId.isEmpty()) {
      throw ApiError.upload(400, failure, true);
    }
    Multipart.Part part = uploadPart(call);
    PipelinePackages.Parsed parsed = parsedUpload(part);
    Map<String, String> tags = tags(call, failure);
    synchronized (store) {
      Store.PipelineRow pipeline = store.pipelines.get(pipelineId);
      if (pipeline == null) {
        throw ApiError.upload(400, failure, true);
      }
      try {
        authorize(pipeline.namespace);
      } catch (ApiError denied) {
        throw ApiError.upload(400, failure, false);
      }
      String name = !call.query("name").isEmpty() ? call.query("name")
          : !call.query("display_name").isEmpty() ? call.query("display_name") : part.filename().orElse("");
      String displayName = !call.query("display_name").isEmpty() ? call.query("display_name") : name;
      if (!storable(name) || !storable(displayName) || !storable(call.query("description"))) {
        throw ApiError.upload(500, failure, false);
      }
      if (findVersionByName(pipelineId, name).isPresent()) {
        throw ApiError.upload(409, failure, false);
      }
      Store.VersionRow version = newVersion(pipeline, name, displayName, call.query("description"), parsed,
          call.query("code_source_url"), "", tags);
      return Reply.ok(version.render());
    }
  }

  private Multipart.Part uploadPart(Call call) throws ApiError {
    Optional<List<Multipart.Part>> parts = Multipart.parse(call.contentType(), call.rawBody());
    Optional<Multipart.Part> file = parts.orElse(List.of()).stream()
        .filter(p -> p.name().equals("uploadfile") && p.filename().isPresent()).findFirst();
    if (file.isEmpty()) {
      throw ApiError.upload(400, "Failed to read pipeline from file", true);
    }
    return file.get();
  }

  private static PipelinePackages.Parsed parsedUpload(Multipart.Part part) throws ApiError {
    byte[] file;
    try {
      file = PipelinePackages.read(part.filename().orElse(""), part.content());
    } catch (PipelinePackages.Refused e) {
      throw ApiError.upload(400, "Failed to read a pipeline spec file", true);
    }
    try {
      return PipelinePackages.parse(file);
    } catch (PipelinePackages.Refused e) {
      throw ApiError.upload(400, e.getMessage(), false);
    }
  }

  private static Map<String, String> tags(Call call, String failure) throws ApiError {
    Map<String, String> tags = new TreeMap<>();
    if (call.query("tags").isEmpty()) {
      return tags;
    }
    try {
      JsonNode node = Json.MAPPER.readTree(call.query("tags"));
      if (node == null || !node.isObject()) {
        throw ApiError.upload(400, failure, false);
      }
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        tags.put(e.getKey(), e.getValue().asText());
      }
      checkTags(tags);
    } catch (java.io.IOException e) {
      throw ApiError.upload(400, failure, false);
    } catch (ApiError e) {
      throw ApiError.upload(400, failure, false);
    }
    return tags;
  }

  private static void checkTags(Map<String, String> tags) throws ApiError {
    if (tags.size() > 20) {
      throw ApiError.invalid("Invalid input error: at most 20 tags are allowed", "at most 20 tags are allowed");
    }
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      if (tag.getKey().isEmpty() || tag.getKey().contains(".") || tag.getKey().length() > 63
          || tag.getValue().length() > 63) {
        throw ApiError.invalid("Invalid input error: invalid tag " + tag.getKey(),
            "tag keys must be 1-63 characters without '.', and values at most 63 characters");
      }
    }
  }

  /** The server's database column charset (utf8mb3) cannot hold characters outside the BMP. */
  private static boolean storable(String text) {
    return text.codePoints().allMatch(cp -> cp <= 0xFFFF);
  }

  private Store.PipelineRow newPipeline(String name, String displayName, String description, String namespace,
      Map<String, String> tags) {
    Store.PipelineRow pipeline = new Store.PipelineRow();
    pipeline.id = uuid();
    pipeline.sequence = store.nextSequence();
    pipeline.createdAt = now();
    pipeline.name = name;
    pipeline.displayName = displayName;
    pipeline.description = description;
    pipeline.namespace = namespace;
    pipeline.tags.putAll(tags);
    store.pipelines.put(pipeline.id, pipeline);
    return pipeline;
  }

  private Store.VersionRow newVersion(Store.PipelineRow pipeline, String name, String displayName, String description,
      PipelinePackages.Parsed parsed, String codeSourceUrl, String packageUrl, Map<String, String> tags) {
    Store.VersionRow version = new Store.VersionRow();
    version.id = uuid();
    version.sequence = store.nextSequence();
    version.createdAt = now();
    version.pipelineId = pipeline.id;
    version.name = name;
    version.displayName = displayName;
    version.description = description;
    version.pipelineSpec = parsed.rendered();
    version.spec = parsed.spec();
    version.platformSpec = parsed.platform().orElse(null);
    version.codeSourceUrl = codeSourceUrl;
    version.packageUrl = packageUrl;
    version.tags.putAll(tags);
    store.versions.put(version.id, version);
    return version;
  }

  private Optional<Store.PipelineRow> findPipelineByName(String name, String namespace) {
    return store.pipelines.values().stream()
        .filter(p -> p.name.equalsIgnoreCase(name) && p.namespace.equals(namespace)).findFirst();
  }

  private Optional<Store.VersionRow> findVersionByName(String pipelineId, String name) {
    return store.versions.values().stream()
        .filter(v -> v.pipelineId.equals(pipelineId) && v.name.equalsIgnoreCase(name)).findFirst();
  }

  /** POST /apis/v2beta1/pipelines (a pipeline without a version). */
  public Reply createPipeline(Call call) throws ApiError {
    ObjectNode body = call.body();
    String name = body.path("name").asText("");
    String displayName = body.path("display_name").asText("");
    if (name.isEmpty()) {
      name = displayName;
    }
    if (displayName.isEmpty()) {
      displayName = name;
    }
    if (name.isEmpty()) {
      throw ApiError.invalid("Failed to create a pipeline due to validation error: Invalid input error: pipeline's"
          + " name cannot be empty", "pipeline's name cannot be empty");
    }
    String namespace = multiUser ? body.path("namespace").asText("") : "";
    authorize(namespace);
    Map<String, String> tags = new TreeMap<>();
    body.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
    checkTags(tags);
    synchronized (store) {
      if (!storable(name) || !storable(displayName)) {
        throw ApiError.internal("Failed to create a pipeline due to server error: Internal error: incorrect string value");
      }
      if (findPipelineByName(name, namespace).isPresent()) {
        String external = "Failed to create a new pipeline. The name " + name + " already exist. Please specify a new name";
        throw ApiError.alreadyExists("Failed to create a pipeline due to server error: Failed to create a pipeline in"
            + " PipelineStore: Already exist error: " + external, external);
      }
      return Reply.ok(newPipeline(name, displayName, body.path("description").asText(""), namespace, tags).render());
    }
  }

  /** POST /apis/v2beta1/pipelines/create. */
  public Reply createPipelineAndVersion(Call call) throws ApiError {
    ObjectNode pipelineBody = call.body().has("pipeline") ? (ObjectNode) call.body().get("pipeline") : Json.object();
    ObjectNode versionBody = call.body().has("pipeline_version") ? (ObjectNode) call.body().get("pipeline_version")
        : Json.object();
    PipelinePackages.Parsed parsed = download(versionBody, "Failed to create a pipeline and a pipeline version");
    Reply created = createPipeline(new Call(call.method(), call.path(), call.pathParams(), call.query(),
        call.contentType(), call.rawBody(), pipelineBody));
    synchronized (store) {
      Store.PipelineRow pipeline = store.pipelines.get(created.body().get("pipeline_id").asText());
      String versionName = versionBody.path("name").asText(versionBody.path("display_name").asText(pipeline.name));
      newVersion(pipeline, versionName, versionBody.path("display_name").asText(versionName),
          versionBody.path("description").asText(pipeline.description), parsed,
          versionBody.path("code_source_url").asText(""), versionBody.path("package_url").path("pipeline_url").asText(""),
          Map.of());
      return Reply.ok(pipeline.render());
    }
  }

  /** POST /apis/v2beta1/pipelines/{pipeline_id}/versions. */
  public Reply createPipelineVersion(Call call) throws ApiError {
    ObjectNode body = call.body();
    String pipelineId = call.param("pipeline_id");
    PipelinePackages.Parsed parsed = download(body, "Failed to create a pipeline version");
    synchronized (store) {
      Store.PipelineRow pipeline = requirePipeline(pipelineId);
      authorize(pipeline.namespace);
      String name = body.path("name").asText("");
      if (name.isEmpty()) {
        name = body.path("display_name").asText("");
      }
      if (name.isEmpty()) {
        throw ApiError.invalid("Failed to create a pipeline version: Invalid input error: pipeline version's name"
            + " cannot be empty", "pipeline version's name cannot be empty");
      }
      if (findVersionByName(pipelineId, name).isPresent()) {
        String external = "Failed to create a new pipeline version. The name " + name + " already exist. Please"
            + " specify a new name";
        throw ApiError.alreadyExists("Failed to create a pipeline version: Already exist error: " + external, external);
      }
      Map<String, String> tags = new TreeMap<>();
      body.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
      checkTags(tags);
      Store.VersionRow version = newVersion(pipeline, name, body.path("display_name").asText(name),
          body.path("description").asText(""), parsed, body.path("code_source_url").asText(""),
          body.path("package_url").path("pipeline_url").asText(""), tags);
      return Reply.ok(version.render());
    }
  }

  /**
   * The server downloads package_url.pipeline_url; the emulator may only reach this machine, so it
   * fetches loopback http(s) URLs and refuses others with the reason.
   */
  private static PipelinePackages.Parsed download(ObjectNode version, String failure) throws ApiError {
    String url = version.path("package_url").path("pipeline_url").asText("");
    if (url.isEmpty()) {
      throw ApiError.invalid(failure + ": Invalid input error: pipeline spec url is empty",
          "Failed to create a pipeline version: pipeline spec url is empty");
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid(failure + ": Invalid input error: invalid package url " + url, "invalid package url");
    }
    String host = uri.getHost() == null ? "" : uri.getHost();
    if (!(uri.getScheme() != null && uri.getScheme().startsWith("http")
        && (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]")))) {
      throw ApiError.invalid(failure + ": Invalid input error: the KFP emulator only downloads packages from"
          + " http(s) URLs on this machine (127.0.0.1), not " + url, "cannot download " + url);
    }
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw ApiError.invalid(failure + ": Invalid input error: failed to download " + url + ": HTTP "
            + response.statusCode(), "failed to download the package");
      }
      String path = uri.getPath() == null ? "" : uri.getPath();
      return PipelinePackages.parse(PipelinePackages.read(path, response.body()));
    } catch (java.io.IOException e) {
      throw ApiError.invalid(failure + ": Invalid input error: failed to download " + url + ": " + e.getMessage(),
          "failed to download the package");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiError.internal(failure + ": interrupted while downloading " + url);
    } catch (PipelinePackages.Refused e) {
      throw ApiError.invalid(failure + ": Invalid input error: " + e.getMessage(), e.getMessage());
    }
  }

  private Store.PipelineRow requirePipeline(String id) throws ApiError {
    Store.PipelineRow pipeline = store.pipelines.get(id);
    if (pipeline == null) {
      throw ApiError.notFound("Failed to get a pipeline " + id + ". Check error stack: Failed to get a pipeline with id "
          + id + ": ResourceNotFoundError: Pipeline " + id + " not found", "Pipeline " + id + " not found");
    }
    return pipeline;
  }

  public Reply getPipeline(Call call) throws ApiError {
    synchronized (store) {
      Store.PipelineRow pipeline = requirePipeline(call.param("pipeline_id"));
      authorize(pipeline.namespace);
      return Reply.ok(pipeline.render());
    }
  }

  public Reply getPipelineByName(Call call) throws ApiError {
    String name = call.param("name");
    String namespace = multiUser ? call.query("namespace") : "";
    authorize(namespace);
    synchronized (store) {
      Optional<Store.PipelineRow> found = findPipelineByName(name, namespace);
      if (found.isEmpty()) {
        throw ApiError.notFound("Failed to get a pipeline with name " + name + " and namespace " + namespace
            + ": ResourceNotFoundError: Pipeline " + name + " not found", "Pipeline " + name + " not found");
      }
      return Reply.ok(found.get().render());
    }
  }

  public Reply listPipelines(Call call) throws ApiError {
    String namespace = multiUser ? call.query("namespace") : "";
    authorize(namespace);
    synchronized (store) {
      List<Store.PipelineRow> rows = store.pipelines.values().stream()
          .filter(p -> !multiUser || p.namespace.equals(namespace)).toList();
      Listing.Page<Store.PipelineRow> page = pipelineListing.list(rows, call.query("filter"), call.query("sort_by"),
          call.query("page_size"), call.query("page_token"));
      return Reply.ok(pageBody("pipelines", page, Store.PipelineRow::render));
    }
  }

  private static <R> ObjectNode pageBody(String key, Listing.Page<R> page, java.util.function.Function<R, ObjectNode> render) {
    ObjectNode body = Json.object();
    if (!page.rows().isEmpty()) {
      ArrayNode list = body.putArray(key);
      page.rows().forEach(r -> list.add(render.apply(r)));
    }
    if (page.totalSize() > 0) {
      body.put("total_size", page.totalSize());
    }
    Json.putIfNotEmpty(body, "next_page_token", page.nextPageToken());
    return body;
  }

  public Reply deletePipeline(Call call) throws ApiError {
    String id = call.param("pipeline_id");
    boolean cascade = call.query("cascade").equalsIgnoreCase("true");
    synchronized (store) {
      Store.PipelineRow pipeline = store.pipelines.get(id);
      if (pipeline == null) {
        throw ApiError.notFound("Failed to delete pipeline " + id + ". Check error stack: Failed to get a pipeline with id "
            + id + ": ResourceNotFoundError: Pipeline " + id + " not found", "Pipeline " + id + " not found");
      }
      authorize(pipeline.namespace);
      List<Store.VersionRow> versions = store.versions.values().stream().filter(v -> v.pipelineId.equals(id)).toList();
      if (!versions.isEmpty() && !cascade) {
        String external = "Failed to delete pipeline with id " + id + " as it has existing pipeline versions (e.g. "
            + versions.get(0).id + "). Set cascade=true to delete all versions";
        throw ApiError.invalid("Failed to delete pipeline " + id + ". Check error stack: Invalid input error: " + external,
            external);
      }
      versions.forEach(v -> store.versions.remove(v.id));
      store.pipelines.remove(id);
      return Reply.ok(Json.object());
    }
  }

  private Store.VersionRow requireVersion(String pipelineId, String versionId) throws ApiError {
    Store.VersionRow version = store.versions.get(versionId);
    if (version == null || !version.pipelineId.equals(pipelineId)) {
      throw ApiError.notFound("Failed to get a pipeline version " + versionId + ". Check error stack: Failed to get a"
          + " pipeline version with id " + versionId + ": ResourceNotFoundError: PipelineVersion " + versionId
          + " not found", "PipelineVersion " + versionId + " not found");
    }
    return version;
  }

  public Reply getPipelineVersion(Call call) throws ApiError {
    synchronized (store) {
      Store.VersionRow version = requireVersion(call.param("pipeline_id"), call.param("pipeline_version_id"));
      authorize(store.pipelines.get(version.pipelineId).namespace);
      return Reply.ok(version.render());
    }
  }

  public Reply listPipelineVersions(Call call) throws ApiError {
    String pipelineId = call.param("pipeline_id");
    synchronized (store) {
      Store.PipelineRow pipeline = requirePipeline(pipelineId);
      authorize(pipeline.namespace);
      List<Store.VersionRow> rows = store.versions.values().stream().filter(v -> v.pipelineId.equals(pipelineId)).toList();
      Listing.Page<Store.VersionRow> page = versionListing.list(rows, call.query("filter"), call.query("sort_by"),
          call.query("page_size"), call.query("page_token"));
      return Reply.ok(pageBody("pipeline_versions", page, Store.VersionRow::render));
    }
  }

  public Reply deletePipelineVersion(Call call) throws ApiError {
    synchronized (store) {
      Store.VersionRow version = requireVersion(call.param("pipeline_id"), call.param("pipeline_version_id"));
      authorize(store.pipelines.get(version.pipelineId).namespace);
      store.versions.remove(version.id);
      return Reply.ok(Json.object());
    }
  }

  // ---- experiments ------------------------------------------------------------------------------

  private Store.ExperimentRow defaultExperiment() {
    return store.experiments.values().stream()
        .filter(e -> e.displayName.equals(DEFAULT_EXPERIMENT) && e.namespace.isEmpty()).findFirst()
        .orElseGet(() -> newExperiment(DEFAULT_EXPERIMENT, "All runs created without specifying an experiment will"
            + " be grouped here.", ""));
  }

  private Store.ExperimentRow newExperiment(String name, String description, String namespace) {
    Store.ExperimentRow experiment = new Store.ExperimentRow();
    experiment.id = uuid();
    experiment.sequence = store.nextSequence();
    experiment.createdAt = now();
    experiment.displayName = name;
    experiment.description = description;
    experiment.namespace = namespace;
    store.experiments.put(experiment.id, experiment);
    return experiment;
  }

  public Reply createExperiment(Call call) throws ApiError {
    ObjectNode body = call.body();
    String name = body.path("display_name").asText("");
    if (name.isEmpty()) {
      throw ApiError.invalid("Failed to create a experiment due to validation error: Invalid input error: Experiment"
          + " name is empty. Please specify a valid experiment name", "Experiment name is empty. Please specify a"
          + " valid experiment name");
    }
    String namespace = multiUser ? body.path("namespace").asText("") : "";
    if (multiUser && namespace.isEmpty()) {
      throw ApiError.invalid("Failed to create a experiment due to validation error: Invalid input error: An"
          + " experiment cannot have an empty namespace in multi-user mode", "An experiment cannot have an empty"
          + " namespace in multi-user mode");
    }
    authorize(namespace);
    synchronized (store) {
      boolean taken = store.experiments.values().stream()
          .anyMatch(e -> e.displayName.equalsIgnoreCase(name) && e.namespace.equals(namespace));
      if (taken) {
        String external = "Failed to create a new experiment. The name " + name + " already exists. Please specify a new name";
        throw ApiError.alreadyExists("Failed to create a experiment: Already exist error: " + external, external);
      }
      if (!storable(name)) {
        throw ApiError.internal("Failed to create a experiment: Internal error: incorrect string value");
      }
      return Reply.ok(newExperiment(name, body.path("description").asText(""), namespace).render());
    }
  }

  private Store.ExperimentRow requireExperiment(String id) throws ApiError {
    Store.ExperimentRow experiment = store.experiments.get(id);
    if (experiment == null) {
      throw ApiError.notFound("Failed to get experiment " + id + ": ResourceNotFoundError: Experiment " + id
          + " not found", "Experiment " + id + " not found");
    }
    return experiment;
  }

  public Reply getExperiment(Call call) throws ApiError {
    synchronized (store) {
      Store.ExperimentRow experiment = requireExperiment(call.param("experiment_id"));
      authorize(experiment.namespace);
      return Reply.ok(experiment.render());
    }
  }

  public Reply listExperiments(Call call) throws ApiError {
    String namespace = multiUser ? call.query("namespace") : "";
    if (multiUser && namespace.isEmpty()) {
      throw ApiError.invalid("Failed to list experiments due to validation error: Invalid input error: In multi-user"
          + " mode, ListExperiment requires filtering by namespace", "In multi-user mode, ListExperiment requires"
          + " filtering by namespace");
    }
    authorize(namespace);
    synchronized (store) {
      List<Store.ExperimentRow> rows = store.experiments.values().stream()
          .filter(e -> !multiUser || e.namespace.equals(namespace)).toList();
      Listing.Page<Store.ExperimentRow> page = experimentListing.list(rows, call.query("filter"),
          call.query("sort_by"), call.query("page_size"), call.query("page_token"));
      return Reply.ok(pageBody("experiments", page, Store.ExperimentRow::render));
    }
  }

  public Reply archiveExperiment(Call call, boolean archive) throws ApiError {
    synchronized (store) {
      Store.ExperimentRow experiment = requireExperiment(call.param("experiment_id"));
      authorize(experiment.namespace);
      experiment.storageState = archive ? "ARCHIVED" : "AVAILABLE";
      if (archive) {
        // ArchiveExperiment archives the experiment's runs and disables its recurring runs.
        store.runs.values().stream().filter(r -> experiment.id.equals(r.experimentId))
            .forEach(r -> r.storageState = "ARCHIVED");
        store.recurringRuns.values().stream().filter(r -> experiment.id.equals(r.experimentId)).forEach(r -> {
          r.enabled = false;
          r.mode = "DISABLE";
          r.updatedAt = now();
        });
      }
      return Reply.ok(Json.object());
    }
  }

  public Reply deleteExperiment(Call call) throws ApiError {
    synchronized (store) {
      Store.ExperimentRow experiment = requireExperiment(call.param("experiment_id"));
      authorize(experiment.namespace);
      store.experiments.remove(experiment.id);
      return Reply.ok(Json.object());
    }
  }

  // ---- runs -------------------------------------------------------------------------------------

  /** The pipeline source of a run or recurring run, resolved. */
  private record Source(String kind, String pipelineId, String versionId, JsonNode inline, PipelinePackages.Parsed parsed) {}

  private Source source(ObjectNode body, String failure) throws ApiError {
    if (body.has("pipeline_spec")) {
      try {
        return new Source("spec", "", "", body.get("pipeline_spec"), PipelinePackages.inline(body.get("pipeline_spec")));
      } catch (PipelinePackages.Refused e) {
        throw ApiError.invalid(failure + ": Invalid input error: " + e.getMessage(), e.getMessage());
      }
    }
    String versionId;
    String kind;
    if (body.has("pipeline_version_reference")) {
      kind = "reference";
      JsonNode ref = body.get("pipeline_version_reference");
      String pipelineId = ref.path("pipeline_id").asText("");
      versionId = ref.path("pipeline_version_id").asText("");
      if (versionId.isEmpty()) {
        Optional<Store.VersionRow> latest = store.versions.values().stream()
            .filter(v -> v.pipelineId.equals(pipelineId))
            .max(Comparator.comparing((Store.VersionRow v) -> v.createdAt).thenComparingLong(v -> v.sequence));
        if (latest.isEmpty()) {
          throw ApiError.internal(failure + ": InternalServerError: Failed to fetch the latest pipeline version of"
              + " pipeline " + pipelineId + ": ResourceNotFoundError: Pipeline " + pipelineId + " not found");
        }
        versionId = latest.get().id;
      }
    } else if (body.has("pipeline_version_id")) {
      kind = "version_id";
      versionId = body.get("pipeline_version_id").asText("");
    } else {
      throw ApiError.invalid(failure + ": Invalid input error: Pipeline spec source is missing",
          "Pipeline spec source is missing");
    }
    Store.VersionRow version = store.versions.get(versionId);
    if (version == null) {
      throw ApiError.internal(failure + ": InternalServerError: Failed to create a run due to error fetching manifest:"
          + " Failed to fetch a template due to error retrieving pipeline version: Failed to fetch a pipeline version"
          + " and its manifest from pipeline version " + versionId + ": Failed to get a pipeline version with id "
          + versionId + ": ResourceNotFoundError: PipelineVersion " + versionId + " not found");
    }
    PipelinePackages.Parsed parsed = new PipelinePackages.Parsed((ObjectNode) version.spec,
        Optional.ofNullable((ObjectNode) version.platformSpec));
    return new Source(kind, version.pipelineId, version.id, null, parsed);
  }

  private Store.ExperimentRow experimentFor(ObjectNode body, String kind) throws ApiError {
    String experimentId = body.path("experiment_id").asText("");
    if (experimentId.isEmpty()) {
      if (multiUser) {
        throw ApiError.invalid("Failed to create a new " + kind + ": Invalid input error: Experiment id can not be"
            + " empty in multi-user mode", "Experiment id can not be empty in multi-user mode");
      }
      return defaultExperiment();
    }
    Store.ExperimentRow experiment = store.experiments.get(experimentId);
    if (experiment == null) {
      throw ApiError.notFound("Failed to create a new " + kind + ": Failed to get experiment " + experimentId
          + ": ResourceNotFoundError: Experiment " + experimentId + " not found", "Experiment " + experimentId
          + " not found");
    }
    if (multiUser && experiment.namespace.isEmpty()) {
      throw ApiError.invalid("Failed to create a new " + kind + ": Invalid input error: A " + kind + " cannot have an"
          + " empty namespace in multi-user mode", "A " + kind + " cannot have an empty namespace in multi-user mode");
    }
    authorize(experiment.namespace);
    return experiment;
  }

  /** Every root input without a default that is neither optional nor given (the ExecutionSpec check). */
  private static void checkParameters(JsonNode spec, JsonNode parameters, String failure) throws ApiError {
    JsonNode root = spec.path("root");
    JsonNode inputs = root.path("inputDefinitions").path("parameters");
    if (inputs.isMissingNode()) {
      inputs = root.path("input_definitions").path("parameters");
    }
    for (Map.Entry<String, JsonNode> input : inputs.properties()) {
      JsonNode definition = input.getValue();
      boolean hasDefault = definition.has("defaultValue") || definition.has("default_value");
      boolean optional = definition.path("isOptional").asBoolean(definition.path("is_optional").asBoolean(false));
      if (!hasDefault && !optional && !parameters.has(input.getKey())) {
        String external = "parameter " + input.getKey() + " is not optional, yet has neither default value nor user"
            + " provided value";
        throw ApiError.invalid(failure + ": Failed to generate the ExecutionSpec: invalid pipeline job inputs:"
            + " Invalid input error: " + external, external);
      }
    }
  }

  public Reply createRun(Call call) throws ApiError {
    String failure = "Failed to create a new run";
    ObjectNode body = call.body();
    String displayName = body.path("display_name").asText("");
    if (displayName.isEmpty()) {
      throw ApiError.invalid(failure + ": Invalid input error: The run name is empty. Please specify a valid name",
          "The run name is empty. Please specify a valid name");
    }
    if (!call.query("experiment_id").isEmpty() && !body.has("experiment_id")) {
      body.put("experiment_id", call.query("experiment_id"));
    }
    synchronized (store) {
      Source source = source(body, failure);
      JsonNode runtimeConfig = body.has("runtime_config") ? body.get("runtime_config") : Json.object();
      JsonNode parameters = runtimeConfig.path("parameters").isObject() ? runtimeConfig.get("parameters") : Json.object();
      checkParameters(source.parsed().spec(), parameters, failure);
      Store.ExperimentRow experiment = experimentFor(body, "run");
      Store.RunRow run = new Store.RunRow();
      run.id = uuid();
      run.sequence = store.nextSequence();
      run.createdAt = now();
      run.scheduledAt = run.createdAt;
      run.experimentId = experiment.id;
      run.namespace = experiment.namespace;
      run.displayName = displayName;
      run.description = body.path("description").asText("");
      run.source = source.kind();
      run.pipelineId = source.pipelineId();
      run.pipelineVersionId = source.versionId();
      run.inlineSpec = source.inline();
      run.spec = source.parsed().spec();
      run.runtimeConfig = runtimeConfig;
      if (body.has("service_account")) {
        run.serviceAccount = body.get("service_account").asText("");
      }
      run.workflowName = workflowName(source.parsed().spec());
      RunSubmission submission = new RunSubmission(run.id, displayName, experiment.id, experiment.namespace,
          run.workflowName, source.parsed().spec().deepCopy(),
          source.parsed().platform().map(p -> (JsonNode) p.deepCopy()), parameters.deepCopy(),
          runtimeConfig.path("pipeline_root").asText(""), run.createdAt);
      try {
        executor.submit(submission);
      } catch (SubmissionRefusedException e) {
        throw ApiError.internal(failure + ": InternalServerError: Failed to create a workflow for (): " + e.getMessage());
      }
      run.history.add(new Store.StateChange(run.createdAt, RuntimeState.PENDING));
      store.runs.put(run.id, run);
      experiment.lastRunCreatedAt = run.createdAt;
      return Reply.ok(run.render());
    }
  }

  private String workflowName(JsonNode spec) {
    String name = spec.path("pipelineInfo").path("name").asText(spec.path("pipeline_info").path("name").asText("pipeline"));
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      suffix.append(ALPHANUM.charAt(random.nextInt(ALPHANUM.length())));
    }
    return name + "-" + suffix;
  }

  private Store.RunRow requireRun(String id, String verb) throws ApiError {
    Store.RunRow run = store.runs.get(id);
    if (run == null) {
      throw ApiError.notFound("Failed to " + verb + ": Failed to fetch run " + id + ": ResourceNotFoundError: Run " + id
          + " not found", "Run " + id + " not found");
    }
    authorize(run.namespace);
    return run;
  }

  public Reply getRun(Call call) throws ApiError {
    synchronized (store) {
      return Reply.ok(requireRun(call.param("run_id"), "get a run").render());
    }
  }

  public Reply listRuns(Call call) throws ApiError {
    String namespace = multiUser ? call.query("namespace") : "";
    String experimentId = call.query("experiment_id");
    if (multiUser && namespace.isEmpty() && experimentId.isEmpty()) {
      throw ApiError.invalid("Failed to list runs due to validation error: Invalid input error: In multi-user mode,"
          + " ListRuns requires filtering by namespace or experiment", "In multi-user mode, ListRuns requires"
          + " filtering by namespace or experiment");
    }
    synchronized (store) {
      if (!experimentId.isEmpty()) {
        Store.ExperimentRow experiment = store.experiments.get(experimentId);
        if (experiment != null) {
          authorize(experiment.namespace);
        }
      } else {
        authorize(namespace);
      }
      List<Store.RunRow> rows = store.runs.values().stream()
          .filter(r -> experimentId.isEmpty() || experimentId.equals(r.experimentId))
          .filter(r -> !multiUser || namespace.isEmpty() || namespace.equals(r.namespace)).toList();
      Listing.Page<Store.RunRow> page = runListing.list(rows, call.query("filter"), call.query("sort_by"),
          call.query("page_size"), call.query("page_token"));
      return Reply.ok(pageBody("runs", page, Store.RunRow::render));
    }
  }

  public Reply terminateRun(Call call) throws ApiError {
    String id = call.param("run_id");
    synchronized (store) {
      Store.RunRow run = requireRun(id, "terminate run " + id);
      if (!run.state.isTerminal()) {
        // The server patches the Workflow and shows CANCELING at once, without a state_history entry.
        run.terminateRequested = true;
        run.state = RuntimeState.CANCELING;
        executor.terminate(id);
      }
      return Reply.ok(Json.object());
    }
  }

  public Reply retryRun(Call call) throws ApiError {
    String id = call.param("run_id");
    synchronized (store) {
      Store.RunRow run = requireRun(id, "retry run " + id);
      if (run.state != RuntimeState.FAILED && run.state != RuntimeState.CANCELED) {
        String external = "Workflow cannot be retried: run " + id + " is in state " + run.state.name()
            + "; only a failed or terminated run can be retried";
        throw ApiError.rpc(400, 9, "Failed to retry run " + id + ": Retry run failed: " + external, external);
      }
      Instant now = now();
      run.state = RuntimeState.RUNNING;
      run.finishedAt = null;
      run.terminateRequested = false;
      run.retries++;
      run.history.add(new Store.StateChange(now, RuntimeState.RUNNING));
      executor.retry(id);
      return Reply.ok(Json.object());
    }
  }

  public Reply archiveRun(Call call, boolean archive) throws ApiError {
    String id = call.param("run_id");
    synchronized (store) {
      Store.RunRow run = requireRun(id, (archive ? "archive" : "unarchive") + " run " + id);
      run.storageState = archive ? "ARCHIVED" : "AVAILABLE";
      return Reply.ok(Json.object());
    }
  }

  public Reply deleteRun(Call call) throws ApiError {
    String id = call.param("run_id");
    synchronized (store) {
      requireRun(id, "delete run " + id);
      store.runs.remove(id);
      return Reply.ok(Json.object());
    }
  }

  /** A workflow report from the run executor, applied as the server's ReportWorkflow does. */
  public void report(String runId, WorkflowReport report) {
    synchronized (store) {
      Store.RunRow run = store.runs.get(runId);
      if (run == null) {
        return;
      }
      Instant now = now();
      RuntimeState state = report.state();
      if (run.state == RuntimeState.CANCELING && !state.isTerminal()) {
        state = RuntimeState.CANCELING;
      }
      RuntimeState last = run.history.isEmpty() ? null : run.history.get(run.history.size() - 1).state();
      if (last != state) {
        run.history.add(new Store.StateChange(now, state));
      }
      run.state = state;
      if (state.isTerminal() && run.finishedAt == null) {
        run.finishedAt = now;
      }
      if (!report.nodes().isEmpty() && run.tasks == null) {
        run.tasks = new LinkedHashMap<>();
      }
      for (WorkflowNode node : report.nodes()) {
        Store.TaskRow task = run.tasks.computeIfAbsent(node.id(), id -> {
          Store.TaskRow row = new Store.TaskRow();
          row.taskId = uuid();
          row.nodeId = id;
          row.createTime = run.createdAt;
          return row;
        });
        task.displayName = node.displayName();
        task.startTime = node.startedAt();
        task.endTime = node.finishedAt();
        RuntimeState lastTask = task.history.isEmpty() ? null : task.history.get(task.history.size() - 1).state();
        if (lastTask != node.state()) {
          task.history.add(new Store.StateChange(now, node.state()));
        }
        task.state = node.state();
        task.children = node.children();
      }
    }
  }

  // ---- recurring runs ---------------------------------------------------------------------------

  public Reply createRecurringRun(Call call) throws ApiError {
    String failure = "Failed to create a recurring run";
    ObjectNode body = call.body();
    String displayName = body.path("display_name").asText("");
    if (displayName.isEmpty()) {
      throw ApiError.invalid(failure + ": Invalid input error: The recurring run name is empty. Please specify a valid"
          + " name", "The recurring run name is empty. Please specify a valid name");
    }
    String maxConcurrency = body.path("max_concurrency").asText("1");
    long max;
    try {
      max = Long.parseLong(maxConcurrency);
    } catch (NumberFormatException e) {
      max = -1;
    }
    if (max < 1 || max > 10) {
      throw ApiError.invalid(failure + ": Invalid input error: Max concurrency of the recurring run should be in the"
          + " range of [1,10]. Got " + maxConcurrency, "Max concurrency of the recurring run should be in the range"
          + " of [1,10]");
    }
    JsonNode trigger = body.path("trigger");
    String cron = trigger.path("cron_schedule").path("cron").asText("");
    if (!cron.isEmpty() && !cron.startsWith("@")) {
      int fields = cron.strip().split("\\s+").length;
      if (fields < 5 || fields > 6) {
        String external = "Expected 5 to 6 fields, found " + fields + ": " + cron;
        throw ApiError.invalid(failure + ": Invalid input error: Schedule cron is not a supported format: " + external,
            external);
      }
    }
    if (trigger.has("periodic_schedule") && trigger.path("periodic_schedule").path("interval_second").asLong(0) <= 0) {
      throw ApiError.invalid(failure + ": Invalid input error: Found invalid period schedule: interval_second must be"
          + " positive", "interval_second must be positive");
    }
    synchronized (store) {
      Source source = source(body, failure);
      JsonNode runtimeConfig = body.has("runtime_config") ? body.get("runtime_config") : Json.object();
      JsonNode parameters = runtimeConfig.path("parameters").isObject() ? runtimeConfig.get("parameters") : Json.object();
      checkParameters(source.parsed().spec(), parameters, failure);
      Store.ExperimentRow experiment = experimentFor(body, "recurring run");
      Store.RecurringRunRow row = new Store.RecurringRunRow();
      row.id = uuid();
      row.sequence = store.nextSequence();
      row.createdAt = now();
      row.updatedAt = row.createdAt;
      row.displayName = displayName;
      row.description = body.path("description").asText("");
      row.experimentId = experiment.id;
      row.namespace = experiment.namespace.isEmpty() ? SERVER_NAMESPACE : experiment.namespace;
      row.source = source.kind();
      row.pipelineId = source.pipelineId();
      row.pipelineVersionId = source.versionId();
      row.inlineSpec = source.inline();
      row.runtimeConfig = runtimeConfig;
      if (body.has("service_account")) {
        row.serviceAccount = body.get("service_account").asText("");
      }
      row.maxConcurrency = Long.toString(max);
      row.trigger = body.has("trigger") ? body.get("trigger") : null;
      row.mode = body.path("mode").asText("ENABLE").equals("DISABLE") ? "DISABLE" : "ENABLE";
      row.enabled = row.mode.equals("ENABLE");
      row.noCatchup = body.path("no_catchup").asBoolean(false);
      store.recurringRuns.put(row.id, row);
      return Reply.ok(row.render());
    }
  }

  private Store.RecurringRunRow requireRecurringRun(String id, String verb) throws ApiError {
    Store.RecurringRunRow row = store.recurringRuns.get(id);
    if (row == null) {
      throw ApiError.notFound("Failed to " + verb + " recurring run " + id + ": ResourceNotFoundError: RecurringRun "
          + id + " not found", "RecurringRun " + id + " not found");
    }
    authorize(row.namespace.equals(SERVER_NAMESPACE) && !multiUser ? "" : row.namespace);
    return row;
  }

  public Reply getRecurringRun(Call call) throws ApiError {
    synchronized (store) {
      return Reply.ok(requireRecurringRun(call.param("recurring_run_id"), "get").render());
    }
  }

  public Reply listRecurringRuns(Call call) throws ApiError {
    String namespace = multiUser ? call.query("namespace") : "";
    String experimentId = call.query("experiment_id");
    if (multiUser && namespace.isEmpty() && experimentId.isEmpty()) {
      throw ApiError.invalid("Failed to list recurring runs due to validation error: Invalid input error: In"
          + " multi-user mode, ListRecurringRuns requires filtering by namespace or experiment",
          "In multi-user mode, ListRecurringRuns requires filtering by namespace or experiment");
    }
    authorize(namespace);
    synchronized (store) {
      List<Store.RecurringRunRow> rows = store.recurringRuns.values().stream()
          .filter(r -> experimentId.isEmpty() || experimentId.equals(r.experimentId))
          .filter(r -> !multiUser || namespace.isEmpty() || namespace.equals(r.namespace)).toList();
      Listing.Page<Store.RecurringRunRow> page = recurringListing.list(rows, call.query("filter"),
          call.query("sort_by"), call.query("page_size"), call.query("page_token"));
      // The proto field itself is named recurringRuns, so the list key is camelCase on the wire.
      return Reply.ok(pageBody("recurringRuns", page, Store.RecurringRunRow::render));
    }
  }

  public Reply enableRecurringRun(Call call, boolean enable) throws ApiError {
    synchronized (store) {
      Store.RecurringRunRow row = requireRecurringRun(call.param("recurring_run_id"), enable ? "enable" : "disable");
      row.enabled = enable;
      row.mode = enable ? "ENABLE" : "DISABLE";
      row.updatedAt = now();
      return Reply.ok(Json.object());
    }
  }

  public Reply deleteRecurringRun(Call call) throws ApiError {
    synchronized (store) {
      Store.RecurringRunRow row = requireRecurringRun(call.param("recurring_run_id"), "delete");
      store.recurringRuns.remove(row.id);
      return Reply.ok(Json.object());
    }
  }

  // ---- v1 endpoints the v2 API does not cover ---------------------------------------------------

  /** GET /apis/v1beta1/runs/{run_id}: the v1 RunDetail, whose workflow_manifest maps tasks to pods. */
  public Reply getRunV1(Call call) throws ApiError {
    synchronized (store) {
      Store.RunRow run = requireRun(call.param("run_id"), "get a run");
      return Reply.ok(V1Views.runDetail(run, store));
    }
  }

  /**
   * GET /apis/v1alpha1/runs/{run_id}/nodes/{node_id}/log: the emulator keeps no pod logs, so it
   * answers as a server whose Kubernetes and archive both fail: HTTP 200 with an error body.
   */
  public Reply readLog(Call call) throws ApiError {
    synchronized (store) {
      Store.RunRow run = requireRun(call.param("run_id"), "read logs");
      String node = call.param("node_id");
      String message = "BadRequestError: Failed to read logs for run " + run.id + ": InternalServerError: Failed to"
          + " read logs from archive " + node + " due to error fetching the log file: the KFP emulator keeps no pod"
          + " logs";
      ObjectNode body = Json.object();
      body.put("error_message", message);
      body.put("error_details", message);
      return new Reply(200, body, true);
    }
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  static List<String> list(String... values) {
    return new ArrayList<>(List.of(values));
  }
}
