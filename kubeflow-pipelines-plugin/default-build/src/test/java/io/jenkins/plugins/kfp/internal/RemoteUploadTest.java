package io.jenkins.plugins.kfp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kfp.PluginClassesAccess;
import io.kfpci.KfpException;
import io.kfpci.client.KfpConnection;
import io.kfpci.emulator.KfpEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kfpUpload} without Jenkins: the agent side reads and validates the workspace file
 * in-process, the controller side uploads it with the core's uploader to the KFP API emulator,
 * which demands the bearer token the credential supplies. Same content twice is one version;
 * changed content a new one named from the commit; a wrong token is refused without appearing.
 */
class RemoteUploadTest {
  private static final String TOKEN = "kfp-plugin-token-3b9e51c07d";
  private static final String COMMIT = "ABC1234def567890000000000000000000000000";

  @TempDir Path workspace;

  private Path fixture() throws Exception {
    Path dir = Files.createDirectories(workspace.resolve("pipelines"));
    return Files.copy(PluginClassesAccess.repoRoot().resolve("kfp-cli/src/test/resources/cli/RemoteCommandsTest/two-step.yaml"),
        dir.resolve("two-step.yaml"));
  }

  @Test
  void uploadsOnceThenVersionsChangedContentWithTheCredentialsToken() throws Exception {
    Path file = fixture();
    AgentReadPipeline.Read read = new AgentReadPipeline("pipelines/two-step.yaml").invoke(workspace.toFile(), null);
    assertThat(read.problems()).isEmpty();
    assertThat(read.shown()).isEqualTo("pipelines/two-step.yaml");
    assertThat(read.fileName()).isEqualTo("two-step.yaml");
    assertThat(read.content()).isEqualTo(Files.readAllBytes(file));

    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().requireBearerToken(TOKEN))) {
      List<String> warnings = new ArrayList<>();
      KfpConnection connection = RemoteUpload.connection("prod", kfp.baseUrl().toString(), "", "kfp-token",
          () -> TOKEN, warnings::add);
      assertThat(connection.toString()).doesNotContain(TOKEN);

      Map<String, Object> first = RemoteUpload.upload(connection, read.fileName(), read.content(), "", "",
          RemoteUpload.gitShortSha(COMMIT), "");
      assertThat(first).containsEntry("pipelineName", "two-step").containsEntry("created", true)
          .containsEntry("pipelineCreated", true);
      assertThat(kfp.state().pipelines()).singleElement().satisfies(p -> assertThat(p.id()).isEqualTo(first.get("pipelineId")));
      assertThat(RemoteUpload.describe(first, "prod")).isEqualTo("[kfp] created pipeline two-step ("
          + first.get("pipelineId") + ") on prod with version '" + first.get("versionName") + "' ("
          + first.get("versionId") + ")");

      Map<String, Object> again = RemoteUpload.upload(connection, read.fileName(), read.content(), "", "",
          RemoteUpload.gitShortSha(COMMIT), "");
      assertThat(again).containsEntry("created", false).containsEntry("pipelineCreated", false)
          .containsEntry("versionId", first.get("versionId")).containsEntry("sha256", first.get("sha256"));
      assertThat(kfp.state().versions()).hasSize(1);
      assertThat(RemoteUpload.describe(again, "prod")).isEqualTo("[kfp] unchanged: pipeline two-step on prod already "
          + "has this content as version '" + first.get("versionName") + "' (" + first.get("versionId")
          + "); nothing uploaded");

      byte[] changed = new String(read.content(), StandardCharsets.UTF_8).replace("command: [\"true\"]",
          "command: [\"false\"]").getBytes(StandardCharsets.UTF_8);
      Map<String, Object> next = RemoteUpload.upload(connection, read.fileName(), changed, "", "",
          RemoteUpload.gitShortSha(COMMIT), "nightly retraining");
      String sha = (String) next.get("sha256");
      assertThat(sha).isNotEqualTo(first.get("sha256"));
      assertThat(next).containsEntry("created", true).containsEntry("pipelineCreated", false)
          .containsEntry("pipelineId", first.get("pipelineId")).containsEntry("versionName", "abc1234-" + sha.substring(0, 8));
      assertThat(kfp.state().versions()).hasSize(2);
      assertThat(kfp.state().versions().get(1).description()).startsWith("nightly retraining [kfpci-sha256:" + sha);
      assertThat(kfp.state().requests()).allMatch(r -> r.path().endsWith("/healthz") || r.hadBearerToken());
      assertThat(warnings).isEmpty();

      KfpConnection wrong = RemoteUpload.connection("prod", kfp.baseUrl().toString(), "", "kfp-token",
          () -> "expired-" + TOKEN, warnings::add);
      KfpException refused = org.junit.jupiter.api.Assertions.assertThrows(KfpException.class,
          () -> RemoteUpload.upload(wrong, read.fileName(), read.content(), "", "", null, ""));
      String message = RemoteUpload.explain(refused, "prod", "kfp-token");
      assertThat(message).startsWith("KFP at " + kfp.baseUrl() + " rejected the bearer token from $credential kfp-token "
          + "(HTTP 401, not authenticated) on GET /apis/v2beta1/pipelines: ")
          .endsWith("\nThe token is the Secret text credential 'kfp-token' of endpoint prod: renew it in Manage Jenkins, "
              + "Credentials")
          .doesNotContain(TOKEN);
      assertThat(RemoteUpload.explain(refused, "prod", "")).endsWith("\nEndpoint prod has no credential: choose a "
          + "Secret text credential for it in Manage Jenkins, Kubeflow Pipelines");
      assertThat(RemoteUpload.explain(new KfpException("boom"), "prod", "kfp-token")).isEqualTo("boom");
    }
  }

  @Test
  void aBadVersionPatternOrPipelineIsRefusedBeforeAnyCall() throws Exception {
    Path file = fixture();
    KfpConnection nowhere = RemoteUpload.connection("prod", "http://127.0.0.1:9", "", "", () -> null, w -> { });
    assertThatThrownBy(() -> RemoteUpload.upload(nowhere, "two-step.yaml", Files.readAllBytes(file), "", "{branch}",
        null, "")).isInstanceOf(KfpException.class).hasMessage("versionName: unknown placeholder in version name "
            + "pattern '{branch}'; use {git}, {hash8} and {hash}");
    assertThatThrownBy(() -> RemoteUpload.connection("prod", "http://bad host", "", "", () -> null, w -> { }))
        .isInstanceOf(KfpException.class)
        .hasMessage("endpoint prod: 'http://bad host' is not a URL; fix it in Manage Jenkins, Kubeflow Pipelines");

    Files.writeString(workspace.resolve("train.py"), "print('hi')\n");
    assertThat(new AgentReadPipeline("train.py").invoke(workspace.toFile(), null).problems()).containsExactly(
        "train.py: a .py pipeline is compiled first: def ir = kfpCompile(pipeline: 'train.py'), then upload ir");
    assertThat(new AgentReadPipeline("missing.yaml").invoke(workspace.toFile(), null).problems())
        .containsExactly("missing.yaml: no such file");
    Files.writeString(workspace.resolve("broken.yaml"), "pipelineInfo: {name: x}\nroot: 7\n");
    AgentReadPipeline.Read broken = new AgentReadPipeline("broken.yaml").invoke(workspace.toFile(), null);
    assertThat(broken.content()).isEmpty();
    assertThat(broken.problems()).isNotEmpty().allMatch(p -> p.startsWith("broken.yaml:"));
  }

  @Test
  void onlyACommitIdGivesTheShortCommit() {
    assertThat(RemoteUpload.gitShortSha(COMMIT)).isEqualTo("abc1234");
    assertThat(RemoteUpload.gitShortSha("abc12")).isNull();
    assertThat(RemoteUpload.gitShortSha("main")).isNull();
    assertThat(RemoteUpload.gitShortSha(null)).isNull();
  }
}
