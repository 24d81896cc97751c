package io.kfpci.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfpci.artifacts.ObjectStoreAccessDeniedException;
import io.kfpci.artifacts.ObjectStoreOptions;
import io.kfpci.files.UnsafePathException;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.GateResult;
import io.kfpci.report.MetricSummary;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Promotion against a real S3 server: S3Proxy in process, with signature checks on. */
class ModelPromoterTest {
  private static final String ACCESS = "kfp-access";
  private static final String SECRET = "promote-secret-do-not-print";
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T01:00:00Z"), ZoneOffset.UTC);
  private static BlobStoreContext context;
  private static BlobStore blobs;
  private static S3Proxy proxy;
  private static String endpoint;

  @TempDir Path runDir;

  @BeforeAll
  static void startS3() throws Exception {
    context = ContextBuilder.newBuilder("transient").credentials("unused", "unused").build(BlobStoreContext.class);
    blobs = context.getBlobStore();
    blobs.createContainerInLocation(null, "mlpipeline");
    blobs.createContainerInLocation(null, "models");
    proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
    proxy.start();
    while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
      Thread.sleep(10);
    }
    endpoint = "http://127.0.0.1:" + proxy.getPort();
    for (String key : List.of("v2/artifacts/p/run-2/train/ab12/model/model.joblib", "v2/artifacts/p/run-2/train/ab12/model/meta/info.txt")) {
      byte[] bytes = ("bytes of " + key).getBytes(StandardCharsets.UTF_8);
      blobs.putBlob("mlpipeline", blobs.blobBuilder(key).payload(bytes).contentLength(bytes.length).build());
    }
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

  private static ModelPromoter promoter(String secret) {
    return new ModelPromoter(ObjectStoreOptions.builder().endpoint(endpoint).credentials(ACCESS, secret).build(), CLOCK);
  }

  private static RunSummary run(String runId, ArtifactSummary model) {
    Instant t = Instant.parse("2026-11-28T10:00:00Z");
    TaskSummary train = new TaskSummary("train", "train", "", "comp-train", "container", null, RuntimeState.SUCCEEDED,
        t, t.plusSeconds(5), 1, false, "python:3.11", List.of(), Map.of(), List.of(model),
        List.of(new MetricSummary("train", "metrics", "test_accuracy", 0.91)), "", List.of(), 0, null);
    return new RunSummary(1, "churn-pipeline", runId, RuntimeState.SUCCEEDED, t, t, t.plusSeconds(9), Map.of(),
        new RunSummary.Location("local", "kfp-runs/churn-pipeline/" + runId, null), null, List.of(train),
        List.of(new GateResult("train/metrics/test_accuracy", "test_accuracy >= 0.85", 0.91, true, "0.91 >= 0.85",
            "fail", "passed", 0.85, null)));
  }

  @Test
  void aLocalModelIsUploadedWithItsDigestMetadataAndAReleaseRecord() throws Exception {
    byte[] bytes = "a pickled model".getBytes(StandardCharsets.UTF_8);
    Files.createDirectories(runDir.resolve("train"));
    Files.write(runDir.resolve("train/model"), bytes);
    ArtifactSummary model = new ArtifactSummary("model", "system.Model", runDir.resolve("train/model").toString(),
        "train/model", bytes.length, null, Map.of(), "train");
    List<String> progress = new ArrayList<>();

    ModelPromoter.Promotion promotion = promoter(SECRET).promote(run("run-1", model), model, runDir,
        "s3://models/releases/churn/", "4f2a9c1", progress::add);

    String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    assertThat(promotion.uri()).isEqualTo("s3://models/releases/churn/model");
    assertThat(promotion.objects()).containsExactly(new ModelPromoter.PromotedObject("releases/churn/model", bytes.length, sha));
    Blob blob = blobs.getBlob("models", "releases/churn/model");
    assertThat(blob.getPayload().openStream().readAllBytes()).isEqualTo(bytes);
    assertThat(blob.getMetadata().getUserMetadata()).containsEntry("kfpci-run-id", "run-1")
        .containsEntry("kfpci-model", "train/model").containsEntry("kfpci-git-commit", "4f2a9c1");
    JsonNode release = new ObjectMapper().readTree(blobs.getBlob("models", "releases/churn/release.json")
        .getPayload().openStream());
    assertThat(release.get("run_id").asText()).isEqualTo("run-1");
    assertThat(release.get("pipeline").asText()).isEqualTo("churn-pipeline");
    assertThat(release.get("git_commit").asText()).isEqualTo("4f2a9c1");
    assertThat(release.get("promoted_at").asText()).isEqualTo("2026-11-29T01:00:00Z");
    assertThat(release.get("metrics").get(0).get("value").asDouble()).isEqualTo(0.91);
    assertThat(release.get("gates").get(0).get("verdict").asText()).isEqualTo("passed");
    assertThat(release.get("objects").get(0).get("sha256").asText()).isEqualTo(sha);
    assertThat(progress).containsExactly("uploaded s3://models/releases/churn/model (15 bytes, sha256 " + sha + ")",
        "wrote s3://models/releases/churn/release.json");
  }

