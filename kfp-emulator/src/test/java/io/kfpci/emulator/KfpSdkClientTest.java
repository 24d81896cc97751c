package io.kfpci.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real KFP SDK client ({@code kfp.Client} of the pinned kfp, from the managed venv the compiler
 * uses, see {@link ManagedKfpVenv}) against the emulator: if the SDK cannot talk to it, the emulator is wrong. Every request the
 * SDK makes is checked against the swagger; the test asserts there was no violation at all.
 */
class KfpSdkClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Drives the SDK through the calls a CI job makes; prints what it saw as one JSON line. */
  private static final String SCRIPT = """
      import json, sys
      import kfp

      host, hello, params = sys.argv[1], sys.argv[2], sys.argv[3]
      client = kfp.Client(host=host)
      out = {}
      pipeline = client.upload_pipeline(hello, pipeline_name='sdk-hello', description='from the SDK')
      out['pipeline_id'] = pipeline.pipeline_id
      out['pipeline_name'] = pipeline.display_name
      version = client.upload_pipeline_version(params, pipeline_version_name='sdk-params',
                                               pipeline_id=pipeline.pipeline_id, description='second')
      out['version_id'] = version.pipeline_version_id
      out['version_pipeline_id'] = version.pipeline_id
      experiment = client.create_experiment('sdk-experiment', description='made by the SDK')
      again = client.create_experiment('sdk-experiment')
      out['experiment_id'] = experiment.experiment_id
      out['experiment_reused'] = again.experiment_id == experiment.experiment_id
      run = client.run_pipeline(experiment_id=experiment.experiment_id, job_name='sdk-run',
                                pipeline_id=pipeline.pipeline_id, version_id=version.pipeline_version_id,
                                params={'param2': 'world'})
      out['run_id'] = run.run_id
      out['created_state'] = client.get_run(run.run_id).state
      done = client.wait_for_run_completion(run.run_id, timeout=120, sleep_duration=0.1)
      out['final_state'] = done.state
      out['task_names'] = sorted({t.display_name for t in done.run_details.task_details})
      inline = client.create_run_from_pipeline_package(hello, arguments={}, run_name='sdk-inline',
                                                       experiment_name='sdk-experiment')
      out['inline_final_state'] = client.wait_for_run_completion(inline.run_id, timeout=120,
                                                                 sleep_duration=0.1).state
      listed = client.list_runs(experiment_id=experiment.experiment_id, page_size=10, sort_by='created_at desc')
      out['listed_runs'] = [r.run_id for r in listed.runs]
      out['listed_total'] = listed.total_size
      recurring = client.create_recurring_run(experiment_id=experiment.experiment_id, job_name='sdk-nightly',
                                              cron_expression='0 0 2 * * *', pipeline_id=pipeline.pipeline_id,
                                              version_id=version.pipeline_version_id, params={'param2': 'night'},
                                              max_concurrency=2, no_catchup=True)
      out['recurring_run_id'] = recurring.recurring_run_id
      out['recurring_status'] = recurring.status
      print(json.dumps(out))
      """;

  @TempDir Path work;

  @Test
  void theRealSdkClientDrivesTheEmulatorWithoutASingleSwaggerViolation() throws Exception {
    Path kfp = SharedInputs.kfp();
    Path python = ManagedKfpVenv.python();
    Path script = Files.writeString(work.resolve("drive_sdk.py"), SCRIPT, StandardCharsets.UTF_8);
    Path valid = kfp.resolve("compiled-pipelines/valid");
    try (KfpEmulator emulator = KfpEmulator.builder().swaggerDir(kfp.resolve("api-v2beta1"))
        .runExecutor(ScriptedRunExecutor.timed(Duration.ofMillis(50))).start()) {
      ProcessBuilder builder = new ProcessBuilder(python.toString(), script.toString(), emulator.baseUrl().toString(),
          valid.resolve("hello_world.yaml").toString(), valid.resolve("arguments_parameters.yaml").toString())
          .directory(work.toFile()).redirectError(work.resolve("stderr.txt").toFile())
          .redirectOutput(work.resolve("stdout.txt").toFile());
      builder.environment().put("HOME", work.toString());
      builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
      Process process = builder.start();
      process.getOutputStream().close();
      if (!process.waitFor(3, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("the kfp SDK script did not end within 3 minutes:\n"
            + Files.readString(work.resolve("stderr.txt")));
      }
      assertThat(process.exitValue()).as("the SDK script failed:\n%s", Files.readString(work.resolve("stderr.txt")))
          .isZero();
      String[] lines = Files.readString(work.resolve("stdout.txt")).strip().split("\n");
      JsonNode seen = JSON.readTree(lines[lines.length - 1]);

      EmulatorState state = emulator.state();
      assertThat(state.violations()).as("swagger violations").isEmpty();
      assertThat(seen.get("pipeline_name").asText()).isEqualTo("sdk-hello");
      assertThat(state.pipelines()).extracting(EmulatorState.Pipeline::name).containsExactly("sdk-hello");
      assertThat(state.versions()).extracting(EmulatorState.PipelineVersion::name)
          .containsExactly("sdk-hello", "sdk-params");
      assertThat(seen.get("version_pipeline_id").asText()).isEqualTo(seen.get("pipeline_id").asText());
      assertThat(seen.get("experiment_reused").asBoolean()).isTrue();
      assertThat(state.experiments()).extracting(EmulatorState.Experiment::displayName)
          .containsExactly("Default", "sdk-experiment");
      assertThat(seen.get("created_state").asText()).isIn("PENDING", "RUNNING", "SUCCEEDED");
      assertThat(seen.get("final_state").asText()).isEqualTo("SUCCEEDED");
      assertThat(seen.get("inline_final_state").asText()).isEqualTo("SUCCEEDED");
      // One task per Argo node: the workflow's own node (named after the pipeline), root, and per task
      // its driver, itself and its executor pod (FACTS.md 1.10).
      assertThat(JSON.convertValue(seen.get("task_names"), List.class))
          .containsExactlyInAnyOrder("echo", "echo-driver", "executor", "root", "root-driver", workflowNodeName(seen));
      assertThat(workflowNodeName(seen)).matches("echo-[a-z0-9]{5}");
      assertThat(seen.get("listed_total").asInt()).isEqualTo(2);
      assertThat(JSON.convertValue(seen.get("listed_runs"), List.class)).hasSize(2).contains(seen.get("run_id").asText());
      EmulatorState.Run run = state.run(seen.get("run_id").asText()).orElseThrow();
      assertThat(run.pipelineVersionId()).isEqualTo(seen.get("version_id").asText());
      assertThat(run.runtimeConfig().get("parameters").get("param2").asText()).isEqualTo("world");
      assertThat(run.stateHistory()).containsExactly(RuntimeState.PENDING, RuntimeState.RUNNING, RuntimeState.SUCCEEDED);
      assertThat(seen.get("recurring_status").asText()).isEqualTo("ENABLED");
      assertThat(state.recurringRuns()).singleElement().satisfies(r -> {
        assertThat(r.displayName()).isEqualTo("sdk-nightly");
        assertThat(r.maxConcurrency()).isEqualTo("2");
        assertThat(r.noCatchup()).isTrue();
        assertThat(r.trigger().get("cron_schedule").get("cron").asText()).isEqualTo("0 0 2 * * *");
      });
      assertThat(state.requests()).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
      assertThat(state.requests()).extracting(EmulatorState.Request::path)
          .contains("/apis/v2beta1/pipelines/upload", "/apis/v2beta1/pipelines/upload_version",
              "/apis/v2beta1/experiments", "/apis/v2beta1/runs", "/apis/v2beta1/recurringruns");
    }
  }

  /** The workflow's own node is named after the pipeline ("echo-" and five characters). */
  private static String workflowNodeName(JsonNode seen) {
    for (JsonNode name : seen.get("task_names")) {
      if (name.asText().matches("echo-[a-z0-9]{5}")) {
        return name.asText();
      }
    }
    return "echo-?????";
  }
}
