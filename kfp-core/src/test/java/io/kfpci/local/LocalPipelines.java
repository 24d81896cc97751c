package io.kfpci.local;

import io.kfpci.compile.CompileRequest;
import io.kfpci.compile.KfpCompiler;
import io.kfpci.python.PythonSettings;
import io.kfpci.python.VenvManager;
import io.kfpci.report.RunSummary;
import io.kfpci.report.TaskSummary;
import io.kfpci.testing.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The test pipelines under src/test/resources/local/pipelines, compiled with the real kfp
 * compiler once per test JVM (into target/local-pipelines), and a way to run them.
 */
final class LocalPipelines {
  private static final Map<String, Path> COMPILED = new ConcurrentHashMap<>();
  static final PythonSettings PYTHON = PythonSettings.defaults();

  private LocalPipelines() {}

  static Path source(String file) {
    return RepoPaths.repoRoot().resolve("kfp-core/src/test/resources/local/pipelines").resolve(file + ".py");
  }

  /** {@code file} (without .py) compiled; {@code function} picks one of several pipelines, or null. */
  static synchronized Path compiled(String file, String function) throws Exception {
    String key = file + (function == null ? "" : "-" + function);
    Path known = COMPILED.get(key);
    if (known != null) {
      return known;
    }
    Path out = Path.of("target/local-pipelines", key + ".yaml").toAbsolutePath();
    Files.createDirectories(out.getParent());
    new KfpCompiler(new VenvManager(PYTHON)).compile(CompileRequest.builder(source(file)).function(function)
        .output(out).build());
    COMPILED.put(key, out);
    return out;
  }

  static Path compiled(String file) throws Exception {
    return compiled(file, null);
  }

  static RunSummary run(Path pipeline, Path root, Map<String, String> parameters) throws Exception {
    return run(pipeline, root, parameters, b -> b);
  }

  static RunSummary run(Path pipeline, Path root, Map<String, String> parameters,
      UnaryOperator<LocalRunSpec.Builder> options) throws Exception {
    LocalRunSpec spec = options.apply(LocalRunSpec.builder().pipeline(pipeline).pipelineRoot(root)
        .parameters(parameters).parallelism(2)).build();
    return LocalRunner.prepare(spec, RunListener.NONE).run();
  }

  static TaskSummary task(RunSummary summary, String id) {
    return summary.tasks().stream().filter(t -> t.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no task " + id + " in " + summary.tasks().stream()
            .map(TaskSummary::id).toList()));
  }

  static String text(RunSummary summary, String id, String output) {
    return task(summary, id).outputParameters().get(output).asText();
  }
}
