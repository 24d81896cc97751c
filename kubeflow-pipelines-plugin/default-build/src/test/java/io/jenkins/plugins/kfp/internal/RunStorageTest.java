package io.jenkins.plugins.kfp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kfpci.KfpException;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller never writes where an agent says: a summary naming another run id ({@code ../}
 * or absolute) or a path outside its run directory is refused before anything is written, and a
 * good one lands under the run id the controller chose.
 */
class RunStorageTest {
  private static final String RUN_ID = "jenkins-7-0a1b2c3d";
  private static final String SOURCE = "/agent/ws/kfp-runs/p/" + RUN_ID + "/summary.json";

  @TempDir Path root;

  private Path buildDir() throws Exception {
    return Files.createDirectories(root.resolve("jobs/p/builds/7"));
  }

  private static String summary(String runId, String log, String artifactPath) {
    ArtifactSummary artifact = new ArtifactSummary("model", "system.Model", "file:///model", artifactPath, 3, null,
        Map.of(), "train");
    TaskSummary task = new TaskSummary("train", "train", "", "comp-train", "container", null, RuntimeState.SUCCEEDED,
        null, null, 1, false, "", List.of(), Map.of(), List.of(artifact), List.of(), log, List.of(), 0, null);
    return RunSummaryJson.toJson(new RunSummary(1, "p", runId, RuntimeState.SUCCEEDED,
        Instant.parse("2026-01-02T03:04:05Z"), null, null, Map.of(), new RunSummary.Location("local", "/agent/run", null),
        null, List.of(task), List.of()));
  }

