package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.ScriptedRunExecutor;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kfpci submit --wait --mlmd} against the KFP emulator when the ML Metadata store cannot be
 * reached: states still flow, the run still ends with its own exit code, and the watch says why
 * there are no metrics instead of failing.
 */
class RemoteMirrorWatchTest {
  @TempDir Path dir;
  private KfpEmulator kfp;
  private Path pipeline;

  @BeforeEach
  void start() {
    kfp = Emulators.start(KfpEmulator.builder().runExecutor(ScriptedRunExecutor.timed(Duration.ofMillis(100))));
    pipeline = CliRun.fixture(RemoteCommandsTest.class, "two-step.yaml", dir);
  }

  @AfterEach
  void stop() {
    if (kfp != null) {
      kfp.close();
    }
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void anUnreachableMetadataStoreLeavesStatesFlowingAndSaysWhyThereAreNoMetrics() throws Exception {
    Path root = dir.resolve("runs");
    String mlmd = "127.0.0.1:" + closedPort();
    CliRun run = CliRun.of("submit", pipeline.toString(), "--endpoint", kfp.baseUrl().toString(), "--wait",
        "-p", "rows=5", "--pipeline-root", root.toString(), "--mlmd", mlmd, "--mlmd-timeout", "2");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).anyMatch(l -> l.contains("SUCCEEDED"));
    String unavailable = lines.stream().filter(l -> l.startsWith("metrics unavailable: ")).findFirst().orElseThrow();
    assertThat(unavailable).contains(mlmd);
    assertThat(run.err()).contains("warning: metrics and artifacts unavailable: ").contains(mlmd);
    // Warned once, not on every poll.
    assertThat(run.err().split("metrics and artifacts unavailable", -1)).hasSize(2);
    int at = lines.indexOf(unavailable);
    assertThat(lines.get(at + 1)).matches("run \\S+ SUCCEEDED");
    assertThat(lines.get(at + 2)).startsWith("summary: ");
    assertThat(lines.get(at + 3)).startsWith("report:  ");
    JsonNode summary = new ObjectMapper().readTree(Files.readString(Path.of(lines.get(at + 2).substring(9))));
    assertThat(summary.get("state").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void podsWithoutTheMetadataStoreIsABadUsageBeforeAnythingIsSubmitted() {
    CliRun run = CliRun.of("submit", pipeline.toString(), "--endpoint", kfp.baseUrl().toString(), "--wait",
        "-p", "rows=5", "--pipeline-root", dir.resolve("runs").toString(), "--pods");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--pods needs --mlmd HOST:PORT");
    assertThat(kfp.state().runs()).isEmpty();
  }
}
