package io.kfpci.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KfpEmulatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static KfpEmulator emulator;
  private static ScriptedRunExecutor runs;
  private static Path corpus;

  @BeforeAll
  static void start() {
    Path kfp = SharedInputs.kfp();
    corpus = kfp.resolve("compiled-pipelines");
    runs = ScriptedRunExecutor.manual();
    emulator = KfpEmulator.builder().swaggerDir(kfp.resolve("api-v2beta1")).runExecutor(runs).start();
  }

  @AfterAll
  static void stop() {
    if (emulator != null) {
      emulator.close();
    }
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String pathAndQuery) {
    return emulator.baseUrl().resolve(pathAndQuery);
  }

  static HttpRequest.Builder upload(URI uri, String filename, byte[] content) {
    String boundary = "b" + UUID.randomUUID();
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"uploadfile\"; filename=\""
        + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + content.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(content, 0, body, head.length, content.length);
    System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
    return HttpRequest.newBuilder(uri).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  @Test
  void healthzSaysSingleUser() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/apis/v2beta1/healthz")));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).toString())
        .isEqualTo("{\"commit_sha\":\"unknown\",\"tag_name\":\"unknown\",\"multi_user\":false,\"pipeline_store\":\"database\"}");
    assertThat(emulator.state().violations()).isEmpty();
  }

  @Test
  void uploadCreatesThePipelineAndAFirstVersionOfTheSameName() throws Exception {
    byte[] file = Files.readAllBytes(corpus.resolve("valid/hello_world.yaml"));
    HttpResponse<String> response = send(upload(uri("/apis/v2beta1/pipelines/upload?name=smoke-hello&description=d"),
        "hello_world.yaml", file));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode pipeline = JSON.readTree(response.body());
    assertThat(pipeline.get("name").asText()).isEqualTo("smoke-hello");
    HttpResponse<String> versions = send(HttpRequest.newBuilder(
        uri("/apis/v2beta1/pipelines/" + pipeline.get("pipeline_id").asText() + "/versions")));
    JsonNode list = JSON.readTree(versions.body());
    assertThat(list.get("pipeline_versions")).hasSize(1);
    assertThat(list.get("pipeline_versions").get(0).get("name").asText()).isEqualTo("smoke-hello");
    assertThat(list.get("pipeline_versions").get(0).get("pipeline_spec").get("pipelineInfo").get("name").asText())
        .isEqualTo("echo");
    assertThat(emulator.state().violations()).isEmpty();
  }
}
