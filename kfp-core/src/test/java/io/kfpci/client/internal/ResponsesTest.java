package io.kfpci.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.client.Credentials;
import io.kfpci.client.KfpApiException;
import io.kfpci.client.KfpConnection;
import io.kfpci.testing.RepoPaths;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ResponsesTest {
  private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.secret-token-value";
  private static final KfpConnection CONNECTION = KfpConnection.builder(URI.create("https://kfp.example.com/pipeline"))
      .namespace("team-a")
      .credentials(Credentials.builder().tokenVariable("KF_PIPELINES_TOKEN", () -> TOKEN).build()).build();
  private static final Transport.Call GET_RUN = Transport.Call.get("/apis/v2beta1/runs/r1", Map.of());
  private static final Transport.Call UPLOAD = new Transport.Call("POST", "/apis/v2beta1/pipelines/upload", Map.of(),
      new byte[0], "multipart/form-data", false);

  private static KfpApiException fail(Transport.Call call, int status, String contentType, String body) {
    return catchThrowableOfType(KfpApiException.class, () -> Responses.interpret(CONNECTION, call, status, contentType, null,
        body.getBytes(StandardCharsets.UTF_8), List.of(TOKEN)));
  }

  @Test
  void googleRpcStatusGivesTheExternalMessage() {
    KfpApiException e = fail(GET_RUN, 404, "application/json", "{\"code\":5,\"message\":\"Failed to get run: "
        + "ResourceNotFoundError: Run r1 not found\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.Status\","
        + "\"code\":5,\"message\":\"Run r1 not found\"}]}");
    assertThat(e.getMessage()).isEqualTo("GET /apis/v2beta1/runs/r1 at https://kfp.example.com/pipeline failed with HTTP 404: Run r1 not found");
    assertThat(e.status()).isEqualTo(404);
    assertThat(e.serverMessage()).isEqualTo("Run r1 not found");
    assertThat(e.isNotFound()).isTrue();
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void theUploadShapeKeepsOnlyTheFirstLineOfItsDetails() {
    KfpApiException e = fail(UPLOAD, 409, "application/json", "{\"error_message\":\"Failed to create a pipeline and a "
        + "pipeline version\",\"error_details\":\"Already exist error: name tx-hello-world\\ngithub.com/kubeflow/pipelines/"
        + "backend/src/common/util.NewAlreadyExistError\\n\\t/go/src/util/error.go:123\"}");
    assertThat(e.serverMessage()).isEqualTo("Failed to create a pipeline and a pipeline version (Already exist error: name tx-hello-world)");
    assertThat(e.getMessage()).doesNotContain("error.go").doesNotContain("github.com");
    assertThat(e.isConflict()).isTrue();
  }

  @Test
  void unavailableIsRetryable() {
    KfpApiException e = fail(GET_RUN, 503, "text/plain", "upstream connect error or disconnect/reset before headers\n");
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.serverMessage()).isEqualTo("upstream connect error or disconnect/reset before headers");
  }

  @Test
  void anHtmlPageIsNotTheKfpApi() {
    KfpApiException e = fail(GET_RUN, 200, "text/html; charset=utf-8", "<!DOCTYPE html><html><body>Log in with Dex</body></html>");
    assertThat(e.getMessage()).isEqualTo("https://kfp.example.com/pipeline answered GET /apis/v2beta1/runs/r1 with an HTML page "
        + "(HTTP 200), probably a login page in front of KFP: this is not the KFP API. Check that the endpoint is the "
        + "pipelines API (e.g. https://HOST/pipeline) and authenticate with --cookie or --token-file");
    KfpApiException redirect = catchThrowableOfType(KfpApiException.class, () -> Responses.interpret(CONNECTION, GET_RUN, 302,
        "", "https://login.example.com/dex/auth?client_id=x&state=abc", new byte[0], List.of()));
    assertThat(redirect.getMessage()).startsWith("https://kfp.example.com/pipeline redirected GET /apis/v2beta1/runs/r1 "
        + "(HTTP 302 to https://login.example.com/dex/auth), probably to a login page").doesNotContain("state=abc");
  }

  @Test
  void authFailuresNameTheEndpointAndTheKindOfCredentialNeverItsValue() {
    KfpApiException e = fail(GET_RUN, 401, "application/json",
        "{\"code\":16,\"message\":\"token " + TOKEN + " is expired\"}");
    assertThat(e.getMessage()).isEqualTo("KFP at https://kfp.example.com/pipeline rejected the bearer token from "
        + "$KF_PIPELINES_TOKEN (HTTP 401, not authenticated) on GET /apis/v2beta1/runs/r1: token **** is expired. "
        + "Renew the credential (an expired token?) or give one with --token-file, --user-id or --cookie");
    KfpApiException forbidden = fail(GET_RUN, 403, "application/json", "{\"code\":7,\"message\":\"PermissionDenied\"}");
    assertThat(forbidden.getMessage()).contains("(HTTP 403, not allowed)").contains("to namespace 'team-a'")
        .doesNotContain(TOKEN);
    assertThat(forbidden.isAuthFailure()).isTrue();
  }

  @Test
  void aMissingEndpointNamesTheVersionNeeded() {
    KfpApiException e = fail(Transport.Call.get("/apis/v2beta1/recurringruns", Map.of()), 404, "text/plain",
        "404 page not found\n");
    assertThat(e.getMessage()).isEqualTo("https://kfp.example.com/pipeline has no GET /apis/v2beta1/recurringruns "
        + "(HTTP 404: 404 page not found). It needs KFP 2.0 or later (the v2beta1 API); an older server or a wrong "
        + "endpoint path would answer this way");
  }

  @Test
  void anEmptySuccessIsAnEmptyObject() throws Exception {
    JsonNode n = Responses.interpret(CONNECTION, GET_RUN, 200, "application/json", null, new byte[0], List.of());
    assertThat(n.isObject()).isTrue();
    assertThat(n.size()).isZero();
  }

  /** Every recorded error answer of the real 2.17.0 server gives a non-empty message without a Go stack trace. */
  @Test
  void recordedErrorsOfARealServer() throws Exception {
    Path dir = RepoPaths.repoRoot().resolve("../shared/kfp/real-server-2.17.0/exchanges").normalize();
    if (!Files.isDirectory(dir)) {
      if (System.getenv("CI") != null) {
        throw new AssertionError("../shared/kfp/real-server-2.17.0 is missing, and CI is set");
      }
      Assumptions.abort("skipped: ../shared/kfp/real-server-2.17.0 is not beside the repository root");
    }
    int errors = 0;
    try (var files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        JsonNode ex = ApiJson.MAPPER.readTree(f.toFile());
        JsonNode resp = ex.path("response");
        int status = resp.path("status").asInt();
        if (status < 400) {
          continue;
        }
        String body = resp.hasNonNull("json_body") ? resp.get("json_body").toString() : resp.path("text_body").asText("");
        Transport.Call call = new Transport.Call(ex.path("request").path("method").asText(),
            ex.path("request").path("path").asText(), Map.of(), null, null, false);
        KfpApiException e = fail(call, status, resp.path("content_type").asText(""), body);
        assertThat(e.status()).as(f.getFileName().toString()).isEqualTo(status);
        assertThat(e.serverMessage()).as(f.getFileName().toString()).isNotBlank().doesNotContain("\n").doesNotContain(".go:");
        errors++;
      }
    }
    assertThat(errors).isGreaterThan(20);
  }
}
