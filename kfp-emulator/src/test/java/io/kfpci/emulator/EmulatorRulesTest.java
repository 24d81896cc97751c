package io.kfpci.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emulator's rules, each checked on exact codes and bodies, failure paths included. */
class EmulatorRulesTest {
  private static final String RUNS = "/apis/v2beta1/runs";
  private static final String EXPERIMENTS = "/apis/v2beta1/experiments";

  @TempDir Path temp;

  private static KfpEmulator.Builder emulator() {
    return KfpEmulator.builder().swaggerDir(SharedInputs.swaggerDir());
  }

  private static byte[] pipeline(String name) throws Exception {
    return Files.readAllBytes(SharedInputs.kfp().resolve("compiled-pipelines/valid").resolve(name));
  }

  /** Uploads hello_world.yaml and makes an experiment; returns {pipeline id, version id, experiment id}. */
  private static String[] pipelineAndExperiment(Http http, String namespace) throws Exception {
    Http.Answer upload = http.upload("/apis/v2beta1/pipelines/upload?name=hello", "hello_world.yaml",
        pipeline("hello_world.yaml"));
    assertThat(upload.status()).as(upload.text()).isEqualTo(200);
    String pipelineId = upload.json().get("pipeline_id").asText();
    String versionId = http.get("/apis/v2beta1/pipelines/" + pipelineId + "/versions").json()
        .get("pipeline_versions").get(0).get("pipeline_version_id").asText();
    Http.Answer experiment = http.post(EXPERIMENTS, namespace == null ? "{\"display_name\":\"exp\"}"
        : "{\"display_name\":\"exp\",\"namespace\":\"" + namespace + "\"}");
    assertThat(experiment.status()).as(experiment.text()).isEqualTo(200);
    return new String[] {pipelineId, versionId, experiment.json().get("experiment_id").asText()};
  }

  private static String runBody(String[] ids, String name) {
    return "{\"display_name\":\"" + name + "\",\"experiment_id\":\"" + ids[2] + "\",\"pipeline_version_reference\":"
        + "{\"pipeline_id\":\"" + ids[0] + "\",\"pipeline_version_id\":\"" + ids[1] + "\"}}";
  }

