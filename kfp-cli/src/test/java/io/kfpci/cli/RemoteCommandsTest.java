package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfpci.emulator.EmulatorState;
import io.kfpci.emulator.KfpEmulator;
import io.kfpci.emulator.ScriptedRunExecutor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote commands against the KFP API emulator: what a user sees, and what the server ends up holding. */
class RemoteCommandsTest {
  @TempDir Path dir;
  private KfpEmulator kfp;
  private Path pipeline;

  @BeforeEach
  void start() {
    kfp = Emulators.start(KfpEmulator.builder().runExecutor(ScriptedRunExecutor.timed(Duration.ofMillis(100))
        .failing(run -> run.displayName().startsWith("doomed") ? Optional.of("train") : Optional.empty())));
    pipeline = CliRun.fixture(RemoteCommandsTest.class, "two-step.yaml", dir);
  }

  @AfterEach
  void stop() {
    if (kfp != null) {
      assertThat(kfp.state().violations()).as("swagger violations").isEmpty();
      kfp.close();
    }
  }

  private String endpoint() {
    return kfp.baseUrl().toString();
  }

  @Test
  void uploadIsIdempotentAndNewContentMakesOneNewVersion() throws Exception {
    CliRun first = CliRun.of("upload", pipeline.toString(), "--endpoint", endpoint());
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).matches("created pipeline two-step \\(.+\\); KFP named its first version 'two-step' \\(.+\\)\n");

    CliRun again = CliRun.of("upload", pipeline.toString(), "--endpoint", endpoint());
    assertThat(again.out()).matches("unchanged: pipeline two-step already has this content as version 'two-step' \\(.+\\); nothing uploaded\n");

    // Reformatting is not a change; a changed value is.
    Files.writeString(pipeline, Files.readString(pipeline).replace("python:3.11-slim\n        command", "python:3.12-slim\n        command"));
    CliRun changed = CliRun.of("upload", pipeline.toString(), "--endpoint", endpoint(), "--version-name", "v-{hash8}",
        "--output", "json");
    assertThat(changed.exitCode()).as(changed.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(changed.out());
    assertThat(json.get("created").asBoolean()).isTrue();
    assertThat(json.get("version_name").asText()).isEqualTo("v-" + json.get("sha256").asText().substring(0, 8));

    assertThat(kfp.state().pipelines()).hasSize(1);
    assertThat(kfp.state().versions()).hasSize(2);
    CliRun third = CliRun.of("upload", pipeline.toString(), "--endpoint", endpoint(), "--version-name", "v-{hash8}");
    assertThat(third.out()).startsWith("unchanged:");
    assertThat(kfp.state().versions()).hasSize(2);
  }

