package io.kfpci.local;

import io.kfpci.KfpException;
import io.kfpci.compile.CompileRequest;
import io.kfpci.compile.CompileResult;
import io.kfpci.compile.KfpCompiler;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.ir.proto.ComponentInputsSpec;
import io.kfpci.local.internal.Coordinator;
import io.kfpci.local.internal.Executions;
import io.kfpci.local.internal.JsonValues;
import io.kfpci.local.internal.Kind;
import io.kfpci.local.internal.Node;
import io.kfpci.local.internal.Plan;
import io.kfpci.local.internal.PythonEnvironments;
import io.kfpci.local.internal.RunDirectory;
import io.kfpci.local.internal.RunFiles;
import io.kfpci.local.internal.RunLock;
import io.kfpci.local.internal.RunPaths;
import io.kfpci.local.internal.RunState;
import io.kfpci.local.internal.RunValues;
import io.kfpci.local.internal.Secrets;
import io.kfpci.local.internal.UnsafePathException;
import io.kfpci.local.internal.Summaries;
import io.kfpci.local.internal.TaskCache;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.problem.Problem;
import io.kfpci.python.VenvManager;
import io.kfpci.report.RunReportPage;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import io.kfpci.validate.RunParameters;
import io.kfpci.validate.ValidationReport;
import io.kfpci.validate.Validator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs a compiled KFP pipeline on this machine: the embedded default when no cluster is
 * configured. {@link #prepare} does everything that can fail before a task runs (compiling a .py,
 * validating the IR, typing the run parameters, creating the run directory); {@link #run} executes
 * the DAG and returns the final summary. The run directory and summary.json follow
 * docs/run-summary.md; {@link #cancel} (from any thread, e.g. a shutdown hook on SIGTERM) stops
 * running tasks, still runs exit handlers, and ends the run CANCELED.
 *
 * <p>Threads: {@link #run} blocks its caller, which becomes the run's coordinator; task processes
 * are watched by worker threads; listener calls come from both.
 */
public final class LocalRunner {
  private static final DateTimeFormatter RUN_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final LocalRunSpec spec;
  private final Plan plan;
  private final RunDirectory directory;
  private final RunState initial;
  private final PythonEnvironments python;
  private final RunListener listener;
  private final Clock clock;
  /** Held from prepare to the end of run: no second runner works on this run directory meanwhile. */
  private final RunLock lock;
  private volatile Coordinator coordinator;
  private volatile boolean cancelRequested;
  private volatile boolean signalled;

  private LocalRunner(LocalRunSpec spec, Plan plan, RunDirectory directory, RunState initial,
      PythonEnvironments python, RunListener listener, Clock clock, RunLock lock) {
    this.lock = lock;
    this.spec = spec;
    this.plan = plan;
    this.directory = directory;
    this.initial = initial;
    this.python = python;
    this.listener = listener;
    this.clock = clock;
  }

  /**
   * Checks and sets up a run (or a resume); nothing runs yet. Throws
   * {@link InvalidPipelineException} for an invalid pipeline or wrong run parameters (no task
   * starts), {@link io.kfpci.compile.CompileException} when a .py does not compile, and
   * {@link LocalRunException} for a run directory that cannot be used.
   */
  public static LocalRunner prepare(LocalRunSpec spec, RunListener listener)
      throws KfpException, IOException, InterruptedException {
    Clock clock = Clock.systemUTC();
    warmUpInBackground();
    VenvManager venvs = new VenvManager(spec.pythonSettings());
    if (spec.resume() != null) {
      return resume(spec, listener, venvs, clock);
    }
    Path source = spec.pipeline().toAbsolutePath().normalize();
    if (!Files.isRegularFile(source)) {
      throw new LocalRunException("no such pipeline file: " + spec.pipeline(), null);
    }
    String name = source.getFileName().toString();
    Path compiled = null;
    PipelineDocument document;
    ValidationReport validation;
    try {
      if (name.endsWith(".py")) {
        compiled = Files.createTempFile("kfpci-run-", ".yaml");
        CompileResult result = new KfpCompiler(venvs).compile(CompileRequest.builder(source)
            .function(spec.function()).output(compiled).kfpVersion(spec.kfpVersion())
            .compileCache(spec.compileCache()).build());
        document = result.document();
        validation = result.validation();
      } else {
        document = PipelineLoader.load(source);
        validation = Validator.validate(document);
      }
      if (validation.hasErrors()) {
        throw new InvalidPipelineException(validation.problems());
      }
      refuseUnsafeNames(document, null);
      List<String> secretNames = secretNames(document, spec);
      Map<String, String> given = absoluteExistingPaths(document, spec.parameters(), workingDirectory(spec),
          secretNames, listener);
      Map<String, JsonNode> parameters = withDefaults(document, typed(document, given, secretNames));
      Secrets secrets = secrets(given, secretNames, parameters);
      PythonEnvironments python = environments(spec, venvs, new Plan(document));
      for (Problem p : validation.problems()) {
        listener.line(secrets.mask("warning: " + p.headline()));
      }

      Instant now = clock.instant();
      String runId = spec.runId() != null ? spec.runId() : newRunId(now);
      Path runPath = runPath(spec.pipelineRoot(), document.pipelineName(), runId);
      if (Files.exists(runPath) && !isEmptyDirectory(runPath)) {
        throw new LocalRunException("run directory " + runPath + " already exists; choose another --run-id,"
            + " or continue it with --resume " + runPath, runPath);
      }
      Files.createDirectories(runPath);
      RunLock lock = lock(runPath);
      try {
        if (!isEmptyDirectory(runPath, RunLock.FILE)) { // another runner got here first with the same --run-id
          throw new LocalRunException("run directory " + runPath + " already exists; choose another --run-id,"
              + " or continue it with --resume " + runPath, runPath);
        }
        String copyName = name.endsWith(".py") ? RunDirectory.PIPELINE : "pipeline" + extension(name);
        Path copy = runPath.resolve(copyName);
        RunFiles.copy(compiled != null ? compiled : source, copy, RunFiles.Mode.SHARED);
        Map<String, String> kept = new LinkedHashMap<>(given);
        kept.keySet().removeAll(secretNames); // secrets are never saved; a resume is given them again
        LocalRunSpec saved = spec.toBuilder().pipeline(copy).runId(runId).resume(null).function(null)
            .parameters(kept).secretParameters(secretNames)
            .pipelineRoot(spec.pipelineRoot().toAbsolutePath().normalize())
            .workingDirectory(workingDirectory(spec)).build();
        RunFiles.write(runPath.resolve(RunDirectory.SPEC), saved.toJson(), RunFiles.Mode.SHARED);

        Plan plan = new Plan(document, new RunValues(document.pipelineName(), runId, now, runPath));
        RunDirectory directory = new RunDirectory(runPath, listener::line, secrets);
        directory.writeRunner(ProcessHandle.current().pid(), runId, now);
        Map<String, Node> nodes = new LinkedHashMap<>();
        plan.initialNodes().forEach(n -> nodes.put(n.id(), n));
        RunState state = new RunState(runId, RuntimeState.PENDING, now, null, null, null, false, parameters, nodes);
        writeSummary(Summaries.toSummary(plan, state, directory), directory);
        return new LocalRunner(saved, plan, directory, state, python, listener, clock, lock);
      } catch (KfpException | IOException | RuntimeException e) {
        lock.close();
        throw e;
      }
    } finally {
      if (compiled != null) {
        Files.deleteIfExists(compiled);
      }
    }
  }

  private static LocalRunner resume(LocalRunSpec spec, RunListener listener, VenvManager venvs, Clock clock)
      throws KfpException, IOException {
    Path runPath = spec.resume().toAbsolutePath().normalize();
    Path specFile = runPath.resolve(RunDirectory.SPEC);
    Path summaryFile = runPath.resolve(RunDirectory.SUMMARY);
    if (!Files.isRegularFile(specFile) || !Files.isRegularFile(summaryFile)) {
      throw new LocalRunException(runPath + " is not a local run directory (it has no " + RunDirectory.SPEC
          + " and " + RunDirectory.SUMMARY + ")", runPath);
    }
    RunLock lock = lock(runPath);
    try {
      LocalRunSpec saved = LocalRunSpec.read(specFile);
      PipelineDocument document = PipelineLoader.load(saved.pipeline());
      refuseUnsafeNames(document, runPath);
      // Secrets were not saved: this resume gives them again (or the pipeline has a default).
      Map<String, String> given = new LinkedHashMap<>(saved.parameters());
      List<String> missing = new ArrayList<>();
      for (String secret : saved.secretParameters()) {
        if (spec.parameters().containsKey(secret)) {
          given.put(secret, spec.parameters().get(secret));
        } else if (!document.spec().getRoot().getInputDefinitions().getParametersMap().getOrDefault(secret,
            ComponentInputsSpec.ParameterSpec.getDefaultInstance()).hasDefaultValue()) {
          missing.add(secret);
        }
      }
      if (!missing.isEmpty()) {
        throw new LocalRunException("the run in " + runPath + " has secret parameters, which are not saved in"
            + " the run directory: give them again, e.g. kfpci run --resume " + runPath + " "
            + String.join(" ", missing.stream().map(m -> "-p " + m + "=...").toList()), runPath);
      }
      // What to run comes from the saved run; how to run it (parallelism, cache, engine) from now.
      LocalRunSpec effective = saved.toBuilder().noCache(spec.noCache()).parallelism(spec.parallelism())
          .engine(spec.engine()).strictResources(spec.strictResources()).python(spec.python())
          .cacheDirectory(spec.cacheDirectory()).inheritEnvironment(spec.inheritEnvironment()).resume(null).build();
      RunSummary summary = RunSummaryJson.read(summaryFile);
      Plan plan = new Plan(document, new RunValues(document.pipelineName(), summary.runId(), summary.createdAt(), runPath));
      Map<String, JsonNode> typed = withDefaults(document, typed(document, given, saved.secretParameters()));
      Secrets secrets = secrets(given, saved.secretParameters(), typed);
      PythonEnvironments python = environments(effective, venvs, plan);
      RunState restored = Summaries.restore(plan, summary);
      Map<String, JsonNode> parameters = new LinkedHashMap<>(restored.parameters());
      for (String secret : saved.secretParameters()) {
        parameters.put(secret, typed.get(secret)); // the summary holds the mask
      }
      RunState state = new RunState(restored.runId(), restored.state(), restored.createdAt(), restored.startedAt(),
          restored.finishedAt(), restored.error(), restored.cancelRequested(), parameters, restored.nodes());
      RunDirectory directory = new RunDirectory(runPath, listener::line, secrets);
      directory.writeRunner(ProcessHandle.current().pid(), summary.runId(), clock.instant());
      long done = 0;
      for (Node n : state.nodes().values()) {
        if (n.state() == RuntimeState.SUCCEEDED && n.kind().isExecutor()) {
          done++;
        } else if (n.kind() == Kind.CONTAINER) {
          Executions.stopLeftover(directory.taskDirectory(n.id())).ifPresent(pid -> directory.log("[" + n.id()
              + "] -- stopped process " + pid + " left running by the interrupted runner"));
        }
      }
      directory.log("[run] -- resuming " + summary.runId() + ": " + done
          + " finished task(s) are kept, the rest run again");
      return new LocalRunner(effective, plan, directory, state, python, listener, clock, lock);
    } catch (KfpException | IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /**
   * The run directory's lock, or an error saying who holds it: two runners on one run directory
   * (a second --resume) would run tasks twice and overwrite each other's summary.
   */
  private static RunLock lock(Path runPath) throws IOException, LocalRunException {
    java.util.Optional<RunLock> lock = RunLock.tryAcquire(runPath);
    if (lock.isPresent()) {
      return lock.get();
    }
    String holder = "another process";
    try {
      JsonNode runner = JsonValues.JSON.readTree(Files.readString(runPath.resolve(RunDirectory.RUNNER),
          StandardCharsets.UTF_8));
      long pid = runner.path("pid").asLong(-1);
      if (pid > 0) {
        holder = pid == ProcessHandle.current().pid() ? "another runner in this process (pid " + pid + ")"
            : "another process (pid " + pid + ")";
      }
    } catch (IOException | RuntimeException e) {
      // runner.json not written yet: the holder is still setting the run up; its pid is unknown.
    }
    throw new LocalRunException("the run in " + runPath + " is in use by " + holder + ", which holds its lock"
        + " (" + RunLock.FILE + "); wait for that run to end, or cancel it (kill -TERM with its pid), then resume"
        + " it again with --resume " + runPath, runPath);
  }

  /** {@code <root>/<pipeline>/<run-id>}, refusing a pipeline name that is not a plain name. */
  private static Path runPath(Path pipelineRoot, String pipelineName, String runId) throws LocalRunException {
    try {
      return RunDirectory.of(pipelineRoot, pipelineName, runId);
    } catch (UnsafePathException e) {
      throw new LocalRunException("cannot run this pipeline: its " + e.getMessage(), null, e);
    }
  }

  /**
   * Refuses a pipeline whose task, output or pipeline names would name paths outside its run
   * directory, before anything is created. The runner's own check: it holds whether or not the
   * pipeline was validated, and each path is checked again where it is used.
   */
  private static void refuseUnsafeNames(PipelineDocument document, Path runPath) throws LocalRunException {
    List<String> problems = RunPaths.pipelineProblems(document);
    if (!problems.isEmpty()) {
      throw new LocalRunException("cannot run this pipeline: names in it would become paths outside its run"
          + " directory; rename them:\n  " + String.join("\n  ", problems), runPath);
    }
  }

  /** The secret run parameters: those the run names, and those named so by convention. */
  private static List<String> secretNames(PipelineDocument document, LocalRunSpec spec) throws LocalRunException {
    Map<String, ComponentInputsSpec.ParameterSpec> inputs =
        document.spec().getRoot().getInputDefinitions().getParametersMap();
    List<String> out = new ArrayList<>();
    for (String name : spec.secretParameters()) {
      if (!inputs.containsKey(name)) {
        throw new LocalRunException("--secret-param " + name + ": the pipeline has no parameter '" + name
            + "' (its parameters: " + String.join(", ", new java.util.TreeSet<>(inputs.keySet())) + ")", null);
      }
      out.add(name);
    }
    new java.util.TreeSet<>(inputs.keySet()).stream().filter(Secrets::isSecretName).filter(n -> !out.contains(n))
        .forEach(out::add);
    return out;
  }

  /** The run parameters typed; a problem's message never quotes a secret value. */
  private static Map<String, JsonNode> typed(PipelineDocument document, Map<String, String> given,
      List<String> secretNames) throws InvalidPipelineException {
    try {
      return RunParameters.resolve(document, given);
    } catch (InvalidPipelineException e) {
      Secrets secrets = secrets(given, secretNames, Map.of());
      throw new InvalidPipelineException(e.problems().stream().map(p -> new Problem(p.severity(), p.rule(),
          p.position(), p.jsonPath(), secrets.mask(p.message()), secrets.mask(p.hint()))).toList());
    }
  }

  /** The values to mask: as given on the command line, and as typed (a default included). */
  private static Secrets secrets(Map<String, String> given, List<String> names, Map<String, JsonNode> typed) {
    List<String> values = new ArrayList<>();
    for (String name : names) {
      values.add(given.get(name));
      if (typed.get(name) != null && !typed.get(name).isNull()) {
        values.add(JsonValues.text(typed.get(name)));
      }
    }
    return Secrets.of(values);
  }

  /**
   * Tasks run in their own task directories, so a relative path given as a string parameter would
   * no longer find its file: one that names an existing file or directory under the working
   * directory is made absolute, and the console says so. Secret values are left as they are.
   */
  private static Map<String, String> absoluteExistingPaths(PipelineDocument document, Map<String, String> given,
      Path workingDirectory, List<String> secretNames, RunListener listener) {
    Map<String, ComponentInputsSpec.ParameterSpec> inputs =
        document.spec().getRoot().getInputDefinitions().getParametersMap();
    Map<String, String> out = new LinkedHashMap<>(given);
    for (Map.Entry<String, String> e : given.entrySet()) {
      ComponentInputsSpec.ParameterSpec input = inputs.get(e.getKey());
      String value = e.getValue();
      if (input == null || secretNames.contains(e.getKey()) || value.isEmpty() || value.contains("://")
          || input.getParameterType() != io.kfpci.ir.proto.ParameterType.ParameterTypeEnum.STRING) {
        continue;
      }
      try {
        Path relative = Path.of(value);
        if (!relative.isAbsolute() && Files.exists(workingDirectory.resolve(relative))) {
          String absolute = workingDirectory.resolve(relative).normalize().toString();
          out.put(e.getKey(), absolute);
          listener.line("[run] -- parameter " + e.getKey() + ": the relative path " + value + " is passed as "
              + absolute + " (tasks run in their own directories)");
        }
      } catch (java.nio.file.InvalidPathException ex) {
        // Not a path: passed as it is.
      }
    }
    return out;
  }

  private static void writeSummary(RunSummary summary, RunDirectory directory) throws IOException {
    RunFiles.writeAtomically(directory.summaryFile(), RunSummaryJson.toJson(summary), RunFiles.Mode.SHARED);
  }

  /**
   * A short run is dominated by a cold JVM: CEL's environments and Jackson's serialisers take about
   * a second to build. Building them on a spare core while the pipeline loads keeps them off the
   * run's critical path (a cached re-run is otherwise mostly this).
   */
  private static void warmUpInBackground() {
    Thread warm = new Thread(() -> {
      io.kfpci.local.internal.Cel.warmUp();
      RunSummaryJson.toJson(new RunSummary(RunSummary.FORMAT_VERSION, "warm-up", "warm-up", RuntimeState.PENDING,
          Instant.EPOCH, null, null, null, new RunSummary.Location("local", "", null), null, null, null));
    }, "kfpci-warm-up");
    warm.setDaemon(true);
    warm.start();
  }

  private static Map<String, JsonNode> withDefaults(PipelineDocument document, Map<String, JsonNode> given) {
    Map<String, JsonNode> out = new LinkedHashMap<>(given);
    for (Map.Entry<String, ComponentInputsSpec.ParameterSpec> e
        : document.spec().getRoot().getInputDefinitions().getParametersMap().entrySet()) {
      if (!out.containsKey(e.getKey()) && e.getValue().hasDefaultValue()) {
        out.put(e.getKey(), JsonValues.typed(JsonValues.of(e.getValue().getDefaultValue()),
            e.getValue().getParameterType()));
      }
    }
    return out;
  }

  private static Path workingDirectory(LocalRunSpec spec) {
    return (spec.workingDirectory() != null ? spec.workingDirectory() : Path.of("")).toAbsolutePath().normalize();
  }

  private static String extension(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".tar.gz") ? ".tar.gz" : lower.substring(lower.lastIndexOf('.'));
  }

  /** True for an existing directory holding nothing but {@code except}. */
  private static boolean isEmptyDirectory(Path dir, String... except) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    List<String> ignored = List.of(except);
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.noneMatch(p -> !ignored.contains(p.getFileName().toString()));
    }
  }

  /** A sortable, unique run id: UTC time and six random hex digits, e.g. 20260821-101500-3f9a0c. */
  public static String newRunId(Instant now) {
    return RUN_ID_TIME.format(now) + "-" + String.format(Locale.ROOT, "%06x",
        java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 24));
  }

  public Path runDirectory() {
    return directory.path();
  }

  public String runId() {
    return initial.runId();
  }

  public String pipelineName() {
    return plan.pipelineName();
  }

  public LocalRunSpec spec() {
    return spec;
  }

  /**
   * Runs the pipeline to its end and returns the final summary (also in summary.json), then
   * writes report.html beside it. If the calling thread is interrupted the run is canceled; the
   * interrupt status is set again on return.
   */
  public RunSummary run() throws IOException {
    Executions executions = new Executions(new Executions.Settings(plan, directory, initial.runId(),
        initial.createdAt(), spec.engine(), spec.noCache(), spec.strictResources(), workingDirectory(spec),
        python, new TaskCache(directory.pipelineDirectory()), spec.inheritEnvironment()));
    Coordinator c = new Coordinator(plan, initial, executions, directory, spec.parallelism(), listener::summary, clock);
    coordinator = c;
    if (cancelRequested) {
      c.requestCancel();
    }
    try {
      RunState end = c.run();
      RunSummary summary = Summaries.toSummary(plan, end, directory);
      writeReport(summary);
      return summary;
    } finally {
      try {
        directory.close();
      } finally {
        lock.close();
      }
    }
  }

  /**
   * {@link #run}, with SIGTERM and Ctrl-C turned into {@link #cancel}: a JVM shutdown hook cancels
   * the run and holds the JVM until the run has stopped its tasks, run its exit handlers and
   * written its final summary (at most {@code grace}). After a signal the caller must not call
   * {@code System.exit} ({@link #stoppedBySignal()} says so): the JVM exits when the hook ends.
   */
  public RunSummary runWithSignalHandling(java.time.Duration grace) throws IOException {
    java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    Thread hook = new Thread(() -> {
      signalled = true;
      cancel();
      try {
        finished.await(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "kfpci-cancel-on-signal");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return run();
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down: the hook is running and has just been released.
      }
    }
  }

  /** True once a SIGTERM or Ctrl-C reached {@link #runWithSignalHandling}. */
  public boolean stoppedBySignal() {
    return signalled;
  }

  /**
   * The run's Python environments, resolved on a spare thread from the moment the pipeline is
   * loaded, so the first task does not wait for it (and a first-ever venv is being built while the
   * run is set up). Failures are left for the task that needs the venv to report.
   */
  private static PythonEnvironments environments(LocalRunSpec spec, VenvManager venvs, Plan plan) {
    PythonEnvironments python = new PythonEnvironments(venvs);
    if (spec.engine() != Engine.LOCAL) {
      return python;
    }
    List<List<String>> commands = plan.document().deployment().getExecutorsMap().values().stream()
        .filter(e -> e.hasContainer() && io.kfpci.local.internal.PipLines.isLightweightPython(
            e.getContainer().getCommandList()))
        .map(e -> (List<String>) List.copyOf(e.getContainer().getCommandList())).distinct().toList();
    Thread prepare = new Thread(() -> {
      for (List<String> command : commands) {
        try {
          python.prepare(command);
        } catch (io.kfpci.python.PythonEnvironmentException e) {
          // The task that needs this venv tries again and reports the failure.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }, "kfpci-python-environments");
    prepare.setDaemon(true);
    prepare.start();
    return python;
  }

  /** Stops the run: running tasks die, exit handlers still run, the run ends CANCELED. Thread-safe. */
  public void cancel() {
    cancelRequested = true;
    Coordinator c = coordinator;
    if (c != null) {
      c.requestCancel();
    }
  }

  private void writeReport(RunSummary summary) throws IOException {
    if (Files.isSymbolicLink(directory.reportFile())) {
      Files.delete(directory.reportFile()); // never write through a link left in the run directory
    }
    RunReportPage.write(summary, history(), directory.reportFile());
    RunFiles.setMode(directory.reportFile(), RunFiles.Mode.SHARED);
  }

  /** Earlier runs of the same pipeline under the same root, oldest first, for the report's trends. */
  private List<RunSummary> history() throws IOException {
    List<RunSummary> out = new ArrayList<>();
    try (Stream<Path> runs = Files.list(directory.pipelineDirectory())) {
      for (Path run : runs.filter(Files::isDirectory).toList()) {
        Path file = run.resolve(RunDirectory.SUMMARY);
        if (run.equals(directory.path()) || run.getFileName().toString().startsWith(".") || !Files.isRegularFile(file)) {
          continue;
        }
        try {
          out.add(RunSummaryJson.read(file));
        } catch (KfpException e) {
          // A half-written or foreign directory is not history.
        }
      }
    }
    out.sort(Comparator.comparing(RunSummary::createdAt));
    return out;
  }
}
