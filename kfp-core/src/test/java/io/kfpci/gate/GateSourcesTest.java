package io.kfpci.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kfpci.report.MetricSummary;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.SummaryFixtures;
import io.kfpci.report.TaskSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where metrics and baselines come from: run summaries, metrics files, directories of earlier runs. */
class GateSourcesTest {
  @TempDir Path dir;

  @Test
  void readsTheMetricsOfARunSummary() throws Exception {
    Path file = dir.resolve("summary.json");
    RunSummaryJson.write(SummaryFixtures.seedRun(), file);

    MetricSource source = MetricSource.read(file);

    assertThat(source.summary()).isNotNull();
    assertThat(source.metrics()).extracting(MetricIndex::id).contains("evaluate/metrics/test_accuracy");
    assertThat(source.metrics()).isEqualTo(SummaryFixtures.seedRun().metrics());
  }

  @Test
  void readsTheThreeShapesOfAMetricsFile() throws Exception {
    assertThat(MetricSource.read(write("flat.json", "{\"test_accuracy\": 0.91, \"loss\": 2}")).metrics())
        .containsExactly(new MetricSummary("", "", "test_accuracy", 0.91), new MetricSummary("", "", "loss", 2));
    assertThat(MetricSource.read(write("list.json",
        "[{\"task_id\": \"evaluate\", \"output\": \"metrics\", \"name\": \"f1\", \"value\": 0.5}]")).metrics())
        .containsExactly(new MetricSummary("evaluate", "metrics", "f1", 0.5));
    assertThat(MetricSource.read(write("wrapped.json",
        "{\"run_id\": \"r\", \"metrics\": [{\"name\": \"f1\", \"value\": 0.5}]}")).metrics())
        .containsExactly(new MetricSummary("", "", "f1", 0.5));
  }

  @Test
  void badSourcesSayWhatIsWrongWithoutQuotingTheFile() throws Exception {
    assertThatThrownBy(() -> MetricSource.read(write("secret.txt", "aws_secret=abc123\nmore\n")))
        .hasMessage(dir.resolve("secret.txt") + ":1: not JSON; expected a run summary or a metrics file (docs/gates.md)")
        .hasMessageNotContaining("abc123");
    assertThatThrownBy(() -> MetricSource.read(write("s.json", "{\"acc\": \"high\"}")))
        .hasMessage(dir.resolve("s.json") + ": 'acc' is not a number; a metrics file maps names to numbers");
    assertThatThrownBy(() -> MetricSource.read(write("l.json", "[{\"name\": \"acc\"}]")))
        .hasMessage(dir.resolve("l.json") + ": metrics[0] needs a string 'name' and a number 'value'");
    assertThatThrownBy(() -> MetricSource.read(dir.resolve("none.json")))
        .hasMessage(dir.resolve("none.json") + " does not exist or is not a regular file");
    assertThatThrownBy(() -> MetricSource.read(dir))
        .hasMessage(dir + " does not exist or is not a regular file");
  }

  @Test
  void aDirectoryBaselineIsTheLatestSucceededRunOfThePipelineOtherThanThisOne() throws Exception {
    RunSummary seed = SummaryFixtures.seedRun();
    save("a", run(seed, "run-a", RuntimeState.SUCCEEDED, 1, 0.70));
    save("b", run(seed, "run-b", RuntimeState.SUCCEEDED, 2, 0.80));
    save("c", run(seed, "run-c", RuntimeState.FAILED, 3, 0.99));
    save("d", run(seed, "run-d", RuntimeState.SUCCEEDED, 4, 0.95)); // the run being gated
    RunSummary other = new RunSummary(1, "other-pipeline", "run-e", RuntimeState.SUCCEEDED, seed.createdAt(),
        null, seed.createdAt().plus(Duration.ofDays(9)), null, seed.location(), null, seed.tasks(), null);
    save("e", other);

    Optional<Baseline> baseline = Baseline.find(dir, seed.pipelineName(), "run-d");

    assertThat(baseline).isPresent();
    assertThat(baseline.get().runId()).isEqualTo("run-b");
    assertThat(baseline.get().description()).isEqualTo("run run-b in " + dir);
    assertThat(MetricIndex.of(baseline.get().metrics()).find("test_accuracy"))
        .isEqualTo(new MetricIndex.Found("evaluate/metrics/test_accuracy",
            new MetricSummary("evaluate", "metrics", "test_accuracy", 0.80)));
  }

  @Test
  void theFirstBuildHasNoBaseline() throws Exception {
    save("only", run(SummaryFixtures.seedRun(), "run-1", RuntimeState.SUCCEEDED, 1, 0.9));
    assertThat(Baseline.find(dir, SummaryFixtures.seedRun().pipelineName(), "run-1")).isEmpty();
  }

  @Test
  void aDirectoryBaselineNeedsAPipelineName() {
    assertThatThrownBy(() -> Baseline.find(dir, null, null))
        .hasMessageContaining("is a directory of run summaries, but the gate reads a metrics file that names no pipeline");
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  private void save(String sub, RunSummary run) throws Exception {
    Files.createDirectories(dir.resolve(sub));
    RunSummaryJson.write(run, dir.resolve(sub).resolve("summary.json"));
  }

  /** The seed run with another id, state, end time (days after the seed) and test_accuracy. */
  private static RunSummary run(RunSummary seed, String id, RuntimeState state, int days, double accuracy) {
    List<TaskSummary> tasks = new ArrayList<>();
    for (TaskSummary t : seed.tasks()) {
      List<MetricSummary> metrics = t.metrics().stream()
          .map(m -> m.name().equals("test_accuracy") ? new MetricSummary(m.taskId(), m.output(), m.name(), accuracy) : m)
          .toList();
      tasks.add(new TaskSummary(t.id(), t.name(), t.parentId(), t.componentName(), t.kind(), t.iteration(), t.state(),
          t.startedAt(), t.finishedAt(), t.attempts(), t.cached(), t.image(), t.upstream(), t.outputParameters(),
          t.artifacts(), metrics, t.log(), t.logTail(), t.exitCode(), t.error()));
    }
    return new RunSummary(1, seed.pipelineName(), id, state, seed.createdAt(), seed.startedAt(),
        seed.createdAt().plus(Duration.ofDays(days)), seed.parameters(), seed.location(), null, tasks, null);
  }
}
