package io.kfpci.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A small JSON client for the emulator's tests. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  /** An answer: status, content type and body (parsed when it is JSON). */
  record Answer(int status, String contentType, String text) {
    JsonNode json() {
      try {
        return JSON.readTree(text);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + text, e);
      }
    }
  }

  private final URI base;
  private final String authorization;
  private final String userId;

  Http(URI base, String authorization, String userId) {
    this.base = base;
    this.authorization = authorization;
    this.userId = userId;
  }

  Http(KfpEmulator emulator) {
    this(emulator.baseUrl(), null, null);
  }

  Http withBearer(String token) {
    return new Http(base, "Bearer " + token, userId);
  }

  Http withUserId(String user) {
    return new Http(base, authorization, user);
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  Answer get(String pathAndQuery) throws IOException, InterruptedException {
    return send(request(pathAndQuery).GET());
  }

  Answer delete(String pathAndQuery) throws IOException, InterruptedException {
    return send(request(pathAndQuery).DELETE());
  }

  Answer post(String pathAndQuery, String json) throws IOException, InterruptedException {
    return send(request(pathAndQuery).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Answer upload(String pathAndQuery, String filename, byte[] content) throws IOException, InterruptedException {
    String boundary = "b" + UUID.randomUUID();
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"uploadfile\"; filename=\""
        + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + content.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(content, 0, body, head.length, content.length);
    System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
    return send(request(pathAndQuery).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(pathAndQuery));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    if (userId != null) {
      builder.header("kubeflow-userid", userId);
    }
    return builder;
  }

  private static Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
        response.body());
  }
}
