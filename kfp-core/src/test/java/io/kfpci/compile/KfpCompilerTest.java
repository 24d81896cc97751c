package io.kfpci.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kfpci.ir.PipelineOutline;
import io.kfpci.ir.proto.k8s.KubernetesExecutorConfig;
import io.kfpci.problem.Problem;
import io.kfpci.python.PythonSettings;
import io.kfpci.python.Venv;
import io.kfpci.python.VenvManager;
import io.kfpci.process.ProcessResult;
import io.kfpci.process.Processes;
import io.kfpci.testing.Fixtures;
import io.kfpci.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real kfp compiler, in the managed venv of the default cache (created once, on first use, and
 * shared with every other test and with `./kfpci`). Failing compiles must name the user's file and
 * line with Python's message.
 */
class KfpCompilerTest {
  private static final KfpCompiler COMPILER = new KfpCompiler(new VenvManager(PythonSettings.defaults()));

  @TempDir Path work;

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(RepoPaths.repoRoot().resolve("examples"))) {
      return files.filter(f -> f.toString().endsWith(".py")).sorted().toList().stream();
    }
  }

  private CompileResult compile(Path source) throws Exception {
    return COMPILER.compile(CompileRequest.builder(source).output(work.resolve("out.yaml")).build());
  }

  /** Copies a fixture next to nothing else, so the compile sees only that file. */
  private Path fixture(String name) throws IOException {
    Path file = work.resolve(name);
    Files.write(file, Fixtures.bytes(KfpCompilerTest.class, name));
    return file;
  }

  private CompileException compileFailure(String fixture) throws IOException {
    Path source = fixture(fixture);
    CompileException e = catchThrowableOfType(CompileException.class, () -> compile(source));
    assertThat(e).as("compiling %s should fail", fixture).isNotNull();
    assertThat(e.source()).isEqualTo(source.toString());
    return e;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExampleCompilesAndValidatesWithoutProblems(Path example) throws Exception {
    CompileResult result = compile(example);

    assertThat(result.kfpVersion()).isEqualTo(PythonSettings.DEFAULT_KFP_VERSION);
    assertThat(result.function()).isEqualTo(example.getFileName().toString().replace(".py", ""));
    assertThat(Files.readString(result.output())).startsWith("# PIPELINE DEFINITION");
    assertThat(result.validation().problems()).extracting(Problem::headline).isEmpty();
  }

  @Test
  void mlTrainingExampleDeploysInsideItsCondition() throws Exception {
    PipelineOutline outline = PipelineOutline.of(compile(
        RepoPaths.repoRoot().resolve("examples/ml_training_pipeline.py")).document());

    assertThat(outline.tasks()).extracting(PipelineOutline.Task::path)
        .containsExactly("condition-1", "condition-1/deploy-model", "evaluate", "preprocess", "train");
    assertThat(outline.tasks().get(0).control()).isEqualTo("if inputs.parameter_values['pipelinechannel--evaluate-Output']"
        + " >= inputs.parameter_values['pipelinechannel--accuracy_threshold']");
    assertThat(outline.inputs()).extracting(PipelineOutline.Input::name)
        .containsExactly("accuracy_threshold", "data_path", "n_estimators", "test_size");
  }

  @Test
  void gpuExampleCarriesItsKubernetesSettings() throws Exception {
    CompileResult result = compile(RepoPaths.repoRoot().resolve("examples/gpu_training_pipeline.py"));

    KubernetesExecutorConfig train = result.document().kubernetesExecutors().get("exec-train-on-gpu");
    assertThat(train.getNodeSelector().getLabelsMap()).containsExactly(Map.entry("accelerator", "nvidia-a100"));
    assertThat(train.getTolerationsList()).extracting(t -> t.getKey() + ":" + t.getOperator() + ":" + t.getEffect())
        .containsExactly("nvidia.com/gpu:Exists:NoSchedule");
    assertThat(train.getSecretAsEnvList()).singleElement().satisfies(secret -> {
      assertThat(secret.getSecretNameParameter().getRuntimeValue().getConstant().getStringValue())
          .isEqualTo("model-registry-credentials");
      assertThat(secret.getKeyToEnvList()).extracting(k -> k.getSecretKey() + "->" + k.getEnvVar())
          .containsExactly("username->REGISTRY_USERNAME", "password->REGISTRY_PASSWORD");
      assertThat(secret.getOptional()).isFalse();
    });
    assertThat(train.getPvcMountList()).singleElement().satisfies(pvc -> {
      assertThat(pvc.getPvcNameParameter().getRuntimeValue().getConstant().getStringValue()).isEqualTo("shared-data-pvc");
      assertThat(pvc.getMountPath()).isEqualTo("/mnt/shared-data");
    });
    var accelerator = result.document().executor("exec-train-on-gpu").orElseThrow()
        .getContainer().getResources().getAccelerator();
    assertThat(accelerator.getResourceType()).isEqualTo("nvidia.com/gpu");
    assertThat(accelerator.getResourceCount()).isEqualTo("2");
  }

  @Test
  void syntaxErrorCitesItsLine() throws Exception {
    CompileException e = compileFailure("syntax_error.py");

    assertThat(e.line()).isEqualTo(7);
    // The wording after "SyntaxError:" varies between Python versions; the line does not.
    assertThat(e.pythonMessage()).startsWith("SyntaxError: ");
    assertThat(e.getMessage()).isEqualTo(e.source() + ":7: " + e.pythonMessage());
    assertThat(e.traceback()).startsWith("Traceback (most recent call last):\n")
        .contains("  File \"" + e.source() + "\", line 7\n").endsWith("\n" + e.pythonMessage() + "\n");
  }

  @Test
  void errorAtImportTimeCitesTheLineInTheUsersFile() throws Exception {
    CompileException e = compileFailure("name_error.py");

    assertThat(e.line()).isEqualTo(6);
    assertThat(e.pythonMessage()).isEqualTo("NameError: name 'ACCURACY_THRESHOLD' is not defined");
    assertThat(e.traceback()).startsWith("Traceback (most recent call last):\n")
        .contains("  File \"" + e.source() + "\", line 6, in <module>\n")
        .endsWith("\nNameError: name 'ACCURACY_THRESHOLD' is not defined\n");
  }

  @Test
  void typeErrorInsideThePipelineFunctionCitesTheCall() throws Exception {
    CompileException e = compileFailure("type_error.py");

    assertThat(e.line()).isEqualTo(13);
    assertThat(e.pythonMessage()).isEqualTo("InconsistentTypeException: Incompatible argument passed to the input"
        + " 'epochs' of component 'train': Argument type 'STRING' is incompatible with the input type"
        + " 'NUMBER_INTEGER'");
  }

  @Test
  void fileWithoutAPipelineSaysSo() throws Exception {
    CompileException e = compileFailure("no_pipeline.py");

    assertThat(e.line()).isZero();
    assertThat(e.getMessage()).isEqualTo(e.source() + ": the file defines no @dsl.pipeline function");
  }

  @Test
  void severalPipelinesNeedAFunctionAndTheFunctionIsHonoured() throws Exception {
    CompileException e = compileFailure("two_pipelines.py");
    assertThat(e.pythonMessage())
        .isEqualTo("the file defines several pipelines (first, second); choose one with --function");

    CompileResult second = COMPILER.compile(CompileRequest.builder(work.resolve("two_pipelines.py"))
        .function("second").build());
    assertThat(second.function()).isEqualTo("second");
    assertThat(second.output()).isEqualTo(work.resolve("two_pipelines.yaml"));
    assertThat(second.document().pipelineName()).isEqualTo("second-pipeline");
    assertThat(second.validation().problems()).isEmpty();

    CompileException unknown = catchThrowableOfType(CompileException.class, () -> COMPILER.compile(
        CompileRequest.builder(work.resolve("two_pipelines.py")).function("third").build()));
    assertThat(unknown.pythonMessage()).isEqualTo(
        "'third' is not a @dsl.pipeline or component in the file (pipelines found: first, second)");
  }

  @Test
  void missingFileFailsBeforeAnyPython() {
    Path missing = work.resolve("missing.py");

    assertThatThrownBy(() -> compile(missing))
        .isInstanceOfSatisfying(CompileException.class, e -> {
          assertThat(e.getMessage()).isEqualTo(missing + ": no such file");
          assertThat(e.traceback()).isEmpty();
        });
  }

  @Test
  void requestsAreCheckedWhenBuilt() {
    assertThatThrownBy(() -> CompileRequest.builder(Path.of("pipeline.yaml")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("the pipeline source must be a .py file: pipeline.yaml");
    assertThatThrownBy(() -> CompileRequest.builder(Path.of("p.py")).kfpVersion("latest").build())
        .hasMessage("not a kfp version: 'latest'");
    assertThatThrownBy(() -> CompileRequest.builder(Path.of("p.py")).timeout(Duration.ZERO).build())
        .hasMessage("timeout must be positive");
    CompileRequest defaults = CompileRequest.builder(Path.of("dir/p.py")).function(" ").build();
    assertThat(defaults.output()).isEqualTo(Path.of("dir/p.yaml"));
    assertThat(defaults.function()).isEmpty();
    assertThat(defaults.kfpVersion()).isEqualTo(PythonSettings.DEFAULT_KFP_VERSION);
  }

  @Test
  void concurrentCallersShareOneReadyCompilerVenv() throws Exception {
    Callable<Venv> ask = () -> COMPILER.compilerVenv(PythonSettings.DEFAULT_KFP_VERSION);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Venv>> both = pool.invokeAll(List.of(ask, ask));
      Venv first = both.get(0).get();

      assertThat(both.get(1).get()).isEqualTo(first);
      ProcessResult version = Processes.run(List.of(first.python().toString(), "-c",
          "import kfp, kfp.kubernetes; print(kfp.__version__)"), null, Map.of(), Duration.ofMinutes(2), "kfp");
      assertThat(version.stdout().strip()).isEqualTo(PythonSettings.DEFAULT_KFP_VERSION);
    } finally {
      pool.shutdownNow();
    }
  }
}