  @Test
  void submitAndWaitPrintsEachChangeAndWritesTheRunSummary() throws Exception {
    Path root = dir.resolve("runs");
    CliRun run = CliRun.of("submit", pipeline.toString(), "--endpoint", endpoint(), "--wait", "-p", "rows=5",
        "--run-name", "nightly-check", "--experiment", "ci", "--pipeline-root", root.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("uploaded: pipeline two-step version 'two-step'");
    assertThat(lines.get(1)).startsWith("submitted run ").endsWith("(nightly-check) in experiment ci");
    // The emulator steps faster than the server's one-second timestamps: order is checked per task.
    assertThat(lines.subList(3, lines.size())).containsSubsequence("[run] -- PENDING", "[run] -- RUNNING",
        "[preprocess] -- RUNNING", "[preprocess] -- SUCCEEDED", "[run] -- SUCCEEDED");
    assertThat(lines).containsSubsequence("[run] -- RUNNING", "[train] -- RUNNING", "[train] -- SUCCEEDED", "[run] -- SUCCEEDED");
    assertThat(lines.stream().filter(l -> l.startsWith("[")).toList()).as("only the run and the pipeline's tasks")
        .allMatch(l -> l.startsWith("[run]") || l.startsWith("[preprocess]") || l.startsWith("[train]"));
    assertThat(lines.stream().filter(l -> l.startsWith("[")).distinct().count())
        .as("no line repeated").isEqualTo(lines.stream().filter(l -> l.startsWith("[")).count());
    EmulatorState.Run server = kfp.state().runs().get(0);
    assertThat(kfp.state().runs()).hasSize(1);
    assertThat(server.displayName()).isEqualTo("nightly-check");
    assertThat(server.runtimeConfig().path("parameters").path("rows").asInt()).isEqualTo(5);

    Path summary = root.resolve("two-step").resolve(server.id()).resolve("summary.json");
    JsonNode s = new ObjectMapper().readTree(Files.readString(summary, StandardCharsets.UTF_8));
    assertThat(s.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(s.get("run_id").asText()).isEqualTo(server.id());
    assertThat(s.get("location").get("kind").asText()).isEqualTo("kfp");
    assertThat(s.get("location").get("root").asText()).isEqualTo(endpoint());
    assertThat(s.get("location").get("ui_url").asText()).isEqualTo(endpoint() + "/#/runs/details/" + server.id());
    assertThat(s.get("parameters").get("rows").asInt()).isEqualTo(5);
    assertThat(s.get("tasks")).extracting(t -> t.get("id").asText() + "=" + t.get("state").asText())
        .contains("preprocess=SUCCEEDED", "train=SUCCEEDED");
    assertThat(root.resolve("two-step").resolve(server.id()).resolve("report.html")).isRegularFile();
    // kfpci report reads a remote run's summary as it reads a local one.
    CliRun report = CliRun.of("report", summary.toString(), "-o", dir.resolve("r.html").toString());
    assertThat(report.exitCode()).as(report.err()).isZero();
  }

  @Test
  void aFailedRunExitsOneAndAnInlineSubmissionUploadsNothing() {
    CliRun run = CliRun.of("submit", pipeline.toString(), "--endpoint", endpoint(), "--wait", "--inline",
        "--run-name", "doomed-1", "--pipeline-root", dir.resolve("runs").toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.out()).contains("[train] -- FAILED").contains("[run] -- FAILED");
    assertThat(kfp.state().pipelines()).isEmpty();
    assertThat(kfp.state().runs()).hasSize(1);
  }

  @Test
  void scheduleCreatesKeepsAndReplaces() {
    String[] base = {"schedule", "nightly", "--pipeline", pipeline.toString(), "--endpoint", endpoint()};
    CliRun created = CliRun.of(concat(base, "--cron", "0 2 * * *", "--no-catchup"));
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out()).startsWith("cron '0 2 * * *' is '0 0 2 * * *' in KFP's 6-field form (seconds first)\ncreated: recurring run nightly (");
    String firstId = kfp.state().recurringRuns().get(0).id();

    CliRun kept = CliRun.of(concat(base, "--cron", "0 0 2 * * *", "--no-catchup"));
    assertThat(kept.out()).startsWith("unchanged: recurring run nightly (" + firstId + ")");

    CliRun disabled = CliRun.of(concat(base, "--cron", "0 0 2 * * *", "--no-catchup", "--disable"));
    assertThat(disabled.out()).startsWith("disabled: recurring run nightly (" + firstId + ")");
    assertThat(kfp.state().recurringRuns().get(0).enabled()).isFalse();

    CliRun replaced = CliRun.of(concat(base, "--cron", "0 30 3 * * *", "-p", "rows=7", "--max-concurrency", "2"));
    assertThat(replaced.out()).startsWith("replaced: recurring run nightly (");
    assertThat(kfp.state().recurringRuns()).hasSize(1);
    EmulatorState.RecurringRun now = kfp.state().recurringRuns().get(0);
    assertThat(now.id()).isNotEqualTo(firstId);
    assertThat(now.maxConcurrency()).isEqualTo("2");
    assertThat(now.trigger().path("cron_schedule").path("cron").asText()).isEqualTo("0 30 3 * * *");
  }

  @Test
  void aConcurrencyOutOfKfpsRangeIsRefusedInTheOptionsTermsBeforeAnyCall() {
    CliRun run = CliRun.of("schedule", "nightly", "--pipeline", pipeline.toString(), "--endpoint", endpoint(),
        "--cron", "@daily", "--max-concurrency", "11");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).isEqualTo("error: --max-concurrency must be 1 to 10 (KFP's range), not 11\n");
    assertThat(kfp.state().requests()).isEmpty();
  }

