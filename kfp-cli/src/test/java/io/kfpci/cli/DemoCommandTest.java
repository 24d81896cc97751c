package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kfpci demo}: compiles, validates and runs the example; the second run is served from the cache. */
class DemoCommandTest {
  @TempDir Path root;

  @Test
  void theDemoRunsTheExampleAndASecondRunShowsCacheHits() {
    String home = CliRun.repoRoot().toString();

    CliRun first = CliRun.of("demo", "--home", home, "--pipeline-root", root.toString(), "--parallelism", "2");
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).contains("==> validating", "[preprocess] -- RUNNING", "[run] -- SUCCEEDED",
        "test_accuracy  0.8667   (evaluate)", "test_f1        0.8182   (evaluate)",
        "deploy branch  ran: the accuracy met the threshold", "train/model (system.Model)",
        "cache hits     0 of 4 tasks (run the demo again to see them)",
        "summary        " + root.resolve("ml-training-pipeline"));

    CliRun second = CliRun.of("demo", "--home", home, "--pipeline-root", root.toString(), "--parallelism", "2");
    assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
    assertThat(second.out()).contains("[preprocess] -- SUCCEEDED (cached)", "[train] -- SUCCEEDED (cached)",
        "[evaluate] -- SUCCEEDED (cached)", "test_accuracy  0.8667", "cache hits     3 of 4 tasks\n");
  }
}
