package io.kfpci.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.python.PythonSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a local run needs, as {@code kfpci run --local} options or as the JSON file the
 * Jenkins plugin hands to {@link LocalRunnerMain}. Immutable; {@link Builder#build()} checks it.
 * The JSON form (snake_case keys, see docs/local-runner.md) is also saved in the run directory as
 * spec.json, which {@code --resume} reads back.
 *
 * @param pipeline the pipeline file: .yaml/.yml/.json/.zip/.tar.gz IR, or a .py compiled first;
 *     null when resuming
 * @param function for a .py file, the {@code @dsl.pipeline} function; null for the only one
 * @param parameters run parameters as text, typed against the pipeline's inputs before anything runs
 * @param pipelineRoot where runs live: {@code <pipeline-root>/<pipeline>/<run-id>/}
 * @param runId the run directory's name; null to generate one
 * @param parallelism how many task processes may run at once
 * @param cacheDirectory the managed venv cache; null for the default (~/.cache/kfpci)
 * @param workingDirectory where task processes start (relative paths in parameters resolve here);
 *     null for the runner's own
 * @param resume a run directory to continue; its saved spec supplies pipeline, parameters and id
 * @param secretParameters run parameters whose values are secret: masked everywhere but the task's
 *     own executor input, and never saved (a resume is given them again); names ending in
 *     _password, _token or _secret are secret without being listed here
 * @param inheritEnvironment tasks get this machine's whole environment instead of the minimal,
 *     documented one
 * @param compileCache for a .py file, reuse the IR of an unchanged earlier compile
 *     ({@link io.kfpci.compile.CompileCache}); not saved in spec.json, since a resume never compiles
 */
public record LocalRunSpec(
    Path pipeline,
    String function,
    Map<String, String> parameters,
    Path pipelineRoot,
    String runId,
    boolean noCache,
    int parallelism,
    Engine engine,
    boolean strictResources,
    String python,
    Path cacheDirectory,
    String kfpVersion,
    Path workingDirectory,
    Path resume,
    java.util.List<String> secretParameters,
    boolean inheritEnvironment,
    boolean compileCache) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> KEYS = Set.of("pipeline", "function", "parameters", "pipeline_root", "run_id",
      "no_cache", "parallelism", "engine", "strict_resources", "python", "cache_dir", "kfp_version",
      "working_directory", "resume", "secret_params", "inherit_env");

  public LocalRunSpec {
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    Objects.requireNonNull(pipelineRoot, "pipelineRoot");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(kfpVersion, "kfpVersion");
    secretParameters = secretParameters == null ? java.util.List.of()
        : java.util.List.copyOf(new java.util.LinkedHashSet<>(secretParameters));
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().pipeline(pipeline).function(function).parameters(parameters).pipelineRoot(pipelineRoot)
        .runId(runId).noCache(noCache).parallelism(parallelism).engine(engine).strictResources(strictResources)
        .python(python).cacheDirectory(cacheDirectory).kfpVersion(kfpVersion).workingDirectory(workingDirectory)
        .resume(resume).secretParameters(secretParameters).inheritEnvironment(inheritEnvironment)
        .compileCache(compileCache);
  }

  /** Reads a spec file; unknown keys and wrong types are errors naming the key. */
  public static LocalRunSpec read(Path file) throws LocalRunException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new LocalRunException("cannot read the run spec " + file + ": " + e.getMessage(), null, e);
    }
    if (root == null || !root.isObject()) {
      throw new LocalRunException(file + ": a run spec is a JSON object", null);
    }
    Iterator<String> names = root.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!KEYS.contains(key)) {
        throw new LocalRunException(file + ": unknown key '" + key + "' (known: " + String.join(", ",
            new java.util.TreeSet<>(KEYS)) + ")", null);
      }
    }
    try {
      Builder b = builder();
      b.pipeline(path(root, "pipeline", file)).function(text(root, "function", file))
          .pipelineRoot(path(root, "pipeline_root", file)).runId(text(root, "run_id", file))
          .python(text(root, "python", file)).cacheDirectory(path(root, "cache_dir", file))
          .workingDirectory(path(root, "working_directory", file)).resume(path(root, "resume", file));
      String version = text(root, "kfp_version", file);
      if (version != null) {
        b.kfpVersion(version);
      }
      String engine = text(root, "engine", file);
      if (engine != null) {
        b.engine(Engine.parse(engine));
      }
      b.noCache(bool(root, "no_cache", file)).strictResources(bool(root, "strict_resources", file))
          .inheritEnvironment(bool(root, "inherit_env", file));
      JsonNode secrets = root.path("secret_params");
      if (!secrets.isMissingNode() && !secrets.isNull()) {
        java.util.List<String> secretNames = new java.util.ArrayList<>();
        if (secrets.isArray()) {
          secrets.forEach(n -> secretNames.add(n.isTextual() ? n.textValue() : null));
        }
        if (!secrets.isArray() || secretNames.contains(null)) {
          throw new LocalRunException(file + ": 'secret_params' must be an array of parameter names", null);
        }
        b.secretParameters(secretNames);
      }
      if (root.hasNonNull("parallelism")) {
        if (!root.get("parallelism").canConvertToInt()) {
          throw new LocalRunException(file + ": 'parallelism' must be a whole number", null);
        }
        b.parallelism(root.get("parallelism").asInt());
      }
      JsonNode params = root.path("parameters");
      if (!params.isMissingNode() && !params.isNull()) {
        if (!params.isObject()) {
          throw new LocalRunException(file + ": 'parameters' must be an object of name: value", null);
        }
        Map<String, String> values = new LinkedHashMap<>();
        params.fields().forEachRemaining(e -> values.put(e.getKey(),
            e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString()));
        b.parameters(values);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new LocalRunException(file + ": " + e.getMessage(), null);
    }
  }

  private static String text(JsonNode root, String key, Path file) throws LocalRunException {
    JsonNode v = root.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new LocalRunException(file + ": '" + key + "' must be a string", null);
    }
    return v.textValue();
  }

  private static Path path(JsonNode root, String key, Path file) throws LocalRunException {
    String v = text(root, key, file);
    return v == null ? null : Path.of(v);
  }

  private static boolean bool(JsonNode root, String key, Path file) throws LocalRunException {
    JsonNode v = root.get(key);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new LocalRunException(file + ": '" + key + "' must be true or false", null);
    }
    return v.booleanValue();
  }

  /** The JSON form, with absolute paths. */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    putPath(node, "pipeline", pipeline);
    if (function != null) {
      node.put("function", function);
    }
    ObjectNode params = node.putObject("parameters");
    parameters.forEach(params::put);
    putPath(node, "pipeline_root", pipelineRoot);
    if (runId != null) {
      node.put("run_id", runId);
    }
    node.put("no_cache", noCache);
    node.put("parallelism", parallelism);
    node.put("engine", engine.command());
    node.put("strict_resources", strictResources);
    if (python != null) {
      node.put("python", python);
    }
    putPath(node, "cache_dir", cacheDirectory);
    node.put("kfp_version", kfpVersion);
    putPath(node, "working_directory", workingDirectory);
    putPath(node, "resume", resume);
    if (!secretParameters.isEmpty()) {
      secretParameters.forEach(node.putArray("secret_params")::add);
    }
    if (inheritEnvironment) {
      node.put("inherit_env", true);
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a run spec always serialises", e);
    }
  }

  private static void putPath(ObjectNode node, String key, Path value) {
    if (value != null) {
      node.put(key, value.toAbsolutePath().normalize().toString());
    }
  }

  /** The Python settings of this run: interpreter and venv cache. */
  public PythonSettings pythonSettings() {
    PythonSettings.Builder b = PythonSettings.builder();
    if (python != null) {
      b.pythonExecutable(python);
    }
    if (cacheDirectory != null) {
      b.cacheDirectory(cacheDirectory);
    }
    return b.build();
  }

  public static final class Builder {
    private Path pipeline;
    private String function;
    private Map<String, String> parameters = Map.of();
    private Path pipelineRoot;
    private String runId;
    private boolean noCache;
    private int parallelism = Runtime.getRuntime().availableProcessors();
    private Engine engine = Engine.LOCAL;
    private boolean strictResources;
    private String python;
    private Path cacheDirectory;
    private String kfpVersion = PythonSettings.DEFAULT_KFP_VERSION;
    private Path workingDirectory;
    private Path resume;
    private java.util.List<String> secretParameters = java.util.List.of();
    private boolean inheritEnvironment;
    private boolean compileCache;

    private Builder() {}

    /** Parameters whose values are secret (see {@link LocalRunSpec}). */
    public Builder secretParameters(java.util.Collection<String> value) {
      secretParameters = value == null ? java.util.List.of() : java.util.List.copyOf(value);
      return this;
    }

    public Builder inheritEnvironment(boolean value) {
      inheritEnvironment = value;
      return this;
    }

    public Builder pipeline(Path value) {
      pipeline = value;
      return this;
    }

    public Builder function(String value) {
      function = value;
      return this;
    }

    public Builder parameters(Map<String, String> value) {
      parameters = value == null ? Map.of() : value;
      return this;
    }

    public Builder pipelineRoot(Path value) {
      pipelineRoot = value;
      return this;
    }

    public Builder runId(String value) {
      runId = value;
      return this;
    }

    public Builder noCache(boolean value) {
      noCache = value;
      return this;
    }

    public Builder parallelism(int value) {
      parallelism = value;
      return this;
    }

    public Builder engine(Engine value) {
      engine = value;
      return this;
    }

    public Builder strictResources(boolean value) {
      strictResources = value;
      return this;
    }

    public Builder python(String value) {
      python = value;
      return this;
    }

    public Builder cacheDirectory(Path value) {
      cacheDirectory = value;
      return this;
    }

    public Builder kfpVersion(String value) {
      kfpVersion = value;
      return this;
    }

    public Builder workingDirectory(Path value) {
      workingDirectory = value;
      return this;
    }

    public Builder resume(Path value) {
      resume = value;
      return this;
    }

    public Builder compileCache(boolean value) {
      compileCache = value;
      return this;
    }

    public LocalRunSpec build() {
      if (pipeline == null && resume == null) {
        throw new IllegalArgumentException("a run needs a pipeline file (or a run directory to resume)");
      }
      if (pipeline != null) {
        String name = pipeline.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!(name.endsWith(".py") || name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")
            || name.endsWith(".zip") || name.endsWith(".tar.gz") || name.endsWith(".tgz"))) {
          throw new IllegalArgumentException("the pipeline must be a .py file or compiled IR (.yaml, .yml, .json,"
              + " .zip, .tar.gz): " + pipeline);
        }
      }
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
      }
      if (runId != null && !runId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
        throw new IllegalArgumentException("run id '" + runId + "' must be letters, digits, '.', '_' or '-'"
            + " (it names a directory)");
      }
      for (String name : secretParameters) {
        if (name == null || name.isBlank()) {
          throw new IllegalArgumentException("a secret parameter needs a name");
        }
      }
      if (kfpVersion == null || kfpVersion.isBlank()) {
        throw new IllegalArgumentException("kfp version must not be blank");
      }
      return new LocalRunSpec(pipeline, function, parameters, pipelineRoot == null ? Path.of("kfp-runs") : pipelineRoot,
          runId, noCache, parallelism, engine == null ? Engine.LOCAL : engine, strictResources, python, cacheDirectory,
          kfpVersion, workingDirectory, resume, secretParameters, inheritEnvironment, compileCache);
    }
  }
}