  @Test
  void anInvalidCronIsRefusedBeforeAnyCall() {
    CliRun run = CliRun.of("schedule", "nightly", "--pipeline", pipeline.toString(), "--endpoint", endpoint(),
        "--cron", "0 25 * * *");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).isEqualTo("error: cron '0 25 * * *': hours field '25': 25 is out of range 0-23\n");
    assertThat(kfp.state().requests()).isEmpty();
  }

  @Test
  void anUploadOver32MiBIsRefusedBeforeSending() throws Exception {
    Path big = dir.resolve("big.yaml");
    byte[] head = Files.readAllBytes(pipeline);
    byte[] padding = ("#" + "x".repeat(1023) + "\n").getBytes(StandardCharsets.UTF_8);
    try (var out = Files.newOutputStream(big)) {
      out.write(head);
      for (int i = 0; i < 33 * 1024; i++) {
        out.write(padding);
      }
    }
    CliRun run = CliRun.of("upload", big.toString(), "--endpoint", endpoint());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).isEqualTo("error: " + big + " is " + Files.size(big)
        + " bytes; KFP takes at most 32 MiB per upload, so it was not sent\n");
    assertThat(kfp.state().requests()).isEmpty();
  }

  @Test
  void aFileThatIsNoPipelineIsRefusedBeforeSending() throws Exception {
    Path png = dir.resolve("wrong_format.png");
    Files.writeString(png, "# PIPELINE DEFINITION\n# Name: echo\n");
    CliRun run = CliRun.of("upload", png.toString(), "--endpoint", endpoint());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith(png + ": error KFP001: unsupported pipeline file format: 'wrong_format.png' is "
        + "neither YAML nor JSON by name, and not a zip or gzip archive by content\n");
    assertThat(kfp.state().requests()).isEmpty();
  }

  @Test
  void unknownIdsAndAMissingEndpointSayWhat() {
    CliRun watch = CliRun.of("watch", "0b1d0e2c-0000-4000-8000-000000000000", "--endpoint", endpoint());
    assertThat(watch.exitCode()).isEqualTo(ExitCodes.SERVER);
    assertThat(watch.err()).startsWith("error: GET /apis/v2beta1/runs/0b1d0e2c-0000-4000-8000-000000000000 at " + endpoint()
        + " failed with HTTP 404: ");
    CliRun terminate = CliRun.of("terminate", "../x", "--endpoint", endpoint());
    assertThat(terminate.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(terminate.err()).isEqualTo("error: not a KFP id: '../x'\n");
    EndpointOptions.env = java.util.Map.of();
    try {
      CliRun none = CliRun.of("runs");
      assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(none.err()).isEqualTo("error: no KFP endpoint: give --endpoint URL or set KF_PIPELINES_ENDPOINT\n");
    } finally {
      EndpointOptions.env = System.getenv();
    }
  }

  @Test
  void runsListsNewestFirst() throws Exception {
    for (String name : List.of("a-run", "b-run")) {
      assertThat(CliRun.of("submit", pipeline.toString(), "--endpoint", endpoint(), "--run-name", name).exitCode()).isZero();
    }
    CliRun list = CliRun.of("runs", "--endpoint", endpoint(), "--output", "json");
    assertThat(list.exitCode()).as(list.err()).isZero();
    JsonNode runs = new ObjectMapper().readTree(list.out());
    assertThat(runs).extracting(r -> r.get("display_name").asText()).containsExactly("b-run", "a-run");
    assertThat(kfp.state().pipelines()).hasSize(1);
    assertThat(kfp.state().versions()).hasSize(1);
  }

  @Test
  void runWithoutLocalSubmitsToTheConfiguredEndpointAndWaits() {
    EndpointOptions.env = java.util.Map.of("KF_PIPELINES_ENDPOINT", endpoint());
    try {
      CliRun run = CliRun.of("run", pipeline.toString(), "-p", "rows=3", "--pipeline-root", dir.resolve("runs").toString());
      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
      assertThat(run.out()).contains("submitted run ").contains("[run] -- SUCCEEDED");
      assertThat(kfp.state().runs()).hasSize(1);
      assertThat(dir.resolve("runs/two-step")).isDirectory();
      assertThat(kfp.state().runs().get(0).runtimeConfig().path("parameters").path("rows").asInt()).isEqualTo(3);
    } finally {
      EndpointOptions.env = System.getenv();
    }
  }

  static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
