package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kfpci deploy --promote} of a local run's model to a real S3 server (S3Proxy in process). */
class DeployPromoteCommandTest {
  private static BlobStoreContext context;
  private static BlobStore blobs;
  private static S3Proxy proxy;
  private static String endpoint;

  @TempDir Path dir;

  @BeforeAll
  static void startS3() throws Exception {
    context = ContextBuilder.newBuilder("transient").credentials("unused", "unused").build(BlobStoreContext.class);
    blobs = context.getBlobStore();
    blobs.createContainerInLocation(null, "models");
    proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0")).build();
    proxy.start();
    while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
      Thread.sleep(10);
    }
    endpoint = "http://127.0.0.1:" + proxy.getPort();
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

  private Path localRun(boolean gatePassed) throws Exception {
    Path runDir = dir.resolve("kfp-runs/churn/run-5");
    Files.createDirectories(runDir.resolve("train"));
    Files.writeString(runDir.resolve("train/model"), "model bytes");
    Instant t = Instant.parse("2026-11-28T10:00:00Z");
    TaskSummary train = new TaskSummary("train", "train", "", "comp-train", "container", null, RuntimeState.SUCCEEDED,
        t, t.plusSeconds(5), 1, false, "python:3.11", List.of(), Map.of(),
        List.of(new ArtifactSummary("model", "system.Model", runDir.resolve("train/model").toString(), "train/model",
            11, null, Map.of(), "train")), List.of(), "", List.of(), 0, null);
    RunSummary s = new RunSummary(1, "churn", "run-5", RuntimeState.SUCCEEDED, t, t, t.plusSeconds(9), Map.of(),
        new RunSummary.Location("local", runDir.toString(), null), null, List.of(train),
        List.of(new GateResult("train/metrics/acc", "acc >= 0.8", 0.9, gatePassed, "", "fail",
            gatePassed ? "passed" : "failed", 0.8, null)));
    Path file = runDir.resolve("summary.json");
    RunSummaryJson.write(s, file);
    return file;
  }

  @Test
  void promotesAGatedLocalModelWithItsReleaseRecord() throws Exception {
    CliRun r = CliRun.of("deploy", localRun(true).toString(), "--promote", "s3://models/releases/churn/",
        "--s3-endpoint", endpoint, "--git-commit", "4f2a9c1");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("uploaded s3://models/releases/churn/model (11 bytes, sha256 ")
        .endsWith("wrote s3://models/releases/churn/release.json\n"
            + "promoted train/model of run run-5 to s3://models/releases/churn/model (s3://models/releases/churn/release.json)\n");
    assertThat(new String(blobs.getBlob("models", "releases/churn/model").getPayload().openStream().readAllBytes(),
        StandardCharsets.UTF_8)).isEqualTo("model bytes");
    assertThat(new String(blobs.getBlob("models", "releases/churn/release.json").getPayload().openStream().readAllBytes(),
        StandardCharsets.UTF_8)).contains("\"git_commit\" : \"4f2a9c1\"", "\"run_id\" : \"run-5\"");
  }

  @Test
  void aRunThatFailedItsGateIsNotPromotedAndAPromotionNeedsAnEndpoint() throws Exception {
    CliRun refused = CliRun.of("deploy", localRun(false).toString(), "--promote", "s3://models/refused/",
        "--s3-endpoint", endpoint);
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(refused.err()).startsWith("error: refusing to deploy s3://models/refused/: run run-5 did not pass its gate: acc >= 0.8 failed");
    assertThat(blobs.list("models").stream().map(m -> m.getName())).doesNotContain("refused");

    CliRun noEndpoint = CliRun.of("deploy", localRun(true).toString(), "--promote", "s3://models/x/");
    assertThat(noEndpoint.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noEndpoint.err()).startsWith("error: --promote needs --s3-endpoint (e.g. http://localhost:9000)");

    CliRun nothing = CliRun.of("deploy", localRun(true).toString());
    assertThat(nothing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(nothing.err()).startsWith("error: give --name NAME (a KServe InferenceService) or --promote s3://BUCKET/PREFIX/, or both");
  }
}