  @Test
  void aRemoteDirectoryModelIsCopiedInsideTheStore() throws Exception {
    ArtifactSummary model = new ArtifactSummary("model", "system.Model", "minio://mlpipeline/v2/artifacts/p/run-2/train/ab12/model",
        null, -1, null, Map.of(), "train");

    ModelPromoter.Promotion promotion = promoter(SECRET).promote(run("run-2", model), model, null,
        "s3://models/releases/churn-v2/", null, line -> { });

    assertThat(promotion.objects()).extracting(ModelPromoter.PromotedObject::key)
        .containsExactlyInAnyOrder("releases/churn-v2/model/model.joblib", "releases/churn-v2/model/meta/info.txt");
    assertThat(new String(blobs.getBlob("models", "releases/churn-v2/model/meta/info.txt").getPayload().openStream()
        .readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("bytes of v2/artifacts/p/run-2/train/ab12/model/meta/info.txt");
    assertThat(blobs.getBlob("models", "releases/churn-v2/model/model.joblib").getMetadata().getUserMetadata())
        .containsEntry("kfpci-run-id", "run-2");
  }

  @Test
  void aModelPathLeavingTheRunIsRefused() {
    ArtifactSummary hostile = new ArtifactSummary("model", "system.Model", "/etc/passwd", "../../../../etc/passwd", 10,
        null, Map.of(), "train");
    assertThatThrownBy(() -> promoter(SECRET).promote(run("run-3", hostile), hostile, runDir, "s3://models/r/", null,
        line -> { })).isInstanceOf(UnsafePathException.class).hasMessageContaining("../../../../etc/passwd");
    assertThat(blobs.list("models").stream().map(m -> m.getName()).filter(n -> n.startsWith("r/"))).isEmpty();
  }

  @Test
  void wrongCredentialsNameTheEndpointAndBucketNeverTheSecret() throws Exception {
    Files.createDirectories(runDir.resolve("train"));
    Files.writeString(runDir.resolve("train/model"), "m");
    ArtifactSummary model = new ArtifactSummary("model", "system.Model", "x", "train/model", 1, null, Map.of(), "train");

    assertThatThrownBy(() -> promoter("wrong-secret-value").promote(run("run-4", model), model, runDir, "s3://models/x/",
        null, line -> { }))
        .isInstanceOf(ObjectStoreAccessDeniedException.class)
        .hasMessageContaining(endpoint).hasMessageContaining("'models'")
        .hasMessageNotContaining("wrong-secret-value").hasMessageNotContaining(SECRET);
  }

  @Test
  void aTargetThatIsNotAnS3PrefixIsRefusedBeforeAnyCall() {
    assertThatThrownBy(() -> ModelPromoter.releaseLocation("gs://models/releases/"))
        .hasMessageStartingWith("--promote gs://models/releases/: artifact URI 'gs://models/releases/' is not in an S3-compatible store");
    assertThatThrownBy(() -> ModelPromoter.releaseLocation("s3://models/a/../b/"))
        .hasMessageContaining("has an empty, '.' or '..' path segment");
  }
}
