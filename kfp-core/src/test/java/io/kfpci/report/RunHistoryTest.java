package io.kfpci.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kfpci.KfpException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunHistoryTest {
  @Test
  void readsTheSummariesOfThePipelineOldestFirst(@TempDir Path root) throws Exception {
    RunSummary current = SummaryFixtures.seedRun();
    // A pipeline root as the local runner lays it out, plus strays.
    RunSummaryJson.write(SummaryFixtures.earlierSeedRun(1, 0.9, 0.9), root.resolve("ml-training-pipeline/b/summary.json"));
    RunSummaryJson.write(SummaryFixtures.earlierSeedRun(3, 0.8, 0.8), root.resolve("ml-training-pipeline/a/summary.json"));
    RunSummaryJson.write(SummaryFixtures.earlierSeedRun(2, 0.85, 0.85), root.resolve("archive/run-2.json"));
    RunSummaryJson.write(current, root.resolve("ml-training-pipeline/current/summary.json"));
    RunSummaryJson.write(SummaryFixtures.summary("other", RuntimeState.SUCCEEDED, List.of()), root.resolve("other/x/summary.json"));
    Files.writeString(root.resolve("archive/broken.json"), "{\"format_version\": 1, \"pipeline_name\": ");
    Files.writeString(root.resolve("archive/notes.txt"), "not json");

    RunHistory.Loaded loaded = RunHistory.load(root, current.pipelineName(), current.runId());

    assertThat(loaded.runs()).extracting(RunSummary::runId).containsExactly("run-earlier-3", "run-earlier-2", "run-earlier-1");
    assertThat(loaded.otherPipelines()).isEqualTo(1);
    assertThat(loaded.warnings()).singleElement().asString()
        .startsWith("skipped " + root.resolve("archive/broken.json") + ": not a valid run summary");
  }

  @Test
  void aMissingDirectoryIsAnError(@TempDir Path root) {
    assertThatThrownBy(() -> RunHistory.load(root.resolve("nope"), "p", "r")).isInstanceOf(KfpException.class)
        .hasMessage("history directory " + root.resolve("nope") + " does not exist or is not a directory");
  }
}
