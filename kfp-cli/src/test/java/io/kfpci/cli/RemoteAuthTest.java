package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.ScriptedRunExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials: accepted, rejected without showing them, and never written anywhere. */
class RemoteAuthTest {
  private static final String TOKEN = "kfp-test-token-6f1c2e9a0b7d";
  @TempDir Path dir;

  @Test
  void aRejectedTokenIsNamedByItsKindAndTheTokenAppearsNowhere() throws Exception {
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().requireBearerToken(TOKEN)
        .runExecutor(ScriptedRunExecutor.timed(Duration.ofMillis(100))))) {
      Path pipeline = CliRun.fixture(RemoteCommandsTest.class, "two-step.yaml", dir);
      Path wrong = dir.resolve("expired.token");
      Files.writeString(wrong, "expired-" + TOKEN + "\n");
      CliRun rejected = CliRun.of("runs", "--endpoint", kfp.baseUrl().toString(), "--token-file", wrong.toString());
      assertThat(rejected.exitCode()).isEqualTo(ExitCodes.SERVER);
      assertThat(rejected.err()).startsWith("error: KFP at " + kfp.baseUrl() + " rejected the bearer token from file " + wrong
          + " (HTTP 401, not authenticated) on GET /apis/v2beta1/runs");
      assertThat(rejected.err()).doesNotContain(TOKEN);

      // The token file is re-read when it changes: the right token now works in the same way.
      Path good = dir.resolve("good.token");
      Files.writeString(good, TOKEN + "\n");
      Path root = dir.resolve("runs");
      CliRun run = CliRun.of("submit", pipeline.toString(), "--endpoint", kfp.baseUrl().toString(), "--token-file",
          good.toString(), "--wait", "--pipeline-root", root.toString(), "--output", "json");
      assertThat(run.exitCode()).as(run.err()).isZero();
      StringBuilder everything = new StringBuilder(run.out()).append(run.err()).append(rejected.out());
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          everything.append(Files.readString(f, StandardCharsets.UTF_8));
        }
      }
      assertThat(everything.toString()).contains("SUCCEEDED").doesNotContain(TOKEN);
      assertThat(kfp.state().requests()).allMatch(r -> r.path().endsWith("/healthz") || r.hadBearerToken());
    }
  }

  @Test
  void aForbiddenNamespaceIsNamed() {
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().multiUser(true).allowNamespaces("team-a"))) {
      CliRun run = CliRun.of("runs", "--endpoint", kfp.baseUrl().toString(), "--namespace", "team-b",
          "--user-id", "alice@example.com");
      assertThat(run.exitCode()).isEqualTo(ExitCodes.SERVER);
      assertThat(run.err()).startsWith("error: KFP at " + kfp.baseUrl() + " rejected the kubeflow-userid header (HTTP 403, "
          + "not allowed) on GET /apis/v2beta1/runs: ").contains("The identity lacks access to namespace 'team-b'");
    }
  }

  @Test
  void aLoginPageIsNotTheKfpApi() throws Exception {
    HttpServer login = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    login.createContext("/", exchange -> {
      byte[] page = "<!DOCTYPE html><html><head><title>Log in</title></head><body>Dex</body></html>".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
    });
    login.start();
    try {
      String url = "http://127.0.0.1:" + login.getAddress().getPort();
      CliRun run = CliRun.of("runs", "--endpoint", url, "--cookie", "authservice_session=abc123secretcookie");
      assertThat(run.exitCode()).isEqualTo(ExitCodes.SERVER);
      assertThat(run.err()).isEqualTo("error: " + url + " answered GET /apis/v2beta1/runs with an HTML page (HTTP 200), "
          + "probably a login page in front of KFP: this is not the KFP API. Check that the endpoint is the pipelines API "
          + "(e.g. https://HOST/pipeline) and authenticate with --cookie or --token-file\n");
    } finally {
      login.stop(0);
    }
  }
}
