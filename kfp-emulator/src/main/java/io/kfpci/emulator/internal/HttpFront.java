package io.kfpci.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.kfpci.emulator.EmulatorState;
import io.kfpci.emulator.FaultPlan;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP side: routing, authentication, fault hooks, the request log, and the swagger check of
 * every exchange. Runs on the HTTP server's worker threads; the handlers serialise on the store.
 *
 * <p>Order per request: fault (reject) → bearer token → route → strict protojson read of the body
 * (an unknown field is the server's own 400 and a recorded violation) → swagger check of the request
 * (a violation is recorded and answered with 400 naming it) → handler → swagger check of the response
 * (a violation is recorded and, when strict, turns the answer into a 500 naming it).
 */
public final class HttpFront implements HttpHandler {
  private static final int MAX_BODY = PipelinePackages.MAX_FILE_BYTES + (1 << 20);

  /** Which checks a route gets. */
  private enum Kind {
    /** grpc-gateway routes: request and response checked against the swagger. */
    GATEWAY,
    /** The upload routes: the request is checked; errors use the v1 api.Error shape, checked here. */
    UPLOAD,
    /** The custom healthz handler: it adds commit_sha and tag_name to the proto's fields. */
    HEALTHZ,
    /** v1 routes outside the v2beta1 swagger: answered as the server does, not checked. */
    OUTSIDE_SWAGGER
  }

  @FunctionalInterface
  private interface Handler {
    Reply handle(Call call) throws ApiError;
  }

  private record Route(String method, Pattern pattern, List<String> names, Kind kind, String bodyDefinition,
      Handler handler) {}

  private final List<Route> routes = new ArrayList<>();
  private final SwaggerCheck swagger;
  private final ProtoRequests proto;
  private final EmulatorState.Recorder recorder;
  private final FaultPlan faults;
  private final byte[] bearerDigest;
  private final boolean strict;
  private final boolean checkResponses;
  private final boolean multiUser;
  private final Clock clock;

  public HttpFront(ApiHandlers api, SwaggerCheck swagger, ProtoRequests proto, EmulatorState.Recorder recorder,
      FaultPlan faults, String bearerToken, boolean strict, boolean checkResponses, boolean multiUser, Clock clock) {
    this.swagger = swagger;
    this.proto = proto;
    this.recorder = recorder;
    this.faults = faults;
    this.bearerDigest = bearerToken == null ? null : digest("Bearer " + bearerToken);
    this.strict = strict;
    this.checkResponses = checkResponses;
    this.multiUser = multiUser;
    this.clock = clock;
    String v2 = "/apis/v2beta1";
    String id = "([^/:]+)";
    route("GET", v2 + "/healthz", List.of(), Kind.HEALTHZ, null, api::healthz);
    route("POST", v2 + "/pipelines/upload", List.of(), Kind.UPLOAD, null, api::uploadPipeline);
    route("POST", v2 + "/pipelines/upload_version", List.of(), Kind.UPLOAD, null, api::uploadPipelineVersion);
    route("POST", v2 + "/pipelines/create", List.of(), Kind.GATEWAY, "v2beta1CreatePipelineAndVersionRequest",
        api::createPipelineAndVersion);
    route("GET", v2 + "/pipelines/names/([^/]+)", List.of("name"), Kind.GATEWAY, null, api::getPipelineByName);
    route("GET", v2 + "/pipelines", List.of(), Kind.GATEWAY, null, api::listPipelines);
    route("POST", v2 + "/pipelines", List.of(), Kind.GATEWAY, "v2beta1Pipeline", api::createPipeline);
    route("GET", v2 + "/pipelines/" + id, List.of("pipeline_id"), Kind.GATEWAY, null, api::getPipeline);
    route("DELETE", v2 + "/pipelines/" + id, List.of("pipeline_id"), Kind.GATEWAY, null, api::deletePipeline);
    route("GET", v2 + "/pipelines/" + id + "/versions", List.of("pipeline_id"), Kind.GATEWAY, null,
        api::listPipelineVersions);
    route("POST", v2 + "/pipelines/" + id + "/versions", List.of("pipeline_id"), Kind.GATEWAY,
        "v2beta1PipelineVersion", api::createPipelineVersion);
    route("GET", v2 + "/pipelines/" + id + "/versions/" + id, List.of("pipeline_id", "pipeline_version_id"),
        Kind.GATEWAY, null, api::getPipelineVersion);
    route("DELETE", v2 + "/pipelines/" + id + "/versions/" + id, List.of("pipeline_id", "pipeline_version_id"),
        Kind.GATEWAY, null, api::deletePipelineVersion);
    route("GET", v2 + "/experiments", List.of(), Kind.GATEWAY, null, api::listExperiments);
    route("POST", v2 + "/experiments", List.of(), Kind.GATEWAY, "v2beta1Experiment", api::createExperiment);
    route("GET", v2 + "/experiments/" + id, List.of("experiment_id"), Kind.GATEWAY, null, api::getExperiment);
    route("DELETE", v2 + "/experiments/" + id, List.of("experiment_id"), Kind.GATEWAY, null, api::deleteExperiment);
    route("POST", v2 + "/experiments/" + id + ":archive", List.of("experiment_id"), Kind.GATEWAY, null,
        c -> api.archiveExperiment(c, true));
    route("POST", v2 + "/experiments/" + id + ":unarchive", List.of("experiment_id"), Kind.GATEWAY, null,
        c -> api.archiveExperiment(c, false));
    route("GET", v2 + "/runs", List.of(), Kind.GATEWAY, null, api::listRuns);
    route("POST", v2 + "/runs", List.of(), Kind.GATEWAY, "v2beta1Run", api::createRun);
    route("GET", v2 + "/runs/" + id, List.of("run_id"), Kind.GATEWAY, null, api::getRun);
    route("DELETE", v2 + "/runs/" + id, List.of("run_id"), Kind.GATEWAY, null, api::deleteRun);
    route("POST", v2 + "/runs/" + id + ":terminate", List.of("run_id"), Kind.GATEWAY, null, api::terminateRun);
    route("POST", v2 + "/runs/" + id + ":retry", List.of("run_id"), Kind.GATEWAY, null, api::retryRun);
    route("POST", v2 + "/runs/" + id + ":archive", List.of("run_id"), Kind.GATEWAY, null, c -> api.archiveRun(c, true));
    route("POST", v2 + "/runs/" + id + ":unarchive", List.of("run_id"), Kind.GATEWAY, null,
        c -> api.archiveRun(c, false));
    route("GET", v2 + "/recurringruns", List.of(), Kind.GATEWAY, null, api::listRecurringRuns);
    route("POST", v2 + "/recurringruns", List.of(), Kind.GATEWAY, "v2beta1RecurringRun", api::createRecurringRun);
    route("GET", v2 + "/recurringruns/" + id, List.of("recurring_run_id"), Kind.GATEWAY, null, api::getRecurringRun);
    route("DELETE", v2 + "/recurringruns/" + id, List.of("recurring_run_id"), Kind.GATEWAY, null,
        api::deleteRecurringRun);
    route("POST", v2 + "/recurringruns/" + id + ":enable", List.of("recurring_run_id"), Kind.GATEWAY, null,
        c -> api.enableRecurringRun(c, true));
    route("POST", v2 + "/recurringruns/" + id + ":disable", List.of("recurring_run_id"), Kind.GATEWAY, null,
        c -> api.enableRecurringRun(c, false));
    route("GET", "/apis/v1beta1/runs/" + id, List.of("run_id"), Kind.OUTSIDE_SWAGGER, null, api::getRunV1);
    route("GET", "/apis/v1alpha1/runs/" + id + "/nodes/([^/]+)/log", List.of("run_id", "node_id"),
        Kind.OUTSIDE_SWAGGER, null, api::readLog);
  }

  private void route(String method, String regex, List<String> names, Kind kind, String body, Handler handler) {
    routes.add(new Route(method, Pattern.compile(regex), names, kind, body, handler));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
      String path = exchange.getRequestURI().getRawPath();
      String decodedPath = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
      String rawQuery = exchange.getRequestURI().getRawQuery();
      Map<String, List<String>> query = parseQuery(rawQuery);
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
      byte[] body = readBody(exchange.getRequestBody());
      Reply reply = answer(method, decodedPath, query, contentType, body, authorization,
          exchange.getRequestHeaders());
      byte[] bytes = Json.bytes(reply.body());
      recorder.request(clock.instant(), method, decodedPath, rawQuery == null ? "" : rawQuery, reply.status(), bearer);
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      exchange.sendResponseHeaders(reply.status(), bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private Reply answer(String method, String path, Map<String, List<String>> query, String contentType, byte[] body,
      String authorization, Map<String, List<String>> headers) {
    if (body == null) {
      return Reply.of(ApiError.upload(400, "File size too large. Maximum supported size: 32 MiB", true));
    }
    Optional<FaultPlan.Rule> fault = faults.fire(method, path);
    if (fault.isPresent() && fault.get().kind() == FaultPlan.Kind.REJECT) {
      return faultReply(fault.get());
    }
    Route route = null;
    Matcher matcher = null;
    for (Route candidate : routes) {
      Matcher m = candidate.pattern().matcher(path);
      if (m.matches() && candidate.method().equals(method)) {
        route = candidate;
        matcher = m;
        break;
      }
    }
    if (route == null) {
      return Reply.of(ApiError.gateway(404, 5, "Not Found"));
    }
    if (bearerDigest != null && route.kind() != Kind.HEALTHZ && !tokenMatches(authorization)) {
      String message = authorization == null
          ? "Request header error: there is no user identity header."
          : "Authentication failure: the bearer token was not accepted";
      return Reply.of(ApiError.rpc(401, 16, "Failed to authenticate: Unauthenticated: " + message, message));
    }
    if (multiUser && bearerDigest == null && route.kind() != Kind.HEALTHZ && authorization == null
        && !headers.containsKey("Kubeflow-userid")) {
      // A multi-user server needs an identity: the user-id header the gateway sets, or a bearer token.
      String message = "Request header error: there is no user identity header.";
      return Reply.of(ApiError.rpc(401, 16, "Failed to authenticate: Unauthenticated: " + message, message));
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < route.names().size(); i++) {
      params.put(route.names().get(i), matcher.group(i + 1));
    }
    ObjectNode json = null;
    if (route.bodyDefinition() != null) {
      try {
        json = proto.parse(body, route.bodyDefinition());
      } catch (ApiError e) {
        recorder.violation(method, path, "request", e.getMessage());
        return Reply.of(e);
      }
    }
    if (route.kind() != Kind.OUTSIDE_SWAGGER) {
      byte[] checked = json == null ? body : Json.bytes(json);
      List<String> problems = swagger.checkRequest(method, path, query, contentType, checked, headers);
      if (!problems.isEmpty()) {
        String message = "kfp-emulator: the request does not match the KFP v2beta1 swagger: " + String.join("; ", problems);
        recorder.violation(method, path, "request", String.join("; ", problems));
        return Reply.of(route.kind() == Kind.UPLOAD ? ApiError.upload(400, message, false)
            : ApiError.invalid(message, message));
      }
    }
    Reply reply;
    try {
      reply = route.handler().handle(new Call(method, path, params, query, contentType, body, json));
    } catch (ApiError e) {
      reply = Reply.of(e);
    }
    reply = checkResponse(route, method, path, reply);
    if (fault.isPresent() && fault.get().kind() == FaultPlan.Kind.LOSE_RESPONSE) {
      return faultReply(fault.get());
    }
    return reply;
  }

  private Reply checkResponse(Route route, String method, String path, Reply reply) {
    if (!checkResponses) {
      return reply;
    }
    List<String> problems = switch (route.kind()) {
      case OUTSIDE_SWAGGER -> List.of();
      case HEALTHZ -> {
        JsonNode copy = reply.body().deepCopy();
        ((ObjectNode) copy).remove(List.of("commit_sha", "tag_name"));
        yield swagger.checkResponse(method, path, reply.status(), reply.contentType(), Json.bytes(copy));
      }
      case UPLOAD -> reply.status() == 200
          ? swagger.checkResponse(method, path, reply.status(), reply.contentType(), Json.bytes(reply.body()))
          : uploadErrorProblems(reply.body());
      case GATEWAY -> swagger.checkResponse(method, path, reply.status(), reply.contentType(), Json.bytes(reply.body()));
    };
    if (problems.isEmpty()) {
      return reply;
    }
    String joined = String.join("; ", problems);
    recorder.violation(method, path, "response", joined);
    if (!strict) {
      return reply;
    }
    return Reply.of(ApiError.internal("kfp-emulator: its own response violates the KFP v2beta1 swagger (an emulator"
        + " bug): " + joined));
  }

  /** The upload endpoints' error body is the v1 api.Error, not the swagger's google.rpc.Status. */
  private static List<String> uploadErrorProblems(JsonNode body) {
    List<String> problems = new ArrayList<>();
    body.fieldNames().forEachRemaining(name -> {
      if (!name.equals("error_message") && !name.equals("error_details")) {
        problems.add("upload error: unexpected field " + name);
      }
    });
    if (!body.path("error_message").isTextual() || !body.path("error_details").isTextual()) {
      problems.add("upload error: error_message and error_details must be strings");
    }
    return problems;
  }

  private static Reply faultReply(FaultPlan.Rule rule) {
    int code = switch (rule.status()) {
      case 503 -> 14;
      case 504 -> 4;
      case 429 -> 8;
      default -> 13;
    };
    return Reply.of(ApiError.gateway(rule.status(), code, "kfp-emulator: injected fault (HTTP " + rule.status() + ")"));
  }

  private boolean tokenMatches(String authorization) {
    // Compared as digests in constant time, so the token never sits in a second string or a log.
    return authorization != null && MessageDigest.isEqual(bearerDigest, digest(authorization));
  }

  private static byte[] digest(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The body, or null when it is larger than any request the server accepts. */
  private static byte[] readBody(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BODY + 1);
    return bytes.length > MAX_BODY ? null : bytes;
  }

  /** Go's url.ParseQuery: '+' is a space, values percent-decoded, repeated keys kept in order. */
  static Map<String, List<String>> parseQuery(String raw) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return query;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }
}
