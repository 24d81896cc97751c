package io.kfpci.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kfpci.report.ArtifactSummary;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every MinIO SDK path of the downloader against a real S3 server: S3Proxy in process, with
 * AWS signature checking on, over jclouds' transient blob store. Objects are put straight into the
 * blob store so keys an HTTP client would normalise ({@code ..}, {@code //}) reach the listing as
 * a hostile store would send them.
 */
class ArtifactDownloaderTest {
  private static final String ACCESS = "kfp-access";
  private static final String SECRET = "kfp-secret-do-not-print";
  private static final String BUCKET = "mlpipeline";
  private static final String RUN = "minio://mlpipeline/v2/artifacts/seed/run-1/";

  private static BlobStoreContext context;
  private static BlobStore blobs;
  private static S3Proxy proxy;
  private static String endpoint;

  @TempDir
  Path target;

  @BeforeAll
  static void startS3() throws Exception {
    context = ContextBuilder.newBuilder("transient").credentials("unused", "unused").build(BlobStoreContext.class);
    blobs = context.getBlobStore();
    blobs.createContainerInLocation(null, BUCKET);
    proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
    proxy.start();
    while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
      Thread.sleep(10);
    }
    endpoint = "http://127.0.0.1:" + proxy.getPort();
    put("v2/artifacts/seed/run-1/train/5e1f/model", "model-bytes\n");
    put("v2/artifacts/seed/run-1/prep/0b4c/dataset/part-0.csv", "a,b\n1,2\n");
    put("v2/artifacts/seed/run-1/prep/0b4c/dataset/sub/part-1.csv", "x\n");
    put("v2/artifacts/seed/run-1/evil/1/out/../../../../etc/passwd", "root:x:0:0\n");
    put("v2/artifacts/seed/run-1/evil/2/out//etc/passwd", "root:x:0:0\n");
    put("v2/artifacts/seed/run-1/big/3/blob", "0123456789abcdef");
  }

  private static void put(String key, String content) {
    blobs.putBlob(BUCKET, blobs.blobBuilder(key).payload(content.getBytes(StandardCharsets.UTF_8))
        .contentLength(content.length()).build());
  }

  /** Stores {@code size} bytes drawn from {@code seed} under {@code key}; returns them. */
  private static byte[] putRandom(String key, long size, long seed) {
    byte[] content = new byte[(int) size];
    new SplittableRandom(seed).nextBytes(content);
    blobs.putBlob(BUCKET, blobs.blobBuilder(key).payload(content).contentLength(content.length).build());
    return content;
  }

  private static String sha256(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
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
    return ObjectStoreOptions.builder().endpoint(endpoint).credentials(ACCESS, SECRET).parallelism(3);
  }

  private static ArtifactSummary artifact(String task, String output, String type, String uri) {
    return new ArtifactSummary(output, type, uri, null, -1, null,
        Map.of("framework", JsonNodeFactory.instance.textNode("sklearn")), task);
  }

  @Test
  void downloadsAFileAndADirectoryWithDigestsAndLineage() throws Exception {
    ArtifactSummary model = artifact("train", "model", "system.Model", RUN + "train/5e1f/model");
    ArtifactSummary dataset = artifact("for-loop-2[0]/prep", "dataset", "system.Dataset", RUN + "prep/0b4c/dataset");
    ArtifactSummary metrics = artifact("train", "metrics", "system.Metrics", RUN + "train/5e1f/metrics");

    DownloadReport report;
    try (ArtifactDownloader downloader = new ArtifactDownloader(options().build())) {
      report = downloader.download("run-1", List.of(model, dataset, metrics), target);
    }

    assertThat(report.missing()).containsExactly(metrics);
    assertThat(report.downloaded()).hasSize(2);
    DownloadedArtifact file = report.downloaded().get(0);
    assertThat(file.directory()).isFalse();
    assertThat(file.artifact()).isEqualTo(new ArtifactSummary("model", "system.Model", RUN + "train/5e1f/model",
        "train/model", 12, "9aa6c074d457a309644b6af534fb32e12e7f229b5bb5526425af241d6f50b946", model.metadata(),
        "train"));
    assertThat(Files.readString(target.resolve("train/model"))).isEqualTo("model-bytes\n");

    DownloadedArtifact dir = report.downloaded().get(1);
    assertThat(dir.directory()).isTrue();
    assertThat(dir.artifact().path()).isEqualTo("for-loop-2[0]/prep/dataset");
    assertThat(dir.artifact().size()).isEqualTo(10);
    assertThat(dir.artifact().sha256()).isNull();
    assertThat(dir.files()).containsExactly(
        new DownloadedFile("for-loop-2[0]/prep/dataset/part-0.csv", "v2/artifacts/seed/run-1/prep/0b4c/dataset/part-0.csv",
            8, "492d5ea496056f1a6a6592241032fab764c321596317930b4fa0e1e8bc3b7470"),
        new DownloadedFile("for-loop-2[0]/prep/dataset/sub/part-1.csv",
            "v2/artifacts/seed/run-1/prep/0b4c/dataset/sub/part-1.csv",
            2, "73cb3858a687a8494ca3323053016282f3dad39d42cf62ca4e79dda2aac7d9ac"));
    assertThat(Files.readString(target.resolve("for-loop-2[0]/prep/dataset/sub/part-1.csv"))).isEqualTo("x\n");

    JsonNode lineage = new ObjectMapper().readTree(target.resolve("train/model.lineage.json").toFile());
    assertThat(lineage).isEqualTo(new ObjectMapper().readTree("{\"run_id\":\"run-1\",\"task_id\":\"train\","
        + "\"output\":\"model\",\"type\":\"system.Model\",\"uri\":\"" + RUN + "train/5e1f/model\",\"endpoint\":\""
        + endpoint + "\",\"path\":\"train/model\",\"size\":12,"
        + "\"sha256\":\"9aa6c074d457a309644b6af534fb32e12e7f229b5bb5526425af241d6f50b946\","
        + "\"metadata\":{\"framework\":\"sklearn\"},\"files\":[{\"path\":\"train/model\","
        + "\"key\":\"v2/artifacts/seed/run-1/train/5e1f/model\",\"size\":12,"
        + "\"sha256\":\"9aa6c074d457a309644b6af534fb32e12e7f229b5bb5526425af241d6f50b946\"}]}"));
    assertThat(dir.lineage()).isEqualTo("for-loop-2[0]/prep/dataset.lineage.json");
    assertThat(Files.exists(target.resolve(dir.lineage()))).isTrue();
    try (Stream<Path> walk = Files.walk(target)) {
      assertThat(walk.filter(p -> p.getFileName().toString().endsWith(".part"))).isEmpty();
    }
  }

  @Test
  void aLargeObjectArrivesWholeThroughParallelRangedGets() throws Exception {
    // Just over the ranged threshold with an odd tail, so the parts are uneven.
    byte[] content = putRandom("v2/artifacts/seed/run-1/large/9/model", ArtifactDownloader.RANGED_MIN_BYTES + 12345, 7);
    String expected = sha256(content);
    ArtifactSummary large = artifact("large", "model", "system.Model", RUN + "large/9/model");

    DownloadReport report;
    try (ArtifactDownloader downloader = new ArtifactDownloader(options().parallelism(4).build())) {
      report = downloader.download("run-1", List.of(large), target);
    }

    assertThat(report.downloaded().get(0).artifact().sha256()).isEqualTo(expected);
    assertThat(report.downloaded().get(0).artifact().size()).isEqualTo(content.length);
    assertThat(java.util.Arrays.equals(Files.readAllBytes(target.resolve("large/model")), content)).isTrue();
    blobs.removeBlob(BUCKET, "v2/artifacts/seed/run-1/large/9/model");
  }

  @Test
  void aMidSizeObjectIsHashedOnASecondThreadAndArrivesWhole() throws Exception {
    // Pipelined (one GET, digest on another thread), with a tail shorter than a copy buffer.
    byte[] content = putRandom("v2/artifacts/seed/run-1/mid/8/model", ArtifactDownloader.PIPELINED_MIN_BYTES + 54321, 11);
    String expected = sha256(content);
    ArtifactSummary mid = artifact("mid", "model", "system.Model", RUN + "mid/8/model");

    DownloadReport report;
    try (ArtifactDownloader downloader = new ArtifactDownloader(options().build())) {
      report = downloader.download("run-1", List.of(mid), target);
    }

    assertThat(report.downloaded().get(0).artifact().sha256()).isEqualTo(expected);
    assertThat(report.downloaded().get(0).files()).containsExactly(new DownloadedFile("mid/model",
        "v2/artifacts/seed/run-1/mid/8/model", content.length, expected));
    assertThat(java.util.Arrays.equals(Files.readAllBytes(target.resolve("mid/model")), content)).isTrue();
    try (Stream<Path> walk = Files.walk(target)) {
      assertThat(walk.filter(p -> p.getFileName().toString().endsWith(".part"))).isEmpty();
    }
    blobs.removeBlob(BUCKET, "v2/artifacts/seed/run-1/mid/8/model");
  }

  @Test
  void aKeyWithDotDotIsRefusedAndNothingIsWritten() throws Exception {
    ArtifactSummary evil = artifact("evil", "out", "system.Artifact", RUN + "evil/1/out");
    try (ArtifactDownloader downloader = new ArtifactDownloader(options().build())) {
      assertThatThrownBy(() -> downloader.download("run-1", List.of(evil), target))
          .isInstanceOfSatisfying(UnsafeArtifactPathException.class,
              e -> assertThat(e.path()).isEqualTo("evil/out/../../../../etc/passwd"))
          .hasMessage("object key 'v2/artifacts/seed/run-1/evil/1/out/../../../../etc/passwd' of " + RUN
              + "evil/1/out has a '..' segment that would leave the download directory; refusing to download it");
    }
    try (Stream<Path> walk = Files.walk(target)) {
      assertThat(walk.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void anAbsoluteKeyIsRefused() throws Exception {
    ArtifactSummary evil = artifact("evil", "out", "system.Artifact", RUN + "evil/2/out");
    try (ArtifactDownloader downloader = new ArtifactDownloader(options().build())) {
      assertThatThrownBy(() -> downloader.download("run-1", List.of(evil), target))
          .isInstanceOf(UnsafeArtifactPathException.class)
          .hasMessage("object key 'v2/artifacts/seed/run-1/evil/2/out//etc/passwd' of " + RUN
              + "evil/2/out is an absolute path below its prefix; refusing to download it");
    }
  }

  @Test
  void aSymlinkAlreadyInTheTargetIsNotFollowed(@TempDir Path elsewhere) throws Exception {
    Files.createSymbolicLink(target.resolve("train"), elsewhere);
    ArtifactSummary model = artifact("train", "model", "system.Model", RUN + "train/5e1f/model");
    try (ArtifactDownloader downloader = new ArtifactDownloader(options().build())) {
      assertThatThrownBy(() -> downloader.download("run-1", List.of(model), target))
          .isInstanceOf(UnsafeArtifactPathException.class)
          .hasMessage("the task id and output name 'train/model' of " + RUN + "train/5e1f/model passes through"
              + " the symbolic link train already in the download directory; refusing to download it");
    }
    try (Stream<Path> files = Files.list(elsewhere)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aHostileTaskIdOrUriIsRefused() throws Exception {
    try (ArtifactDownloader downloader = new ArtifactDownloader(options().build())) {
      assertThatThrownBy(() -> downloader.download("run-1",
          List.of(artifact("../outside", "model", "system.Model", RUN + "train/5e1f/model")), target))
          .isInstanceOf(UnsafeArtifactPathException.class)
          .hasMessage("the task id and output name '../outside/model' of " + RUN + "train/5e1f/model has a '..'"
              + " segment that would leave the download directory; refusing to download it");
      assertThatThrownBy(() -> downloader.download("run-1",
          List.of(artifact("train", "model", "system.Model", "minio://mlpipeline/v2/../../etc/passwd")), target))
          .isInstanceOf(UnsafeArtifactPathException.class)
          .hasMessage("artifact train/model: artifact URI 'minio://mlpipeline/v2/../../etc/passwd' has an empty,"
              + " '.' or '..' path segment");
      assertThatThrownBy(() -> downloader.download("run-1",
          List.of(artifact("train", "model", "system.Model", "gs://bucket/model")), target))
          .isInstanceOf(UnsafeArtifactPathException.class)
          .hasMessage("artifact train/model: artifact URI 'gs://bucket/model' is not in an S3-compatible store"
              + " (minio:// or s3://); download it with the tools of its store");
    }
  }

  @Test
  void anArtifactOverTheCapIsRefusedBeforeDownloading() throws Exception {
    ArtifactSummary big = artifact("big", "blob", "system.Artifact", RUN + "big/3/blob");
    try (ArtifactDownloader downloader = new ArtifactDownloader(options().maxArtifactBytes(15).build())) {
      assertThatThrownBy(() -> downloader.download("run-1", List.of(big), target))
          .isInstanceOfSatisfying(ArtifactTooLargeException.class, e -> {
            assertThat(e.size()).isEqualTo(16);
            assertThat(e.cap()).isEqualTo(15);
          })
          .hasMessage("artifact big/blob (" + RUN + "big/3/blob) is 16 bytes, over the download cap of 15 bytes:"
              + " raise the cap (--max-bytes) or filter the artifacts (--type)");
    }
    assertThat(Files.exists(target.resolve("big/blob"))).isFalse();
    ArtifactSummary dir = artifact("prep", "dataset", "system.Dataset", RUN + "prep/0b4c/dataset");
    try (ArtifactDownloader downloader = new ArtifactDownloader(options().maxArtifactBytes(9).build())) {
      assertThatThrownBy(() -> downloader.download("run-1", List.of(dir), target))
          .isInstanceOf(ArtifactTooLargeException.class)
          .hasMessage("artifact prep/dataset (" + RUN + "prep/0b4c/dataset, a directory) is more than 9 bytes,"
              + " over the download cap of 9 bytes: raise the cap (--max-bytes) or filter the artifacts (--type)");
    }
  }

  /**
   * The download client has no OkHttp read timeout (its per-read watchdog is costly); the socket
   * keeps the bound. A server that sends 3 of 10 bytes and then nothing must still fail the read.
   */
  @Test
  @org.junit.jupiter.api.Timeout(60)
  void aStoreThatStopsSendingFailsTheReadAtTheDeadline() throws Exception {
    try (java.net.ServerSocket stalling = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> serveThenStall(stalling));
      server.setDaemon(true);
      server.start();
      String url = "http://127.0.0.1:" + stalling.getLocalPort();
      ArtifactSummary model = artifact("train", "model", "system.Model", "minio://mlpipeline/slow/model");
      ObjectStoreOptions slow = ObjectStoreOptions.builder().endpoint(url)
          .timeout(java.time.Duration.ofMillis(500)).build();
      try (ArtifactDownloader downloader = new ArtifactDownloader(slow)) {
        assertThatThrownBy(() -> downloader.download("run-1", List.of(model), target))
            .isInstanceOfSatisfying(ObjectStoreException.class, e -> assertThat(e.isRetryable()).as(e.toString()).isTrue())
            .hasMessage("cannot reach the object store at " + url + " (download of minio://mlpipeline/slow/model):"
                + " Read timed out");
      }
      assertThat(Files.exists(target.resolve("train/model"))).isFalse();
      try (Stream<Path> walk = Files.walk(target)) {
        assertThat(walk.filter(p -> p.getFileName().toString().endsWith(".part"))).isEmpty();
      }
    }
  }

  /** Answers a HEAD with a 10-byte object and a GET with its first 3 bytes, then holds the socket. */
  private static void serveThenStall(java.net.ServerSocket server) {
    List<java.net.Socket> held = new java.util.ArrayList<>();
    try {
      while (true) {
        java.net.Socket socket = server.accept();
        held.add(socket);
        var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
            StandardCharsets.ISO_8859_1));
        var out = socket.getOutputStream();
        String request;
        while ((request = in.readLine()) != null) {
          String line;
          while ((line = in.readLine()) != null && !line.isEmpty()) {
            // headers: nothing of them matters here
          }
          String head = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nETag: \"0123\"\r\n"
              + "Last-Modified: Sun, 29 Nov 2026 00:00:00 GMT\r\nContent-Type: application/octet-stream\r\n\r\n";
          out.write(head.getBytes(StandardCharsets.ISO_8859_1));
          if (request.startsWith("GET")) {
            out.write("abc".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            break;
          }
          out.flush();
        }
      }
    } catch (java.io.IOException closed) {
      // The test closed the server socket: done.
    } finally {
      held.forEach(s -> {
        try {
          s.close();
        } catch (java.io.IOException ignored) {
          // closing a test connection; nothing to report
        }
      });
    }
  }

  @Test
  void wrongCredentialsNameTheEndpointAndBucketButNeverTheSecret() throws Exception {
    ArtifactSummary model = artifact("train", "model", "system.Model", RUN + "train/5e1f/model");
    String wrong = "wrong-secret-value";
    try (ArtifactDownloader downloader = new ArtifactDownloader(options().credentials(ACCESS, wrong).build())) {
      assertThatThrownBy(() -> downloader.download("run-1", List.of(model), target))
          .isInstanceOfSatisfying(ObjectStoreAccessDeniedException.class, e -> {
            assertThat(e.endpoint()).isEqualTo(endpoint);
            assertThat(e.bucket()).isEqualTo(BUCKET);
            // The first request is a HEAD (stat), whose 403 has no body: the SDK reports AccessDenied.
            assertThat(e.code()).isEqualTo("AccessDenied");
          })
          .hasMessage("the object store at " + endpoint + " refused access to bucket 'mlpipeline'"
              + " (AccessDenied): check the access key and secret key given for this store")
          .satisfies(e -> assertThat(e.toString()).doesNotContain(wrong).doesNotContain(SECRET));
    }
    try (ArtifactDownloader downloader = new ArtifactDownloader(options().credentials("nobody", wrong).build())) {
      assertThatThrownBy(() -> downloader.download("run-1", List.of(model), target))
          .isInstanceOfSatisfying(ObjectStoreAccessDeniedException.class,
              e -> assertThat(e.code()).isEqualTo("AccessDenied"));
    }
    assertThat(options().credentials(ACCESS, wrong).build().toString()).doesNotContain(wrong);
  }
}