  /** Every file and directory under the temporary root, relative to it. */
  private List<String> everything() throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
    }
  }

  @Test
  void aSummaryWithADotDotRunIdWritesNothing() throws Exception {
    Path build = buildDir();
    String hostile = summary("../../../../evil", "train/log.txt", "train/model");
    List<String> before = everything();

    assertThatThrownBy(() -> RunStorage.store(build, RUN_ID, hostile, SOURCE))
        .isInstanceOf(KfpException.class)
        .hasMessage(SOURCE + ": field run_id is '../../../../evil', but this build started run '" + RUN_ID
            + "'; the summary is not used");
    assertThat(everything()).isEqualTo(before).containsExactly("", "jobs", "jobs/p", "jobs/p/builds",
        "jobs/p/builds/7");
  }

  @Test
  void aSummaryWithAnAbsoluteRunIdWritesNothing() throws Exception {
    Path build = buildDir();
    Path outside = root.resolve("outside");
    String hostile = summary(outside.toString(), "train/log.txt", "train/model");

    assertThatThrownBy(() -> RunStorage.store(build, RUN_ID, hostile, SOURCE))
        .isInstanceOf(KfpException.class)
        .hasMessage(SOURCE + ": field run_id is '" + outside + "', but this build started run '" + RUN_ID
            + "'; the summary is not used");
    assertThat(everything()).containsExactly("", "jobs", "jobs/p", "jobs/p/builds", "jobs/p/builds/7");
  }

  @Test
  void aRunIdThatIsNotAPlainNameNamesNoDirectory() throws Exception {
    Path build = buildDir();
    for (String bad : List.of("../evil", "..", ".", "/etc", "a/b", "a\\b", "", ".hidden")) {
      assertThatThrownBy(() -> RunStorage.directory(build, bad)).as(bad)
          .isInstanceOf(KfpException.class)
          .hasMessage("'" + bad + "' is not a run id (letters, digits, '.', '_' and '-', starting with a letter or"
              + " digit)");
      // Even as the controller's own id: nothing is written.
      assertThatThrownBy(() -> RunStorage.store(build, bad, summary(bad, "", null), SOURCE)).as(bad)
          .isInstanceOf(KfpException.class);
    }
    assertThat(everything()).containsExactly("", "jobs", "jobs/p", "jobs/p/builds", "jobs/p/builds/7");
  }

  @Test
  void artifactAndLogPathsMustStayInTheRunDirectory() throws Exception {
    Path build = buildDir();
    assertThatThrownBy(() -> RunStorage.store(build, RUN_ID, summary(RUN_ID, "train/log.txt", "../../secrets/x"),
        SOURCE)).hasMessage(SOURCE + ": field tasks[0].artifacts[0].path is '../../secrets/x', which is not a path"
            + " inside the run directory");
    assertThatThrownBy(() -> RunStorage.store(build, RUN_ID, summary(RUN_ID, "train/log.txt", "/etc/passwd"),
        SOURCE)).hasMessage(SOURCE + ": field tasks[0].artifacts[0].path is '/etc/passwd', which is not a path"
            + " inside the run directory");
    assertThatThrownBy(() -> RunStorage.store(build, RUN_ID, summary(RUN_ID, "C:\\Windows\\x", "train/model"),
        SOURCE)).hasMessage(SOURCE + ": field tasks[0].log is 'C:\\Windows\\x', which is not a path inside the run"
            + " directory");
    assertThatThrownBy(() -> RunStorage.store(build, RUN_ID, summary(RUN_ID, "train\\..\\..\\x", "train/model"),
        SOURCE)).hasMessage(SOURCE + ": field tasks[0].log is 'train\\..\\..\\x', which is not a path inside the run"
            + " directory");
    assertThat(everything()).containsExactly("", "jobs", "jobs/p", "jobs/p/builds", "jobs/p/builds/7");
  }

  @Test
  void aGoodSummaryIsStoredUnderTheControllersRunId() throws Exception {
    Path build = buildDir();
    String json = summary(RUN_ID, "train/log.txt", "train/model");

    RunStorage.Stored stored = RunStorage.store(build, RUN_ID, json, SOURCE);

    assertThat(stored.directory()).isEqualTo(build.resolve("kfp").resolve(RUN_ID));
    assertThat(stored.report()).isEqualTo(build.resolve("kfp").resolve(RUN_ID).resolve("report.html"));
    assertThat(stored.summary().runId()).isEqualTo(RUN_ID);
    assertThat(Files.readString(stored.directory().resolve("summary.json"), StandardCharsets.UTF_8)).isEqualTo(json);
    assertThat(everything()).containsExactly("", "jobs", "jobs/p", "jobs/p/builds", "jobs/p/builds/7",
        "jobs/p/builds/7/kfp", "jobs/p/builds/7/kfp/" + RUN_ID, "jobs/p/builds/7/kfp/" + RUN_ID + "/summary.json");
  }

  @Test
  void launchPathsMustBeTheRunsOwn() throws Exception {
    RunStorage.checkLaunchPaths("/ws/kfp-runs/p/" + RUN_ID, "/ws/kfp-runs/.launch/" + RUN_ID + "/run-spec.json", RUN_ID);
    RunStorage.checkLaunchPaths("C:\\ws\\kfp-runs\\p\\" + RUN_ID, "C:\\ws\\kfp-runs\\.launch\\" + RUN_ID
        + "\\run-spec.json", RUN_ID);
    assertThatThrownBy(() -> RunStorage.checkLaunchPaths("/ws/../etc/" + RUN_ID, "/ws/.launch/" + RUN_ID
        + "/run-spec.json", RUN_ID)).hasMessage("the agent reported run directory '/ws/../etc/" + RUN_ID
            + "' for run '" + RUN_ID + "': not an absolute path ending in the run id");
    assertThatThrownBy(() -> RunStorage.checkLaunchPaths("kfp-runs/p/" + RUN_ID, "/ws/.launch/" + RUN_ID
        + "/run-spec.json", RUN_ID)).hasMessage("the agent reported run directory 'kfp-runs/p/" + RUN_ID
            + "' for run '" + RUN_ID + "': not an absolute path ending in the run id");
    assertThatThrownBy(() -> RunStorage.checkLaunchPaths("/ws/p/" + RUN_ID, "/ws/.launch/other/run-spec.json",
        RUN_ID)).hasMessage("the agent reported run spec '/ws/.launch/other/run-spec.json' for run '" + RUN_ID
            + "': not an absolute path ending in " + RUN_ID + "/run-spec.json");
  }
}