  @Test
  void aBearerTokenIsRequiredWhenConfiguredAndNeverKept() throws Exception {
    try (KfpEmulator kfp = emulator().requireBearerToken("s3cret-token").start()) {
      Http anonymous = new Http(kfp);
      assertThat(anonymous.get("/apis/v2beta1/healthz").status()).isEqualTo(200);
      Http.Answer missing = anonymous.get("/apis/v2beta1/pipelines");
      assertThat(missing.status()).isEqualTo(401);
      assertThat(missing.json().get("code").asInt()).isEqualTo(16);
      assertThat(missing.json().get("details").get(0).get("message").asText())
          .isEqualTo("Request header error: there is no user identity header.");
      Http.Answer wrong = anonymous.withBearer("other").get("/apis/v2beta1/pipelines");
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.text()).doesNotContain("other").doesNotContain("s3cret");
      assertThat(anonymous.withBearer("s3cret-token").get("/apis/v2beta1/pipelines").status()).isEqualTo(200);
      assertThat(kfp.state().requests()).extracting(EmulatorState.Request::status, EmulatorState.Request::hadBearerToken)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(200, false), org.assertj.core.groups.Tuple.tuple(401, false),
              org.assertj.core.groups.Tuple.tuple(401, true), org.assertj.core.groups.Tuple.tuple(200, true));
      assertThat(kfp.state().requests().toString()).doesNotContain("s3cret");
    }
  }

  @Test
  void multiUserModeNeedsNamespacesAndRefusesOnesNotAllowed() throws Exception {
    try (KfpEmulator kfp = emulator().multiUser(true).allowNamespaces("team-a").start()) {
      Http anonymous = new Http(kfp);
      assertThat(anonymous.get("/apis/v2beta1/healthz").json().get("multi_user").asBoolean()).isTrue();
      Http.Answer nobody = anonymous.get(EXPERIMENTS + "?namespace=team-a");
      assertThat(nobody.status()).isEqualTo(401);
      assertThat(nobody.json().get("details").get(0).get("message").asText())
          .isEqualTo("Request header error: there is no user identity header.");
      Http http = anonymous.withUserId("alice@example.com");
      Http.Answer noNamespace = http.post(EXPERIMENTS, "{\"display_name\":\"e\"}");
      assertThat(noNamespace.status()).isEqualTo(400);
      assertThat(noNamespace.json().get("details").get(0).get("message").asText())
          .isEqualTo("An experiment cannot have an empty namespace in multi-user mode");
      Http.Answer forbidden = http.post(EXPERIMENTS, "{\"display_name\":\"e\",\"namespace\":\"team-b\"}");
      assertThat(forbidden.status()).isEqualTo(403);
      assertThat(forbidden.json().get("code").asInt()).isEqualTo(7);
      String[] ids = pipelineAndExperiment(http, "team-a");
      Http.Answer noExperiment = http.post(RUNS, "{\"display_name\":\"r\",\"pipeline_version_reference\":"
          + "{\"pipeline_id\":\"" + ids[0] + "\",\"pipeline_version_id\":\"" + ids[1] + "\"}}");
      assertThat(noExperiment.status()).isEqualTo(400);
      assertThat(noExperiment.json().get("details").get(0).get("message").asText())
          .isEqualTo("Experiment id can not be empty in multi-user mode");
      assertThat(http.get(EXPERIMENTS).status()).isEqualTo(400);
      assertThat(http.get(EXPERIMENTS + "?namespace=team-b").status()).isEqualTo(403);
      assertThat(http.get(EXPERIMENTS + "?namespace=team-a").json().get("experiments")).hasSize(1);
      assertThat(kfp.state().experiments()).extracting(EmulatorState.Experiment::namespace).containsExactly("team-a");
      assertThat(kfp.state().violations()).isEmpty();
    }
  }

  @Test
  void unknownFieldsDuplicatesAndMissingResourcesGetTheServersBodies() throws Exception {
    try (KfpEmulator kfp = emulator().runExecutor(ScriptedRunExecutor.manual()).start()) {
      Http http = new Http(kfp);
      Http.Answer unknown = http.post(EXPERIMENTS, "{\"display_name\":\"x\",\"bogus\":1}");
      assertThat(unknown.status()).isEqualTo(400);
      assertThat(unknown.text()).isEqualTo("{\"code\":3,\"message\":\"proto: (line 1:21): unknown field \\\"bogus\\\"\"}");
      assertThat(kfp.state().violations()).singleElement()
          .isEqualTo(new EmulatorState.Violation("POST", EXPERIMENTS, "request", "proto: (line 1:21): unknown field \"bogus\""));
      assertThat(http.post(EXPERIMENTS, "{\"displayName\":\"camel\"}").json().get("display_name").asText())
          .isEqualTo("camel");
      Http.Answer duplicate = http.post(EXPERIMENTS, "{\"display_name\":\"CAMEL\"}");
      assertThat(duplicate.status()).isEqualTo(409);
      assertThat(duplicate.json().get("details").get(0).get("message").asText())
          .isEqualTo("Failed to create a new experiment. The name CAMEL already exists. Please specify a new name");
      byte[] hello = pipeline("hello_world.yaml");
      assertThat(http.upload("/apis/v2beta1/pipelines/upload?name=p", "hello_world.yaml", hello).status()).isEqualTo(200);
      Http.Answer again = http.upload("/apis/v2beta1/pipelines/upload?name=P", "hello_world.yaml", hello);
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.contentType()).isEqualTo("application/json");
      assertThat(again.json().get("error_message").asText()).isEqualTo("Failed to create a pipeline and a pipeline version");
      Http.Answer png = http.upload("/apis/v2beta1/pipelines/upload?name=png", "x.png", "not a pipeline".getBytes());
      assertThat(png.status()).isEqualTo(400);
      assertThat(png.contentType()).startsWith("text/plain");
      assertThat(png.json().get("error_message").asText()).isEqualTo("Failed to read a pipeline spec file");
      Http.Answer badVersion = http.upload("/apis/v2beta1/pipelines/upload?name=v9", "bad.yaml",
          "pipelineInfo: {name: x}\nroot: {dag: {tasks: {}}}\nschemaVersion: 9.9.9\n".getBytes());
      assertThat(badVersion.status()).isEqualTo(400);
      assertThat(badVersion.json().get("error_message").asText())
          .isEqualTo("KFP only supports schema version 2.1.0, but the pipeline spec has version 9.9.9");
      Http.Answer missingRun = http.get(RUNS + "/nope");
      assertThat(missingRun.status()).isEqualTo(404);
      assertThat(missingRun.json().get("details").get(0).get("message").asText()).isEqualTo("Run nope not found");
      assertThat(http.get("/apis/v2beta1/nothing-here").status()).isEqualTo(404);
    }
  }

  @Test
  void aRequestThatBreaksTheSwaggerIsAnswered400NamingTheViolation() throws Exception {
    try (KfpEmulator kfp = emulator().start()) {
      Http.Answer answer = new Http(kfp).get("/apis/v2beta1/pipelines?page_size=many");
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.json().get("message").asText())
          .startsWith("kfp-emulator: the request does not match the KFP v2beta1 swagger: ")
          .endsWith("(query parameter page_size)");
      assertThat(kfp.state().violations()).singleElement().satisfies(v -> {
        assertThat(v.direction()).isEqualTo("request");
        assertThat(v.message()).contains("page_size");
      });
    }
  }

  @Test
  void aResponseThatBreaksTheSwaggerBecomesA500UnlessNotStrict() throws Exception {
    // A swagger whose Run lacks plugins_output: every run the emulator renders now breaks it.
    Path dir = Files.createDirectories(temp.resolve("swagger"));
    ObjectNode swagger = (ObjectNode) Http.JSON.readTree(SharedInputs.swaggerDir()
        .resolve("kfp_api_single_file.swagger.json").toFile());
    ((ObjectNode) swagger.path("definitions").path("v2beta1Run").path("properties")).remove("plugins_output");
    Http.JSON.writeValue(dir.resolve("kfp_api_single_file.swagger.json").toFile(), swagger);
    for (boolean strict : List.of(true, false)) {
      try (KfpEmulator kfp = KfpEmulator.builder().swaggerDir(dir).strict(strict)
          .runExecutor(ScriptedRunExecutor.manual()).start()) {
        Http http = new Http(kfp);
        String[] ids = pipelineAndExperiment(http, null);
        Http.Answer created = http.post(RUNS, runBody(ids, "r"));
        assertThat(kfp.state().violations()).singleElement().satisfies(v -> {
          assertThat(v.direction()).isEqualTo("response");
          assertThat(v.message()).contains("plugins_output");
        });
        if (strict) {
          assertThat(created.status()).isEqualTo(500);
          assertThat(created.json().get("message").asText())
              .startsWith("kfp-emulator: its own response violates the KFP v2beta1 swagger (an emulator bug): ")
              .contains("plugins_output");
        } else {
          assertThat(created.status()).isEqualTo(200);
        }
      }
    }
  }

  @Test
  void faultHooksRejectOrLoseTheFirstMatchingCalls() throws Exception {
    FaultPlan faults = FaultPlan.builder().reject("POST", "/apis/v2beta1/runs", 1, 503)
        .loseResponse("POST", "/apis/v2beta1/runs", 1, 504).build();
    try (KfpEmulator kfp = emulator().faults(faults).runExecutor(ScriptedRunExecutor.manual()).start()) {
      Http http = new Http(kfp);
      String[] ids = pipelineAndExperiment(http, null);
      Http.Answer rejected = http.post(RUNS, runBody(ids, "first"));
      assertThat(rejected.status()).isEqualTo(503);
      assertThat(kfp.state().runs()).isEmpty();
      Http.Answer lost = http.post(RUNS, runBody(ids, "second"));
      assertThat(lost.status()).isEqualTo(504);
      assertThat(kfp.state().runs()).extracting(EmulatorState.Run::displayName).containsExactly("second");
      assertThat(http.post(RUNS, runBody(ids, "third")).status()).isEqualTo(200);
      assertThat(kfp.state().runs()).extracting(EmulatorState.Run::displayName).containsExactly("second", "third");
    }
  }

  @Test
  void pagesWalkEveryRowOnceInSortOrder() throws Exception {
    try (KfpEmulator kfp = emulator().start()) {
      Http http = new Http(kfp);
      for (String name : List.of("e3", "e1", "E5", "e2", "e4")) {
        assertThat(http.post(EXPERIMENTS, "{\"display_name\":\"" + name + "\"}").status()).isEqualTo(200);
      }
      List<String> names = new ArrayList<>();
      String token = "";
      int pages = 0;
      do {
        String query = "?page_size=2" + (token.isEmpty() ? "&sort_by=" + Http.encode("display_name desc")
            : "&page_token=" + Http.encode(token));
        JsonNode page = http.get(EXPERIMENTS + query).json();
        assertThat(page.get("total_size").asInt()).isEqualTo(6);
        page.get("experiments").forEach(e -> names.add(e.get("display_name").asText()));
        token = page.path("next_page_token").asText("");
        pages++;
      } while (!token.isEmpty());
      assertThat(pages).isEqualTo(3);
      assertThat(names).containsExactly("E5", "e4", "e3", "e2", "e1", "Default");
      Http.Answer garbage = http.get(EXPERIMENTS + "?page_token=garbage");
      assertThat(garbage.status()).isEqualTo(400);
      assertThat(garbage.json().get("details").get(0).get("message").asText()).isEqualTo("Invalid page token");
      String filter = Http.encode("{\"predicates\":[{\"key\":\"display_name\",\"operation\":\"IN\","
          + "\"string_values\":{\"values\":[\"e1\",\"e2\"]}}]}");
      assertThat(http.get(EXPERIMENTS + "?filter=" + filter).json().get("experiments")).hasSize(2);
      String sdkStyle = Http.encode("{\"predicates\":[{\"key\":\"display_name\",\"operation\":1,\"string_value\":\"e4\"}]}");
      assertThat(http.get(EXPERIMENTS + "?filter=" + sdkStyle).json().get("experiments")).hasSize(1);
      assertThat(http.get(EXPERIMENTS + "?filter=" + Http.encode("{\"predicates\":[{\"key\":\"display_name\","
          + "\"operation\":\"EQUALS\",\"string_value\":\"nobody\"}]}")).text()).isEqualTo("{}");
    }
  }

  @Test
  void runsMoveThroughTheServersStatesAndTheirTasks() throws Exception {
    ScriptedRunExecutor argo = ScriptedRunExecutor.manual()
        .failing(run -> run.displayName().equals("fails") ? Optional.of("echo") : Optional.empty());
    try (KfpEmulator kfp = emulator().runExecutor(argo).start()) {
      Http http = new Http(kfp);
      String[] ids = pipelineAndExperiment(http, null);
      JsonNode created = http.post(RUNS, runBody(ids, "ok")).json();
      String ok = created.get("run_id").asText();
      assertThat(created.get("state").asText()).isEqualTo("PENDING");
      assertThat(created.has("run_details")).isFalse();
      assertThat(created.get("finished_at").asText()).isEqualTo("1970-01-01T00:00:00Z");
      assertThat(argo.advance(ok)).isEqualTo(RuntimeState.RUNNING);
      JsonNode running = http.get(RUNS + "/" + ok).json();
      assertThat(running.get("run_details").get("task_details")).allSatisfy(t -> {
        assertThat(t.has("pod_name")).isFalse();
        assertThat(t.has("execution_id")).isFalse();
        assertThat(t.has("parent_task_id")).isFalse();
      });
      assertThat(argo.advanceToEnd(ok)).isEqualTo(RuntimeState.SUCCEEDED);
      assertThat(kfp.state().run(ok).orElseThrow().stateHistory())
          .containsExactly(RuntimeState.PENDING, RuntimeState.RUNNING, RuntimeState.SUCCEEDED);

      String fails = http.post(RUNS, runBody(ids, "fails")).json().get("run_id").asText();
      assertThat(argo.advanceToEnd(fails)).isEqualTo(RuntimeState.FAILED);
      assertThat(http.post(RUNS + "/" + fails + ":retry", "").text()).isEqualTo("{}");
      assertThat(http.get(RUNS + "/" + fails).json().get("state").asText()).isEqualTo("RUNNING");
      assertThat(argo.advanceToEnd(fails)).isEqualTo(RuntimeState.SUCCEEDED);
      assertThat(kfp.state().run(fails).orElseThrow().stateHistory()).containsExactly(RuntimeState.PENDING,
          RuntimeState.RUNNING, RuntimeState.FAILED, RuntimeState.RUNNING, RuntimeState.SUCCEEDED);
      assertThat(http.post(RUNS + "/" + ok + ":retry", "").status()).isEqualTo(400);

      String stopped = http.post(RUNS, runBody(ids, "stopped")).json().get("run_id").asText();
      argo.advance(stopped);
      assertThat(http.post(RUNS + "/" + stopped + ":terminate", "").text()).isEqualTo("{}");
      assertThat(http.get(RUNS + "/" + stopped).json().get("state").asText()).isEqualTo("CANCELING");
      assertThat(argo.advance(stopped)).isEqualTo(RuntimeState.FAILED);
      assertThat(kfp.state().run(stopped).orElseThrow().stateHistory())
          .containsExactly(RuntimeState.PENDING, RuntimeState.RUNNING, RuntimeState.FAILED);
      assertThat(kfp.state().run(stopped).orElseThrow().terminateRequested()).isTrue();

      assertThat(http.post(RUNS + "/" + stopped + ":retry", "").text()).isEqualTo("{}");
      assertThat(argo.advanceToEnd(stopped)).isEqualTo(RuntimeState.SUCCEEDED);
      assertThat(kfp.state().run(stopped).orElseThrow().retries()).isEqualTo(1);

      String pending = http.post(RUNS, runBody(ids, "pending")).json().get("run_id").asText();
      http.post(RUNS + "/" + pending + ":terminate", "");
      assertThat(argo.advance(pending)).isEqualTo(RuntimeState.FAILED);
      JsonNode terminatedPending = http.get(RUNS + "/" + pending).json();
      assertThat(terminatedPending.get("run_details").get("task_details")).singleElement()
          .satisfies(t -> assertThat(t.get("display_name").asText()).matches("echo-[a-z0-9]{5}"));
      http.post(RUNS + "/" + pending + ":retry", "");
      assertThat(argo.advanceToEnd(pending)).isEqualTo(RuntimeState.SUCCEEDED);

      JsonNode v1 = http.get("/apis/v1beta1/runs/" + ok).json();
      JsonNode workflow = Http.JSON.readTree(v1.get("pipeline_runtime").get("workflow_manifest").asText());
      List<String> podNames = new ArrayList<>();
      workflow.get("status").get("nodes").forEach(n -> {
        if (n.get("displayName").asText().equals("executor")) {
          podNames.add(n.get("podName").asText());
          assertThat(n.get("podName").asText()).isEqualTo(workflow.get("metadata").get("name").asText()
              + "-system-container-impl-" + n.get("id").asText().substring(n.get("id").asText().lastIndexOf('-') + 1));
        }
      });
      assertThat(podNames).hasSize(1);
      assertThat(v1.get("run").get("status").asText()).isEqualTo("Succeeded");
      assertThat(kfp.state().violations()).isEmpty();
    }
  }

  @Test
  void theTimedExecutorEndsRunsByItself() throws Exception {
    try (KfpEmulator kfp = emulator().runExecutor(ScriptedRunExecutor.timed(java.time.Duration.ofMillis(20))).start()) {
      Http http = new Http(kfp);
      String[] ids = pipelineAndExperiment(http, null);
      String run = http.post(RUNS, runBody(ids, "timed")).json().get("run_id").asText();
      String state = "";
      for (int i = 0; i < 500 && !state.equals("SUCCEEDED"); i++) {
        state = http.get(RUNS + "/" + run).json().path("state").asText();
        Thread.sleep(10);
      }
      assertThat(state).isEqualTo("SUCCEEDED");
      assertThat(kfp.state().run(run).orElseThrow().taskCount()).isEqualTo(6);
    }
  }

  @Test
  void theSwaggerIsLookedForBesideTheRepositoryAndNoHigher() throws Exception {
    Path repo = Files.createDirectories(temp.resolve("ws/repo"));
    Files.writeString(repo.resolve("mvnw"), "");
    Path module = Files.createDirectories(repo.resolve("kfp-emulator"));
    Path beside = temp.resolve("ws/shared/kfp/api-v2beta1");
    assertThat(KfpEmulator.locateSwagger(module, Map.of())).isEqualTo(beside);
    Files.createDirectories(beside);
    assertThat(KfpEmulator.locateSwagger(module, Map.of())).isEqualTo(beside);
    Files.delete(beside);
    Files.createDirectories(temp.resolve("shared/kfp/api-v2beta1"));
    // Above the repository's parent: not looked at; the answer is the first place looked, which is absent.
    assertThat(KfpEmulator.locateSwagger(module, Map.of())).isEqualTo(beside).doesNotExist();
    assertThat(KfpEmulator.locateSwagger(module, Map.of("KFPCI_SHARED_DIR", "/elsewhere")))
        .isEqualTo(Path.of("/elsewhere/kfp/api-v2beta1"));
    assertThatThrownBy(() -> KfpEmulator.builder().swaggerDir(temp.resolve("none")).start())
        .isInstanceOf(EmulatorStartException.class)
        .hasMessage("the KFP API emulator needs the official swagger, but " + temp.resolve("none")
            .resolve("kfp_api_single_file.swagger.json") + " does not exist: pass swaggerDir(...) (--swagger-dir) or"
            + " set KFPCI_SHARED_DIR to the directory holding kfp/api-v2beta1");
  }

  @Test
  void anInlineSpecWithItsPlatformSpecReachesTheExecutorAndIsEchoed() throws Exception {
    List<RunSubmission> submitted = new ArrayList<>();
    RunExecutor capture = new RunExecutor() {
      @Override
      public void attach(WorkflowReporter reporter) {}

      @Override
      public void submit(RunSubmission run) {
        submitted.add(run);
      }

      @Override
      public void terminate(String runId) {}

      @Override
      public void retry(String runId) {}
    };
    try (KfpEmulator kfp = emulator().runExecutor(capture).start()) {
      Http http = new Http(kfp);
      JsonNode spec = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
          .readTree(pipeline("hello_world.yaml"));
      ObjectNode wrapper = Http.JSON.createObjectNode();
      wrapper.set("pipeline_spec", spec);
      wrapper.set("platform_spec", Http.JSON.readTree("{\"platforms\":{\"kubernetes\":{\"deploymentSpec\":"
          + "{\"executors\":{\"exec-echo\":{\"nodeSelector\":{\"labels\":{\"gpu\":\"yes\"}}}}}}}}"));
      ObjectNode body = Http.JSON.createObjectNode();
      body.put("display_name", "inline");
      body.set("pipeline_spec", wrapper);
      body.putObject("runtime_config").put("pipeline_root", "minio://mlpipeline/v2/artifacts");
      Http.Answer created = http.post(RUNS, body.toString());
      assertThat(created.status()).as(created.text()).isEqualTo(200);
      assertThat(created.json().get("pipeline_spec")).isEqualTo(wrapper);
      assertThat(created.json().has("pipeline_version_reference")).isFalse();
      assertThat(submitted).singleElement().satisfies(run -> {
        assertThat(run.pipelineSpec().get("pipelineInfo").get("name").asText()).isEqualTo("echo");
        assertThat(run.platformSpec()).contains(wrapper.get("platform_spec"));
        assertThat(run.pipelineRoot()).isEqualTo("minio://mlpipeline/v2/artifacts");
        assertThat(run.workflowName()).matches("echo-[a-z0-9]{5}");
      });
      Http.Answer notASpec = http.post(RUNS, "{\"display_name\":\"bad\",\"pipeline_spec\":{\"components_1\":{}}}");
      assertThat(notASpec.status()).isEqualTo(400);
      assertThat(notASpec.json().get("details").get(0).get("message").asText()).isEqualTo("unknown template format");
      assertThat(kfp.state().violations()).isEmpty();
    }
  }
}
