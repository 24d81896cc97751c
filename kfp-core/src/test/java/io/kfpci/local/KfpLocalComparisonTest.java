package io.kfpci.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.compile.CompileRequest;
import io.kfpci.compile.KfpCompiler;
import io.kfpci.local.internal.PythonEnvironments;
import io.kfpci.process.ProcessResult;
import io.kfpci.process.Processes;
import io.kfpci.python.Venv;
import io.kfpci.python.VenvManager;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import io.kfpci.testing.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed pipelines in examples/ (real pandas and scikit-learn, fixed seeds) run the same set
 * of tasks to the same final states, and give the same parameter outputs and metrics, with our
 * runner as with kfp.local's SubprocessRunner, same kfp version, same venv. kfp.local runs in a Python process while our runs go on beside it.
 */
class KfpLocalComparisonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** What examples/README.md pins for every component that uses packages. */
  private static final List<String> PACKAGES = List.of("numpy==2.1.3", "pandas==2.2.3", "scikit-learn==1.5.2");

  @TempDir Path root;

  private record Example(String file, String function, Map<String, String> arguments) {}

  @Test
  void examplePipelinesRunTheSameTasksAndProduceTheSameParametersAndMetricsAsKfpLocal() throws Exception {
    Path repo = RepoPaths.repoRoot();
    Path data = repo.resolve("examples/data/training.csv");
    VenvManager venvs = new VenvManager(LocalPipelines.PYTHON);
    Venv venv = new PythonEnvironments(venvs).venvFor(PACKAGES);
    Path baseline = root.resolve("baseline_model.joblib");
    ProcessResult made = Processes.run(List.of(venv.python().toString(),
        repo.resolve("examples/data/make_baseline_model.py").toString(), "-o", baseline.toString()),
        null, Map.of(), Duration.ofMinutes(2), "making the baseline model");
    assertThat(made.succeeded()).as(made.tail(10)).isTrue();

    List<Example> examples = List.of(
        new Example("ml_training_pipeline", "ml_training_pipeline", Map.of("data_path", data.toString())),
        new Example("complete_ml_pipeline", "complete_ml_pipeline", Map.of("data_path", data.toString())),
        new Example("model_comparison_pipeline", "model_comparison_pipeline",
            Map.of("data_path", data.toString(), "baseline_model_uri", baseline.toString())));

    CompletableFuture<JsonNode> reference = CompletableFuture.supplyAsync(() -> kfpLocal(repo, venv, examples));
    Map<String, RunSummary> ours = new LinkedHashMap<>();
    for (Example e : examples) {
      Path yaml = root.resolve(e.file() + ".yaml");
      new KfpCompiler(venvs).compile(CompileRequest.builder(repo.resolve("examples/" + e.file() + ".py"))
          .output(yaml).build());
      RunSummary summary = LocalPipelines.run(yaml, root.resolve("ours"), e.arguments(), b -> b.noCache(true));
      assertThat(summary.state()).as(e.file() + ": " + summary.error()).isEqualTo(RuntimeState.SUCCEEDED);
      ours.put(e.file(), summary);
    }
    JsonNode results = reference.get(10, TimeUnit.MINUTES);

    for (int i = 0; i < examples.size(); i++) {
      Example e = examples.get(i);
      JsonNode theirs = results.get(i);
      assertThat(theirs.path("error").isNull()).as(e.file() + " under kfp.local: " + theirs.path("error").asText())
          .isTrue();
      // First the same tasks ran, with the same final states; only then are their outputs compared.
      // kfp.local stops a run at the first failure, so a task it ran is one that succeeded, and a
      // task it did not run was skipped (a false condition): ours must show exactly that.
      Map<String, RuntimeState> ourStates = new java.util.TreeMap<>();
      for (TaskSummary task : ours.get(e.file()).tasks()) {
        if (task.kind().equals("container")) {
          ourStates.put(task.name(), task.state());
        }
      }
      Map<String, RuntimeState> theirStates = new java.util.TreeMap<>();
      theirs.path("tasks").fieldNames().forEachRemaining(name -> theirStates.put(name, RuntimeState.SUCCEEDED));
      ourStates.keySet().stream().filter(name -> !theirStates.containsKey(name))
          .forEach(name -> theirStates.put(name, RuntimeState.SKIPPED));
      assertThat(ourStates).as(e.file() + ": every task's final state, ours vs kfp.local's").isEqualTo(theirStates);

      int compared = 0;
      for (TaskSummary task : ours.get(e.file()).tasks()) {
        if (!task.kind().equals("container") || task.state() != RuntimeState.SUCCEEDED) {
          continue;
        }
        String key = task.name();
        JsonNode expected = theirs.path("tasks").get(key);
        assertThat(expected).as(e.file() + ": kfp.local ran " + key).isNotNull();
        assertThat(normalise(JSON.valueToTree(task.outputParameters())))
            .as(e.file() + "/" + key + " output parameters").isEqualTo(normalise(expected.path("parameters")));
        for (ArtifactSummary artifact : task.artifacts()) {
          if (artifact.type().equals("system.Metrics")) {
            JsonNode theirMetrics = expected.path("artifacts").path(artifact.name()).path(0);
            assertThat(normalise(JSON.valueToTree(artifact.metadata())))
                .as(e.file() + "/" + key + " metrics " + artifact.name()).isEqualTo(normalise(theirMetrics));
            compared++;
          }
        }
        compared++;
      }
      assertThat(compared).as(e.file() + ": tasks compared").isGreaterThanOrEqualTo(3);
    }
  }

  /** kfp.local in the same venv: the component commands' python3 and pip resolve to it via PATH. */
  private JsonNode kfpLocal(Path repo, Venv venv, List<Example> examples) {
    try {
      ArrayNode request = JSON.createArrayNode();
      for (Example e : examples) {
        ObjectNode r = request.addObject();
        r.put("module", repo.resolve("examples/" + e.file() + ".py").toString());
        r.put("function", e.function());
        r.set("arguments", JSON.valueToTree(e.arguments()));
        r.put("pipeline_root", Files.createDirectories(root.resolve("kfp-local/" + e.file())).toString());
      }
      Path requestFile = Files.writeString(root.resolve("request.json"), JSON.writeValueAsString(request));
      Path resultFile = root.resolve("result.json");
      Path script = Path.of(KfpLocalComparisonTest.class.getResource("/local/kfp_local_reference.py").toURI());
      ProcessResult run = Processes.run(List.of(venv.python().toString(), script.toString(), requestFile.toString(),
          resultFile.toString()), root, Map.of("PATH", venv.bin() + java.io.File.pathSeparator + System.getenv("PATH")),
          Duration.ofMinutes(10), "kfp.local");
      assertThat(Files.exists(resultFile)).as("kfp.local wrote its results: " + run.tail(20)).isTrue();
      return JSON.readTree(resultFile.toFile());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Numbers compared as numbers (300 and 300.0 are one value); everything else exactly. */
  private static JsonNode normalise(JsonNode node) {
    if (node.isNumber()) {
      return JSON.getNodeFactory().numberNode(node.asDouble());
    }
    if (node.isObject()) {
      ObjectNode out = JSON.createObjectNode();
      node.fields().forEachRemaining(f -> out.set(f.getKey(), normalise(f.getValue())));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JSON.createArrayNode();
      node.forEach(n -> out.add(normalise(n)));
      return out;
    }
    return node;
  }
}
