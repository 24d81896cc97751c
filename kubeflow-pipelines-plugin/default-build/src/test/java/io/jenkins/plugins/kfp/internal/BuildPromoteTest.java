package io.jenkins.plugins.kfp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfpci.artifacts.ObjectStoreOptions;
import io.kfpci.deploy.DeployException;
import io.kfpci.deploy.DeployGuard;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.GateResult;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
 * {@code kfpDeploy promote:} without Jenkins, against a real S3 server (S3Proxy in process, with
 * signature checks on): the gate decides from the summary the build stored; a local run's model is
 * uploaded from its run directory by the agent's callable (invoked here in process, as the agent
 * would), a KFP run's is copied inside the store from the controller; a wrong credential is
 * reported without the secret, and a forced promotion is recorded in the stored summary.
 */
class BuildPromoteTest {
  private static final String ACCESS = "kfp-promote-access";
  private static final String SECRET = "kfp-promote-secret-never-printed";
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T03:00:00Z"), ZoneOffset.UTC);
  private static final GateResult PASSED = new GateResult("train/accuracy", "accuracy >= 0.9", 0.93, true,
      "0.93 >= 0.9", "fail", "passed", 0.9, null);
  private static BlobStoreContext context;
  private static BlobStore blobs;
  private static S3Proxy proxy;
  private static String endpoint;

  @TempDir Path buildDir;
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
    byte[] bytes = "a remote model".getBytes(StandardCharsets.UTF_8);
    blobs.putBlob("mlpipeline", blobs.blobBuilder("v2/artifacts/iris/kfp-run-9/train/model").payload(bytes)
        .contentLength(bytes.length).build());
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

  private static BuildPromote.Store store(String secret) {
    return BuildPromote.Store.of(ObjectStoreOptions.builder().endpoint(endpoint).credentials(ACCESS, secret).build());
  }

  private static RunSummary summary(String runId, String kind, ArtifactSummary model, List<GateResult> gates) {
    Instant t = Instant.parse("2026-11-28T10:00:00Z");
    TaskSummary train = new TaskSummary("train", "train", "", "comp-train", "container", null, RuntimeState.SUCCEEDED,
        t, t.plusSeconds(60), 1, false, "", List.of(), Map.of(), List.of(model), List.of(), "", List.of(), 0, null);
    return new RunSummary(1, "iris", runId, RuntimeState.SUCCEEDED, t, t, t.plusSeconds(61), Map.of(),
        new RunSummary.Location(kind, "/runs/iris/" + runId, null), null, List.of(train), gates);
  }

  /** A local run: the model file in its run directory, the summary as the build stored it. */
  private ArtifactSummary localModel(byte[] bytes) throws Exception {
    Files.createDirectories(runDir.resolve("train"));
    Files.write(runDir.resolve("train/model.joblib"), bytes);
    return new ArtifactSummary("model", "system.Model", runDir.resolve("train/model.joblib").toString(),
        "train/model.joblib", bytes.length, null, Map.of(), "train");
  }

  private Path stored(RunSummary summary) throws Exception {
    Path dir = RunStorage.directory(buildDir, summary.runId());
    Files.createDirectories(dir);
    RunSummaryJson.write(summary, dir.resolve(RunStorage.SUMMARY_FILE));
    return dir;
  }

