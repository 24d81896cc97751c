package io.kfpci.remote.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.kfpci.artifacts.ObjectStoreOptions;
import io.kfpci.artifacts.TaskPod;
import io.kfpci.client.KfpClient;
import io.kfpci.client.KfpConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two archives a log falls back to once its pod is gone: the archived {@code main.log} on a
 * real S3 server (S3Proxy in process, laid out as KFP's keyFormat writes it, FACTS 4.3) and the
 * API server's {@code main-logs:read} answer ({@code {"data":"<base64>"}}, FACTS 4.4).
 */
class LogArchivesTest {
  private static final String ACCESS = "kfp-access";
  private static final String SECRET = "kfp-secret-do-not-print";
  private static final String POD = "seed-x7k2p-system-container-impl-3411";
  private static final String RETRY_POD = "seed-x7k2p-retry-system-container-impl-77";
  private static BlobStoreContext context;
  private static S3Proxy proxy;
  private static String endpoint;

  @BeforeAll
  static void startS3() throws Exception {
    context = ContextBuilder.newBuilder("transient").credentials("unused", "unused").build(BlobStoreContext.class);
    BlobStore blobs = context.getBlobStore();
    blobs.createContainerInLocation(null, "mlpipeline");
    proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
    proxy.start();
    while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
      Thread.sleep(10);
    }
    endpoint = "http://127.0.0.1:" + proxy.getPort();
    // The workflow was created just before midnight UTC, the run a moment later: the day differs.
    put(blobs, "private-artifacts/team-a/seed-x7k2p/2026/11/27/" + POD + "/main.log", "loading\nepoch 1\ndone\n");
    put(blobs, "private-artifacts/team-a/seed-x7k2p/2026/11/27/" + POD + "-other/main.log", "not this one\n");
    put(blobs, "private-artifacts/team-b/seed-x7k2p/2026/11/27/" + RETRY_POD + "/main.log", "other namespace\n");
  }

  private static void put(BlobStore blobs, String key, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    blobs.putBlob("mlpipeline", blobs.blobBuilder(key).payload(bytes).contentLength(bytes.length).build());
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (proxy != null) {
      proxy.stop();
    }
    if (context != null) {
      context.close();
    }
  }

  private static ObjectStoreOptions.Builder options() {
    return ObjectStoreOptions.builder().endpoint(endpoint).credentials(ACCESS, SECRET).timeout(Duration.ofSeconds(20));
  }

  @Test
  void theWorkflowIsThePodNameWithoutItsExecutorTemplate() {
    assertThat(ObjectStoreLogArchive.workflow(POD)).contains("seed-x7k2p");
    assertThat(ObjectStoreLogArchive.workflow(RETRY_POD)).contains("seed-x7k2p");
    assertThat(ObjectStoreLogArchive.workflow("seed-x7k2p-metadata-1-2-system-container-impl-9")).contains("seed-x7k2p");
    assertThat(ObjectStoreLogArchive.workflow("seed-x7k2p-3411")).isEmpty();
  }

  @Test
  void theArchivedMainLogOfThePodIsFoundUnderItsWorkflowWhateverTheDay() throws Exception {
    ObjectStoreLogArchive archive = new ObjectStoreLogArchive(options().build(), "private-artifacts");

    assertThat(archive.read("run-1", new TaskPod("train", 0, 2, POD, "team-a", null)))
        .hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("loading\nepoch 1\ndone\n"));
    assertThat(archive.read("run-1", new TaskPod("train", 1, 3, RETRY_POD, "team-a", null))).isEmpty();
    // A name from the server that is not a Kubernetes name never shapes a key.
    assertThat(archive.read("run-1", new TaskPod("train", 0, 2, "../team-b/" + RETRY_POD, "team-a", null))).isEmpty();
  }

  @Test
  void wrongCredentialsNameTheEndpointAndBucketNeverTheSecret() {
    ObjectStoreLogArchive archive = new ObjectStoreLogArchive(
        options().credentials(ACCESS, "wrong-" + SECRET).build(), "private-artifacts");

    assertThatThrownBy(() -> archive.read("run-1", new TaskPod("train", 0, 2, POD, "team-a", null)))
        .isInstanceOf(LogSourceException.class)
        .hasMessageContaining(endpoint).hasMessageContaining("mlpipeline")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
  }

  @Test
  void theApiServersMainLogsArtifactIsDecodedAndAMissingOneIsEmpty() throws Exception {
    List<String> asked = new ArrayList<>();
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", ex -> {
      asked.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
      boolean known = ex.getRequestURI().getPath().contains("/nodes/" + POD + "/");
      byte[] body = (known ? "{\"data\":\"" + Base64.getEncoder().encodeToString("a\nb\n".getBytes(StandardCharsets.UTF_8))
          + "\"}" : "{\"error\":\"not found\",\"code\":5,\"message\":\"artifact not found\"}").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(known ? 200 : 404, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    http.start();
    try (KfpClient client = KfpClient.connect(KfpConnection.builder(
        URI.create("http://127.0.0.1:" + http.getAddress().getPort())).build())) {
      ApiServerLogArchive archive = new ApiServerLogArchive(client);
      List<String> out = new ArrayList<>();
      LogSink sink = new LogSink() {
        public void line(LogLine line) {
          out.add(line.format());
        }

        public void notice(String task, String message) {
          out.add("! [" + task + "] " + message);
        }
      };

      // No cluster at all (the pods are long gone): the mirror reads the archives only.
      Map<String, LogCursor> cursors = new LogMirror(null, List.of(archive), sink, Duration.ZERO).poll("run-1",
          List.of(new TaskPod("train", 0, 2, POD, "team-a", null), new TaskPod("eval", 0, 4, RETRY_POD, "team-a", null)),
          Map.of());

      assertThat(out).containsExactly("[train] a", "[train] b",
          "! [eval] pod " + RETRY_POD + " is gone and no archived log was found (tried the API server's main-logs artifact)");
      assertThat(asked).containsExactly(
          "GET /apis/v2beta1/runs/run-1/nodes/" + POD + "/artifacts/main-logs:read",
          "GET /apis/v2beta1/runs/run-1/nodes/" + RETRY_POD + "/artifacts/main-logs:read");
      assertThat(cursors.get("train")).isEqualTo(new LogCursor(null, 0, 2, true));
      assertThat(archive.read("run-1", new TaskPod("x", 0, 1, RETRY_POD, "team-a", null))).isEqualTo(Optional.empty());
    } finally {
      http.stop(0);
    }
  }
}
