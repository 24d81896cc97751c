package io.kfpci.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Replays, in order, every exchange recorded against a real KFP 2.17.0 API server
 * (../shared/kfp/real-server-2.17.0/exchanges) against the emulator, and asserts the same status,
 * the same media type and the same body shape (the same keys, recursively, and the same JSON value
 * types; ids, names and timestamps differ). Ids the server generated are mapped to the ids the
 * emulator generated as they appear. The emulator's clock follows the recording's timestamps, so
 * time filters mean the same thing.
 *
 * <p>Between exchanges, the test plays the part the recording's stand-in Argo played (README.md
 * there): it steps the runs with a hand-driven {@link ScriptedRunExecutor}. Until the first runs-*
 * exchange the cluster is unreachable, as it was for those recordings (CreateRun answers 500).
 */
class RecordedExchangesReplayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

  /** Refuses runs until the cluster "comes up", then hands them to the scripted executor. */
  private static final class StandInCluster implements RunExecutor {
    final ScriptedRunExecutor argo = ScriptedRunExecutor.manual()
        .failing(run -> run.displayName().startsWith("run-C-") ? Optional.of("train") : Optional.empty());
    volatile boolean reachable;

    @Override
    public void attach(WorkflowReporter reporter) {
      argo.attach(reporter);
    }

    @Override
    public void submit(RunSubmission run) throws SubmissionRefusedException {
      if (!reachable) {
        throw new SubmissionRefusedException("Post \"https://127.0.0.1:1/apis/argoproj.io/v1alpha1/namespaces/kubeflow/"
            + "workflows\": dial tcp 127.0.0.1:1: connect: connection refused");
      }
      argo.submit(run);
    }

    @Override
    public void terminate(String runId) {
      argo.terminate(runId);
    }

    @Override
    public void retry(String runId) {
      argo.retry(runId);
    }
  }

  /** A clock the replay sets to the recording's time before each exchange. */
  private static final class SettableClock extends Clock {
    volatile Instant now = Instant.parse("2026-11-28T22:45:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final Map<String, String> ids = new LinkedHashMap<>();
  private final Map<String, String> runsByRecordedId = new LinkedHashMap<>();

  @Test
  void everyRecordedExchangeGetsTheSameStatusAndBodyShape() throws Exception {
    Path kfp = SharedInputs.kfp();
    Path exchanges = kfp.resolve("real-server-2.17.0/exchanges");
    List<Path> files;
    try (Stream<Path> listing = Files.list(exchanges)) {
      files = listing.filter(p -> p.toString().endsWith(".json")).sorted(Comparator.comparing(Path::toString)).toList();
    }
    StandInCluster cluster = new StandInCluster();
    SettableClock clock = new SettableClock();
    List<String> mismatches = new ArrayList<>();
    int matched = 0;
    try (KfpEmulator emulator = KfpEmulator.builder().swaggerDir(kfp.resolve("api-v2beta1")).runExecutor(cluster)
        .clock(clock).start()) {
      for (Path file : files) {
        JsonNode exchange = JSON.readTree(file.toFile());
        String scenario = file.getFileName().toString().replaceFirst("\\.json$", "");
        if (scenario.startsWith("runs-")) {
          cluster.reachable = true;
        }
        latestTime(exchange.path("response").path("json_body")).ifPresent(t -> {
          if (t.isAfter(clock.now)) {
            clock.now = t;
          }
        });
        try {
          argoBefore(scenario, cluster.argo);
        } catch (AssertionError e) {
          mismatches.add(scenario + ": " + e.getMessage());
          continue;
        }
        Answer answer = send(emulator, kfp, exchange.path("request"), exchanges);
        JsonNode recorded = exchange.path("response");
        String why = compare(recorded, answer);
        learnIds(recorded.path("json_body"), answer.json(), scenario);
        if (why == null) {
          matched++;
        } else {
          mismatches.add(scenario + ": " + why);
        }
      }
      System.out.println("[replay] " + matched + " of " + files.size() + " recorded exchanges match");
      mismatches.forEach(m -> System.out.println("[replay] MISMATCH " + m));
      List<EmulatorState.Violation> violations = emulator.state().violations();
      violations.forEach(v -> System.out.println("[replay] violation " + v));
      // 14d sends its filter as raw JSON in the request line ({, " unencoded). Go's server takes it; the
      // JDK's HTTP server refuses such a request line with its own 400 before any handler runs.
      assertThat(mismatches).containsExactly("14d-filter-raw-json-not-urlencoded: status 400, recorded 200; body"
          + " <h1>400 Bad Request</h1>URISyntaxException thrown");
      assertThat(matched).isEqualTo(files.size() - 1);
      // The only swagger violation is the deliberately unknown field of 08c, which the real server refused too.
      assertThat(violations).extracting(EmulatorState.Violation::message)
          .containsExactly("proto: (line 1:35): unknown field \"bogus\"");
    }
  }

  /** What the recording's stand-in Argo and persistence agent did before each exchange. */
  private void argoBefore(String scenario, ScriptedRunExecutor argo) {
    Map<String, Consumer<ScriptedRunExecutor>> steps = Map.ofEntries(
        Map.entry("runs-13-get-run-A-RUNNING", a -> a.advance(run("A"))),
        Map.entry("runs-15-get-run-A-SUCCEEDED", a -> a.advanceToEnd(run("A"))),
        Map.entry("runs-22-terminate-run-B", a -> a.advance(run("B"))),
        Map.entry("runs-25-get-run-B-CANCELING-after-report", a -> a.resync(run("B"))),
        Map.entry("runs-27-get-run-B-final", a -> a.advance(run("B"))),
        Map.entry("runs-32-get-run-C-FAILED", a -> a.advanceToEnd(run("C"))),
        Map.entry("runs-36-get-run-C-SUCCEEDED-after-retry", a -> a.advanceToEnd(run("C"))),
        Map.entry("runs-43-get-run-D-final", a -> a.advance(run("D"))),
        Map.entry("runs-81-agent-get-run-after-first-sync", a -> a.reportUnsetPhase(run("E"))),
        Map.entry("runs-83-agent-get-run-RUNNING", a -> a.advance(run("E"))),
        Map.entry("runs-85-agent-get-run-SUCCEEDED", a -> a.advanceToEnd(run("E"))));
    Consumer<ScriptedRunExecutor> step = steps.get(scenario);
    if (step != null) {
      step.accept(argo);
    }
  }

  private String run(String letter) {
    String id = runsByRecordedId.get(letter);
    if (id == null) {
      throw new AssertionError("run " + letter + " was not created by the replay");
    }
    return id;
  }

  // ---- sending --------------------------------------------------------------------------------

  private record Answer(int status, String contentType, JsonNode json, String text) {}

  private Answer send(KfpEmulator emulator, Path kfp, JsonNode request, Path exchanges) throws IOException {
    String method = request.path("method").asText();
    String path = mapIds(request.path("path").asText());
    String query = request.path("query").isNull() ? null : mapIds(request.path("query").asText());
    byte[] body = new byte[0];
    String contentType = null;
    if (!request.path("json_body").isNull() && !request.path("json_body").isMissingNode()) {
      JsonNode json = request.get("json_body");
      String text = json.isTextual() ? shellLiteral(json.asText()) : JSON.writeValueAsString(json);
      body = mapIds(text).getBytes(StandardCharsets.UTF_8);
      contentType = request.path("content_type").asText("application/json");
    } else if (!request.path("multipart_file").isNull() && !request.path("multipart_file").isMissingNode()) {
      String field = request.path("multipart_file").path("field").asText();
      String name = request.path("multipart_file").path("file").asText();
      String boundary = "replay" + UUID.randomUUID().toString().replace("-", "");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + name
          + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(uploadedFile(kfp, exchanges, name));
      out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
      body = out.toByteArray();
      contentType = "multipart/form-data; boundary=" + boundary;
    }
    return exchange(emulator, method, path + (query == null ? "" : "?" + query), contentType, body);
  }

  /**
   * The runs-* request bodies were recorded as the shell's $'…' literal: a leading '$' and the
   * two-character escape \n for newlines. This is the JSON the server actually received.
   */
  private static String shellLiteral(String recorded) {
    String text = recorded.startsWith("$") ? recorded.substring(1) : recorded;
    return text.replace("\\n", "\n");
  }

  /** The uploaded file: from compiled-pipelines, or rebuilt where the recording used one not kept there. */
  private static byte[] uploadedFile(Path kfp, Path exchanges, String name) throws IOException {
    for (String dir : List.of("valid", "invalid")) {
      Path file = kfp.resolve("compiled-pipelines").resolve(dir).resolve(name);
      if (Files.isRegularFile(file)) {
        return Files.readAllBytes(file);
      }
    }
    if (name.equals("real.png")) {
      // A real PNG: signature, IHDR of a 1x1 greyscale image, IEND (the CRCs are not checked by anyone here).
      return new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
          0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0, 0x3a, 0x7e, (byte) 0x9b, 0x55, 0, 0, 0, 0, 'I', 'E', 'N', 'D',
          (byte) 0xae, 0x42, 0x60, (byte) 0x82};
    }
    if (name.equals("ml_training_pipeline.yaml")) {
      // The recording uploaded the compiled seed pipeline; the server's answer to runs-02 holds it whole.
      JsonNode listing = JSON.readTree(exchanges.resolve("runs-02-list-pipeline-versions.json").toFile());
      JsonNode spec = listing.path("response").path("json_body").path("pipeline_versions").get(0).path("pipeline_spec");
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(spec);
    }
    throw new AssertionError("the recording uploads " + name + ", which the replay cannot find");
  }

  /** A raw HTTP/1.1 exchange, so the request line carries exactly what the recording sent. */
  private static Answer exchange(KfpEmulator emulator, String method, String target, String contentType, byte[] body)
      throws IOException {
    try (Socket socket = new Socket(emulator.baseUrl().getHost(), emulator.baseUrl().getPort())) {
      socket.setSoTimeout(30_000);
      StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: "
          + emulator.baseUrl().getAuthority() + "\r\nConnection: close\r\nAccept: application/json\r\n");
      if (contentType != null) {
        head.append("Content-Type: ").append(contentType).append("\r\n");
      }
      head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.UTF_8));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] all = in.readAllBytes();
      String raw = new String(all, StandardCharsets.UTF_8);
      int split = raw.indexOf("\r\n\r\n");
      String[] lines = raw.substring(0, split).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      String type = "";
      boolean chunked = false;
      for (String line : lines) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-type:")) {
          type = line.substring(13).strip();
        }
        if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        }
      }
      String text = raw.substring(split + 4);
      if (chunked) {
        text = dechunk(text);
      }
      JsonNode json;
      try {
        json = text.isBlank() ? null : JSON.readTree(text);
      } catch (IOException e) {
        json = null;
      }
      return new Answer(status, type, json, text);
    }
  }

  private static String dechunk(String text) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (at < text.length()) {
      int eol = text.indexOf("\r\n", at);
      int size = Integer.parseInt(text.substring(at, eol).strip(), 16);
      if (size == 0) {
        break;
      }
      out.append(text, eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
    return out.toString();
  }

  // ---- comparing ------------------------------------------------------------------------------

  private static String compare(JsonNode recorded, Answer answer) {
    int status = recorded.path("status").asInt();
    if (status != answer.status()) {
      return "status " + answer.status() + ", recorded " + status + "; body " + answer.text();
    }
    String wantType = recorded.path("content_type").asText().split(";")[0].strip();
    String gotType = answer.contentType().split(";")[0].strip();
    if (!wantType.equals(gotType)) {
      return "content type " + gotType + ", recorded " + wantType;
    }
    JsonNode want = recorded.path("json_body");
    if (want.isNull() || want.isMissingNode()) {
      return recorded.path("text_body").isNull() || answer.text().equals(recorded.path("text_body").asText())
          ? null : "text body differs: " + answer.text();
    }
    if (answer.json() == null) {
      return "no JSON body: " + answer.text();
    }
    Object wantShape = shape(want);
    Object gotShape = shape(answer.json());
    if (!wantShape.equals(gotShape)) {
      return "shape " + gotShape + "\n      recorded " + wantShape;
    }
    return null;
  }

  /** Keys recursively and value types; an array's elements merged into one shape. */
  static Object shape(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> out = new TreeMap<>();
      node.properties().forEach(e -> out.put(e.getKey(), shape(e.getValue())));
      return out;
    }
    if (node.isArray()) {
      Map<String, Object> merged = new TreeMap<>();
      List<Object> scalars = new ArrayList<>();
      for (JsonNode item : node) {
        Object s = shape(item);
        if (s instanceof Map<?, ?> map) {
          map.forEach((k, v) -> merged.merge((String) k, v, RecordedExchangesReplayTest::mergeShapes));
        } else if (!scalars.contains(s)) {
          scalars.add(s);
        }
      }
      List<Object> out = new ArrayList<>(scalars);
      if (!merged.isEmpty() || node.isEmpty()) {
        out.add(merged);
      }
      return out;
    }
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  @SuppressWarnings("unchecked")
  private static Object mergeShapes(Object a, Object b) {
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      Map<String, Object> out = new TreeMap<>((Map<String, Object>) x);
      ((Map<String, Object>) y).forEach((k, v) -> out.merge(k, v, RecordedExchangesReplayTest::mergeShapes));
      return out;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      List<Object> out = new ArrayList<>(x);
      for (Object item : y) {
        if (item instanceof Map<?, ?> && !out.isEmpty() && out.get(out.size() - 1) instanceof Map<?, ?>) {
          out.set(out.size() - 1, mergeShapes(out.get(out.size() - 1), item));
        } else if (!out.contains(item)) {
          out.add(item);
        }
      }
      return out;
    }
    return a;
  }

  // ---- ids and time ---------------------------------------------------------------------------

  private String mapIds(String text) {
    String out = text;
    for (Map.Entry<String, String> id : ids.entrySet()) {
      out = out.replace(id.getKey(), id.getValue());
    }
    return out;
  }

  /** Pairs every id (and page token) of the recorded answer with the emulator's, position by position. */
  private void learnIds(JsonNode recorded, JsonNode actual, String scenario) {
    if (recorded == null || actual == null) {
      return;
    }
    if (recorded.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = recorded.properties().iterator();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String key = field.getKey();
        JsonNode value = field.getValue();
        JsonNode other = actual.get(key);
        if (other == null) {
          continue;
        }
        boolean isId = key.endsWith("_id") || key.equals("id") || key.equals("next_page_token");
        if (isId && value.isTextual() && other.isTextual() && !value.asText().isEmpty()) {
          ids.putIfAbsent(value.asText(), other.asText());
          if (key.equals("run_id") && scenario.matches("runs-\\d+-(agent-)?create-run(-[A-Z])?")) {
            String letter = scenario.endsWith("agent-create-run") ? "E" : scenario.substring(scenario.length() - 1);
            runsByRecordedId.putIfAbsent(letter, other.asText());
          }
        } else {
          learnIds(value, other, scenario);
        }
      }
    } else if (recorded.isArray()) {
      for (int i = 0; i < recorded.size() && i < actual.size(); i++) {
        learnIds(recorded.get(i), actual.get(i), scenario);
      }
    }
  }

  /** The latest real timestamp in a recorded answer (the unset 1970 and 0001 values aside). */
  private static Optional<Instant> latestTime(JsonNode body) {
    List<Instant> times = new ArrayList<>();
    collectTimes(body, times);
    return times.stream().filter(t -> t.isAfter(Instant.parse("2000-01-01T00:00:00Z"))).max(Comparator.naturalOrder());
  }

  private static void collectTimes(JsonNode node, List<Instant> times) {
    if (node.isTextual()) {
      Matcher m = TIMESTAMP.matcher(node.asText());
      if (m.matches()) {
        times.add(OffsetDateTime.parse(node.asText()).toInstant());
      }
    } else if (node.isContainerNode()) {
      node.forEach(child -> collectTimes(child, times));
    }
  }

  static ObjectNode unused() {
    return JSON.createObjectNode();
  }
}