  @Test
  void aLocalRunsModelIsUploadedFromItsRunDirectoryOnTheAgent() throws Exception {
    byte[] bytes = "a pickled iris model".getBytes(StandardCharsets.UTF_8);
    RunSummary summary = summary("jenkins-4-aa00bb11", "local", localModel(bytes), List.of(PASSED));
    Path dir = stored(summary);
    assertThat(BuildDeploy.refusal(dir, "s3://models/releases/iris/", false)).isEmpty();
    assertThat(BuildPromote.local(summary)).isTrue();

    BuildPromote.Promoted promoted = new AgentPromote(RunSummaryJson.toJson(summary), "", "s3://models/releases/iris/",
        "4f2a9c1", store(SECRET)).invoke(runDir.toFile(), null);

    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    assertThat(promoted.error()).isNull();
    assertThat(promoted.uri()).isEqualTo("s3://models/releases/iris/model");
    assertThat(promoted.release()).isEqualTo("s3://models/releases/iris/release.json");
    assertThat(promoted.model()).isEqualTo("train/model");
    assertThat(promoted.lines()).containsExactly("uploaded s3://models/releases/iris/model (" + bytes.length
        + " bytes, sha256 " + sha + ")", "wrote s3://models/releases/iris/release.json");
    assertThat(blobs.getBlob("models", "releases/iris/model").getPayload().openStream().readAllBytes()).isEqualTo(bytes);
    JsonNode release = new ObjectMapper().readTree(blobs.getBlob("models", "releases/iris/release.json")
        .getPayload().openStream());
    assertThat(release.get("run_id").asText()).isEqualTo("jenkins-4-aa00bb11");
    assertThat(release.get("git_commit").asText()).isEqualTo("4f2a9c1");
    // The agent stamps the release with its own clock.
    assertThat(Instant.parse(release.get("promoted_at").asText())).isAfter(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(release.get("gates").get(0).get("verdict").asText()).isEqualTo("passed");
    assertThat(release.get("objects").get(0).get("sha256").asText()).isEqualTo(sha);
  }

  @Test
  void aKfpRunsModelIsCopiedInsideTheStoreFromTheController() throws Exception {
    ArtifactSummary model = new ArtifactSummary("model", "system.Model",
        "minio://mlpipeline/v2/artifacts/iris/kfp-run-9/train/model", null, -1, null, Map.of(), "train");
    RunSummary summary = summary("kfp-run-9", "kfp", model, List.of(PASSED));
    assertThat(BuildPromote.local(summary)).isFalse();

    BuildPromote.Promoted promoted = BuildPromote.promote(summary, "train/model", null, "s3://models/releases/kfp/",
        null, store(SECRET), CLOCK);

    assertThat(promoted.error()).isNull();
    assertThat(promoted.uri()).isEqualTo("s3://models/releases/kfp/model");
    assertThat(promoted.lines()).containsExactly(
        "copied minio://mlpipeline/v2/artifacts/iris/kfp-run-9/train/model to s3://models/releases/kfp/model",
        "wrote s3://models/releases/kfp/release.json");
    assertThat(new String(blobs.getBlob("models", "releases/kfp/model").getPayload().openStream().readAllBytes(),
        StandardCharsets.UTF_8)).isEqualTo("a remote model");
    JsonNode release = new ObjectMapper().readTree(blobs.getBlob("models", "releases/kfp/release.json")
        .getPayload().openStream());
    assertThat(release.get("promoted_at").asText()).isEqualTo("2026-11-29T03:00:00Z");
    assertThat(release.has("git_commit")).isFalse();
  }

  @Test
  void aWrongCredentialIsReportedWithoutTheSecret() throws Exception {
    RunSummary summary = summary("jenkins-5-cc22dd33", "local", localModel(new byte[] {1, 2, 3}), List.of(PASSED));

    BuildPromote.Promoted promoted = new AgentPromote(RunSummaryJson.toJson(summary), "", "s3://models/wrong/", null,
        store("not-the-secret-value")).invoke(runDir.toFile(), null);

    assertThat(promoted.error()).contains(endpoint).contains("'models'").doesNotContain("not-the-secret-value")
        .doesNotContain(SECRET);
    assertThat(promoted.uri()).isEmpty();
    assertThat(store("not-the-secret-value").toString()).doesNotContain("not-the-secret-value");
    assertThat(blobs.list("models").stream().map(m -> m.getName()).filter(n -> n.startsWith("wrong/"))).isEmpty();
  }

  @Test
  void aModelNamedThatTheRunDoesNotHaveIsTheCoresError() throws Exception {
    RunSummary summary = summary("jenkins-6-ee44ff55", "local", localModel(new byte[] {4}), List.of(PASSED));

    BuildPromote.Promoted promoted = new AgentPromote(RunSummaryJson.toJson(summary), "evaluate/model",
        "s3://models/none/", null, store(SECRET)).invoke(runDir.toFile(), null);

    assertThat(promoted.error()).contains("evaluate/model");
    assertThat(promoted.model()).isEqualTo("evaluate/model");
    assertThat(promoted.lines()).isEmpty();
  }

  @Test
  void withoutAPassingGateThePromotionIsRefusedUnlessForcedAndThenRecorded() throws Exception {
    RunSummary summary = summary("jenkins-7-0a1b2c3d", "local", localModel(new byte[] {5}), List.of());
    Path dir = stored(summary);

    assertThatThrownBy(() -> BuildDeploy.refusal(dir, "s3://models/releases/iris/", false))
        .isInstanceOf(DeployException.class)
        .hasMessage("refusing to deploy s3://models/releases/iris/: run jenkins-7-0a1b2c3d has no gate verdicts; "
            + "run kfpci gate on its summary first (kfpGate over the run first; force: true deploys anyway, and says so)");

    String refusal = BuildDeploy.refusal(dir, "s3://models/releases/iris/", true);
    assertThat(refusal).isEqualTo("run jenkins-7-0a1b2c3d has no gate verdicts; run kfpci gate on its summary first");
    BuildDeploy.recordForced(dir, "s3://models/releases/iris/", refusal);
    List<GateResult> gates = RunSummaryJson.read(dir.resolve(RunStorage.SUMMARY_FILE)).gates();
    assertThat(gates).containsExactly(DeployGuard.forcedRecord("s3://models/releases/iris/", refusal));
    // A forced record is not a passing gate: the next promotion is refused again.
    assertThatThrownBy(() -> BuildDeploy.refusal(dir, "s3://models/releases/iris/", false))
        .isInstanceOf(DeployException.class);
  }
}
