package io.kfpci.local.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Descriptors;
import io.kfpci.KfpException;
import io.kfpci.ir.proto.ComponentOutputsSpec;
import io.kfpci.ir.proto.ComponentSpec;
import io.kfpci.ir.proto.PipelineDeploymentConfig.ExecutorSpec;
import io.kfpci.ir.proto.PipelineDeploymentConfig.ImporterSpec;
import io.kfpci.ir.proto.PipelineDeploymentConfig.PipelineContainerSpec;
import io.kfpci.ir.proto.PipelineTaskSpec;
import io.kfpci.ir.proto.k8s.KubernetesExecutorConfig;
import io.kfpci.local.Engine;
import io.kfpci.process.Processes;
import io.kfpci.python.PythonEnvironmentException;
import io.kfpci.report.RuntimeState;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The side-effect half of apply: runs one attempt of an executor node on a worker thread and
 * reports an {@link Outcome}. A container attempt resolves the launcher contract
 * ({@link ExecutorInputs}), consults the cache, runs the command (on the agent, or in its image
 * with podman/docker), streams its output line by line with a {@code [task-id] } prefix into
 * run.log and unprefixed into the task's task.log, and reads the outputs back. {@link #kill} may be
 * called from the coordinator at any time; a killed attempt ends CANCELED. Thread-safe.
 */
public final class Executions {
  /** How many log lines a task keeps for its summary and failure message. */
  public static final int TAIL_LINES = 50;

  /**
   * Everything an attempt needs that does not change during a run.
   *
   * @param workingDirectory where the run was started (relative run parameters were resolved
   *     against it); a task process itself starts in its own task directory
   * @param inheritEnvironment tasks get this machine's whole environment, not the minimal one of
   *     {@link TaskEnvironment}
   */
  public record Settings(Plan plan, RunDirectory directory, String runId, Instant createdAt, Engine engine,
      boolean noCache, boolean strictResources, Path workingDirectory, PythonEnvironments python, TaskCache cache,
      boolean inheritEnvironment) {
    public Settings {
      Objects.requireNonNull(plan, "plan");
      Objects.requireNonNull(directory, "directory");
      Objects.requireNonNull(engine, "engine");
      Objects.requireNonNull(workingDirectory, "workingDirectory");
    }
  }

  /**
   * How long a task ended by SIGHUP, SIGINT or SIGTERM waits for the run's cancel to be
   * seen: a SIGTERM or Ctrl-C sent to the whole process group reaches the task and the runner at
   * once, and the task may end before the runner's shutdown hook has asked to cancel.
   */
  private static final java.time.Duration SIGNAL_GRACE = java.time.Duration.ofSeconds(3);

  private final Settings settings;
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private final int agentGpus;
  private volatile boolean canceling;

  public Executions(Settings settings) {
    this.settings = settings;
    this.agentGpus = countGpus();
  }

  /** The state of one attempt that the coordinator may want to stop. */
  private static final class Running {
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    private boolean killed;
    private Thread worker;
    private Process process;
    private String containerName;

    synchronized boolean attach(Process p, String name) {
      process = p;
      containerName = name;
      return !killed;
    }

    synchronized void end() {
      worker = null;
      ended.countDown();
    }
  }

  /** The run is being canceled: a task that a signal ends now ends CANCELED. Thread-safe. */
  public void canceling() {
    canceling = true;
  }

  /**
   * {@link #kill}, then waits up to {@code grace} for the attempt to end. False when it is still
   * busy in the runner's own work (no process to kill, e.g. a long placeholder expansion or hashing
   * a huge output): the caller then ends the attempt CANCELED without waiting, and its late result
   * is ignored. Called on a worker thread.
   */
  public boolean stop(String nodeId, java.time.Duration grace) throws InterruptedException {
    Running r = killAttempt(nodeId);
    synchronized (r) {
      if (r.worker == null && r.process == null) {
        return true; // not started (it will see the kill) or already over
      }
    }
    return r.ended.await(grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Asks the attempt of {@code nodeId} to stop: its process tree dies, or it never starts. */
  public void kill(String nodeId) {
    killAttempt(nodeId);
  }

  private Running killAttempt(String nodeId) {
    Running r = running.computeIfAbsent(nodeId, k -> new Running());
    Process process;
    String container;
    synchronized (r) {
      r.killed = true;
      process = r.process;
      container = r.containerName;
      if (r.worker != null) {
        // Ends a wait (a venv being made) or the runner's own long work (hashing an output); a
        // running process is destroyed below, and its wait ends with it.
        r.worker.interrupt();
      }
    }
    if (container != null) {
      try { // the docker/podman client dying does not stop its container
        Processes.run(List.of(settings.engine().command(), "kill", container), null, Map.of(),
            java.time.Duration.ofSeconds(30), "stopping container " + container);
      } catch (IOException | KfpException e) {
        settings.directory().log("[" + nodeId + "] -- cannot stop container " + container + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (process != null) {
      Processes.destroyTree(process.toHandle());
    }
    return r;
  }

  /** Runs one attempt; never throws, every failure is an outcome. Called on a worker thread. */
  public Outcome run(Node node, PipelineTaskSpec task, Scopes.Inputs inputs) {
    Running handle = running.computeIfAbsent(node.id(), k -> new Running());
    synchronized (handle) {
      if (handle.killed) {
        running.remove(node.id());
        handle.end();
        return Outcome.canceled(null, List.of());
      }
      handle.worker = Thread.currentThread();
    }
    try {
      ExecutorSpec executor = settings.plan().executor(node.componentName())
          .orElseThrow(() -> new IllegalStateException("no executor for " + node.componentName()));
      if (executor.hasImporter()) {
        return importArtifact(node, executor.getImporter(), inputs);
      }
      return runContainer(node, task, executor.getContainer(), inputs, handle);
    } catch (InterruptedException | java.nio.channels.ClosedByInterruptException
        | java.util.concurrent.CancellationException e) {
      // Interrupted only by kill: the attempt was canceled. The pool thread is reused, so the
      // interrupt is not kept (see the finally block).
      return Outcome.canceled(null, List.of());
    } catch (UnsafePathException e) {
      return Outcome.failed(null, e.getMessage(), List.of());
    } catch (PythonEnvironmentException e) {
      return Outcome.failed(null, "cannot prepare its Python environment: " + e.getMessage(), List.of());
    } catch (IOException | RuntimeException e) {
      return Outcome.failed(null, e.getClass().getSimpleName() + ": " + e.getMessage(), List.of());
    } finally {
      running.remove(node.id());
      handle.end();
      Thread.interrupted(); // a kill's interrupt belongs to this attempt, not to the pool thread's next task
    }
  }

  private Outcome importArtifact(Node node, ImporterSpec importer, Scopes.Inputs inputs)
      throws IOException, UnsafePathException {
    ComponentSpec component = settings.plan().component(node.componentName());
    String uri = importer.getArtifactUri().hasConstant()
        ? JsonValues.text(JsonValues.of(importer.getArtifactUri().getConstant()))
        : JsonValues.text(inputs.parameters().get(importer.getArtifactUri().getRuntimeParameter()));
    if (uri == null || uri.isBlank() || uri.equals("null")) {
      return Outcome.failed(null, "the importer has no artifact URI", List.of());
    }
    Map<String, JsonNode> metadata = new LinkedHashMap<>();
    ExecutorInputs.Prepared prepared = ExecutorInputs.prepare(component, inputs, context(node));
    JsonValues.map(JsonValues.of(importer.getMetadata())).forEach((k, v) -> metadata.put(
        ExecutorInputs.substitute(k, prepared),
        v.isTextual() ? JsonValues.JSON.getNodeFactory().textNode(ExecutorInputs.substitute(v.textValue(), prepared)) : v));
    String output = component.getOutputDefinitions().getArtifactsMap().keySet().stream().findFirst().orElse("artifact");
    Artifact artifact = measure(new Artifact(output, importer.getTypeSchema().getSchemaTitle(),
        importer.getTypeSchema().getSchemaVersion(), uri, metadata, -1, null, node.id()));
    List<String> lines = new ArrayList<>();
    lines.add("imported " + artifact.schemaTitle() + " " + uri);
    if (artifact.localPath() != null && artifact.size() < 0) {
      lines.add("warning: " + artifact.localPath() + " does not exist on this machine");
    }
    lines.forEach(l -> settings.directory().log("[" + node.id() + "] " + l));
    return new Outcome(RuntimeState.SUCCEEDED, false, null, null, Map.of(), Map.of(output, List.of(artifact)), lines);
  }

  private ExecutorInputs.Context context(Node node) throws UnsafePathException {
    RunValues run = settings.plan().run().orElseGet(() -> new RunValues(settings.plan().pipelineName(),
        settings.runId(), settings.createdAt(), settings.directory().path()));
    return new ExecutorInputs.Context(run, settings.directory().pipelineRoot(), node.id(), node.name(),
        node.parentId(), settings.directory().taskDirectory(node.id()));
  }

  private Outcome runContainer(Node node, PipelineTaskSpec task, PipelineContainerSpec container,
      Scopes.Inputs inputs, Running handle)
      throws IOException, InterruptedException, PythonEnvironmentException, UnsafePathException {
    Optional<String> stub = backendOperation(container.getImage());
    if (stub.isPresent()) {
      return Outcome.failed(null, stub.get(), List.of());
    }
    ComponentSpec component = settings.plan().component(node.componentName());
    Path taskDir = settings.directory().taskDirectory(node.id());
    ExecutorInputs.Prepared prepared = ExecutorInputs.prepare(component, inputs, context(node));
    checkOutputPaths(node, component, taskDir, prepared); // before anything below creates or deletes
    Path scratch = taskDir.resolve(".tmp");
    if (Files.isSymbolicLink(scratch)) {
      Files.delete(scratch); // a link left by the task: TMPDIR must not lead out of the run
    }
    Files.createDirectories(scratch);
    String prefix = "[" + node.id() + "] ";

    String fingerprint = TaskCache.fingerprint(node.componentName(), task.getCachingOptions().getCacheKey(),
        component, container, prepared.inputs());
    boolean cacheable = task.getCachingOptions().getEnableCache();
    if (cacheable && !settings.noCache() && settings.cache() != null) {
      Optional<Outcome> hit = settings.cache().lookup(fingerprint, node.id());
      if (hit.isPresent()) {
        return hit.get();
      }
    }
    if (node.attempts() <= 1) {
      for (String note : notes(node, container, prepared)) {
        settings.directory().log(prefix + "-- " + note);
      }
    }
    Optional<String> gpuProblem = gpuProblem(container, prepared);
    if (gpuProblem.isPresent() && settings.strictResources()) {
      return Outcome.failed(null, gpuProblem.get() + " (--strict-resources)", List.of());
    }

    // Outputs of an earlier attempt must not leak into this one.
    Files.deleteIfExists(prepared.outputFile());
    for (Path file : prepared.outputParameterFiles().values()) {
      Files.deleteIfExists(file);
    }
    // The one file of the run that holds secret parameter values unmasked: readable by its owner only.
    RunFiles.write(taskDir.resolve("executor_input.json"), prepared.json(), RunFiles.Mode.PRIVATE);
    if (usesWorkspace(container, prepared)) {
      Files.createDirectories(prepared.context().workspace()); // the run's shared workspace, made on first use
    }

    List<String> command = new ArrayList<>(container.getCommandList());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PYTHONUNBUFFERED", "1"); // live logs: Python flushes each line
    env.put("TMPDIR", taskDir.resolve(".tmp").toString());
    for (var e : container.getEnvList()) {
      env.put(e.getName(), ExecutorInputs.substitute(e.getValue(), prepared));
    }
    List<String> argv;
    String containerName = null;
    if (settings.engine() == Engine.LOCAL) {
      if (PipLines.isLightweightPython(command)) {
        PythonEnvironments.Prepared python = preparePython(node, command);
        command = new ArrayList<>(python.command());
        // The shared venv is never the task's own: what the task installs goes to its private one.
        Path own = PythonEnvironments.privateEnvironment(python.venv(), taskDir.resolve(".tmp").resolve("venv"));
        env.put("VIRTUAL_ENV", own.toString());
        env.put("PATH", own.resolve("bin") + java.io.File.pathSeparator + python.venv().bin()
            + java.io.File.pathSeparator + System.getenv().getOrDefault("PATH", ""));
      }
      List<String> all = new ArrayList<>(command);
      all.addAll(container.getArgsList());
      argv = ExecutorInputs.commandLine(all, prepared);
      if (argv.isEmpty()) {
        return Outcome.failed(null, "its container (image " + container.getImage() + ") has no command to run"
            + " on this machine; use --engine docker or --engine podman to run the image's entrypoint", List.of());
      }
      Optional<String> missing = missingProgram(argv.get(0), env.getOrDefault("PATH", System.getenv("PATH")));
      if (missing.isPresent()) {
        return Outcome.failed(null, "image " + container.getImage() + ": " + missing.get(), List.of());
      }
    } else {
      Optional<String> tool = which(settings.engine().command(), System.getenv("PATH"));
      if (tool.isEmpty()) {
        return Outcome.failed(null, "image " + container.getImage() + ": --engine " + settings.engine().command()
            + " was asked for, but '" + settings.engine().command() + "' is not installed on this machine", List.of());
      }
      List<String> all = new ArrayList<>(command);
      all.addAll(container.getArgsList());
      List<String> resolved = ExecutorInputs.commandLine(all, prepared);
      containerName = "kfpci-" + PythonEnvironments.sha256(settings.runId() + "/" + node.id() + "/" + node.attempts())
          .substring(0, 16);
      argv = containerCommand(tool.get(), containerName, container.getImage(), resolved, env, prepared, taskDir);
    }

    // The task's own directory is its working directory: a relative path it writes stays in the run.
    ProcessBuilder builder = new ProcessBuilder(argv).directory(taskDir.toFile()).redirectErrorStream(true);
    builder.environment().clear();
    // A container engine's client needs this machine's settings to reach its daemon; the container
    // itself gets only the -e variables of containerCommand.
    builder.environment().putAll(settings.engine() == Engine.LOCAL
        ? TaskEnvironment.base(System.getenv(), settings.inheritEnvironment()) : System.getenv());
    builder.environment().putAll(env);
    Path logFile = settings.directory().taskLog(node.id());
    Deque<String> tail = new ArrayDeque<>();
    try (BufferedWriter taskLog = RunFiles.append(logFile, RunFiles.Mode.SHARED)) {
      if (node.attempts() > 1) {
        taskLog.write("--- attempt " + node.attempts() + " ---\n");
      }
      Process process;
      long spawned = System.nanoTime();
      try {
        process = builder.start();
      } catch (IOException e) {
        return Outcome.failed(null, "cannot start '" + argv.get(0) + "': " + e.getMessage(), List.of());
      }
      process.getOutputStream().close();
      if (!handle.attach(process, containerName)) {
        Processes.destroyTree(process.toHandle());
        return Outcome.canceled(null, List.of());
      }
      writeAttempt(taskDir, process.toHandle(), -1);
      try {
        pump(process.getInputStream(), prefix, taskLog, tail);
        int exit = process.waitFor();
        writeAttempt(taskDir, process.toHandle(), (System.nanoTime() - spawned) / 1_000_000);
        synchronized (handle) {
          if (handle.killed) {
            return Outcome.canceled(exit, List.copyOf(tail));
          }
        }
        if (Outcome.isCancelSignal(exit) && canceledMeanwhile()) {
          return Outcome.canceled(exit, List.copyOf(tail)); // the run's SIGTERM reached the task too
        }
        if (exit != 0) {
          return Outcome.failed(exit, "with exit code " + exit, List.copyOf(tail));
        }
      } catch (InterruptedException e) {
        Processes.destroyTree(process.toHandle());
        throw e;
      }
    }
    deleteQuietly(taskDir.resolve(".tmp"));
    Outcome outcome;
    try {
      outcome = readOutputs(node, component, prepared, List.copyOf(tail));
    } catch (IllegalArgumentException | UnsafePathException e) {
      return Outcome.failed(0, e.getMessage(), List.copyOf(tail));
    }
    synchronized (handle) {
      if (handle.killed) { // canceled while its outputs were read: not a result to keep or cache
        return Outcome.canceled(0, List.copyOf(tail));
      }
    }
    if (cacheable && settings.cache() != null) {
      if (holdsSecret(outcome)) {
        settings.directory().log(prefix + "-- not cached: its outputs hold a secret parameter value");
      } else {
        settings.cache().store(fingerprint, outcome, node.id(), settings.runId());
      }
    }
    return outcome;
  }

  /**
   * Whether a task can reach the run's workspace: its command names the placeholder, an input holds
   * the resolved path (a constant with {@code {{$.workspace_path}}}, or a value passed on from one),
   * or the pipeline asks for a workspace, which a cluster then mounts into every task.
   */
  private boolean usesWorkspace(PipelineContainerSpec container, ExecutorInputs.Prepared prepared) {
    String placeholder = "{{$.workspace_path}}";
    if (container.getArgsList().stream().anyMatch(a -> a.contains(placeholder))
        || container.getCommandList().stream().anyMatch(a -> a.contains(placeholder))) {
      return true;
    }
    String workspace = prepared.context().workspace().toString();
    if (prepared.inputs().parameters().values().stream()
        .anyMatch(v -> v.isTextual() && v.textValue().contains(workspace))) {
      return true;
    }
    return settings.plan().document().platform().getPlatformsMap().values().stream()
        .anyMatch(p -> p.getPipelineConfig().hasWorkspace());
  }

  /** Whether an outcome's parameters or artifact metadata hold a secret value (a cache entry would keep it). */
  private boolean holdsSecret(Outcome outcome) {
    Secrets secrets = settings.directory().secrets();
    if (secrets.isEmpty()) {
      return false;
    }
    return secrets.appearsIn(JsonValues.write(JsonValues.object(outcome.outputParameters())))
        || outcome.outputArtifacts().values().stream().flatMap(List::stream)
            .anyMatch(a -> secrets.appearsIn(a.uri()) || secrets.appearsIn(JsonValues.write(JsonValues.object(a.metadata()))));
  }

  /**
   * Whether the run is being canceled, waiting a moment for it: a signal sent to the process group
   * ends the task at the same moment as it reaches the runner.
   */
  private boolean canceledMeanwhile() throws InterruptedException {
    long deadline = System.nanoTime() + SIGNAL_GRACE.toNanos();
    while (!canceling && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return canceling;
  }

  /**
   * Every output file and directory of the attempt is a plain name inside its task directory,
   * checked here, by name, whatever built the paths and whether or not the pipeline was validated.
   */
  private static void checkOutputPaths(Node node, ComponentSpec component, Path taskDir,
      ExecutorInputs.Prepared prepared) throws UnsafePathException {
    String of = " of component '" + node.componentName() + "' (task '" + node.id() + "')";
    for (Map.Entry<String, Path> e : prepared.outputParameterFiles().entrySet()) {
      checkOutput(taskDir, e.getKey(), e.getValue(), "output parameter name" + of);
    }
    for (Map.Entry<String, Artifact> e : prepared.outputArtifacts().entrySet()) {
      Path local = e.getValue().localPath();
      checkOutput(taskDir, e.getKey(), local == null ? Path.of(e.getValue().uri()) : local,
          "output artifact name" + of);
    }
    RunPaths.inside(taskDir, prepared.outputFile(), "executor output file" + of, prepared.outputFile().toString());
  }

  private static void checkOutput(Path taskDir, String name, Path built, String field) throws UnsafePathException {
    Path expected = RunPaths.child(taskDir, name, field);
    if (RunPaths.RESERVED_IN_TASK_DIRECTORY.contains(name)) {
      throw new UnsafePathException(field, name, "is the name of a file the runner keeps in the task directory;"
          + " rename the output");
    }
    RunPaths.inside(taskDir, built, field, name);
    if (!built.toAbsolutePath().normalize().equals(expected)) {
      throw new UnsafePathException(field, name, "does not name a file directly in the task directory " + taskDir);
    }
  }

  private PythonEnvironments.Prepared preparePython(Node node, List<String> command)
      throws PythonEnvironmentException, InterruptedException {
    // A first use installs packages for a minute or so; say so if it takes long.
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS).execute(() -> {
      if (!done.get()) {
        settings.directory().log("[" + node.id() + "] -- preparing its Python environment (first use of this"
            + " package set; later tasks and runs reuse it)");
      }
    });
    try {
      return settings.python().prepare(command);
    } finally {
      done.set(true);
    }
  }

  /** The current attempt's process: pid, start time and, once it ended, how long it ran. */
  public static final String ATTEMPT_FILE = ".attempt.json";

  /** Removes a scratch directory (the component's temporary files); what cannot go, stays. */
  private static void deleteQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // Scratch space only; the next attempt or a later clean-up may remove it.
    }
  }

  /**
   * Remembers the attempt's process: its pid and start time, so a resumed run can stop what a
   * killed runner left behind (the start time tells a reused pid from the original process), and
   * when it ended, its wall time from spawn to exit ({@code process_ms}; -1 while running), which
   * the benchmark subtracts from the task's time to get the runner's own overhead.
   */
  private static void writeAttempt(Path taskDir, ProcessHandle process, long processMillis) throws IOException {
    var node = JsonValues.JSON.createObjectNode();
    node.put("pid", process.pid());
    node.put("start", process.info().startInstant().map(Instant::toString).orElse(""));
    node.put("process_ms", processMillis);
    RunFiles.write(taskDir.resolve(ATTEMPT_FILE), JsonValues.write(node) + "\n", RunFiles.Mode.SHARED);
  }

  /** Stops the process an interrupted run left running in {@code taskDir}; returns its pid if it did. */
  public static Optional<Long> stopLeftover(Path taskDir) {
    Path file = taskDir.resolve(ATTEMPT_FILE);
    try {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      JsonNode attempt = JsonValues.JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
      long pid = attempt.path("pid").asLong(-1);
      String start = attempt.path("start").asText("");
      Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      if (handle.isEmpty() || start.isEmpty()
          || !handle.get().info().startInstant().map(Instant::toString).orElse("").equals(start)) {
        return Optional.empty();
      }
      Processes.destroyTree(handle.get());
      return Optional.of(pid);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Reads lines until the process closes its output; each goes to run.log and task.log. */
  private void pump(InputStream stream, String prefix, BufferedWriter taskLog, Deque<String> tail) throws IOException {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        line = settings.directory().secrets().mask(line);
        taskLog.write(line);
        taskLog.write('\n');
        taskLog.flush();
        settings.directory().log(prefix + line);
        if (tail.size() == TAIL_LINES) {
          tail.removeFirst();
        }
        tail.addLast(line);
      }
    }
  }

  /**
   * Outputs as the launcher collects them: executor_output.json (parameter values and artifact
   * metadata, e.g. logged metrics), then any parameter output files, which win.
   */
  private Outcome readOutputs(Node node, ComponentSpec component, ExecutorInputs.Prepared prepared, List<String> tail)
      throws IOException, UnsafePathException {
    Map<String, ComponentOutputsSpec.ParameterSpec> parameterSpecs = component.getOutputDefinitions().getParametersMap();
    Map<String, JsonNode> parameters = new LinkedHashMap<>();
    Map<String, JsonNode> reportedArtifacts = new LinkedHashMap<>();
    if (Files.isRegularFile(prepared.outputFile())) {
      JsonNode output;
      try {
        output = JsonValues.JSON.readTree(Files.readString(prepared.outputFile(), StandardCharsets.UTF_8));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException("its executor output " + prepared.outputFile() + " is not JSON: "
            + e.getOriginalMessage());
      }
      output.path("parameterValues").fields().forEachRemaining(e -> {
        ComponentOutputsSpec.ParameterSpec spec = parameterSpecs.get(e.getKey());
        parameters.put(e.getKey(), spec == null ? e.getValue() : JsonValues.typed(e.getValue(), spec.getParameterType()));
      });
      output.path("artifacts").fields().forEachRemaining(e -> reportedArtifacts.put(e.getKey(), e.getValue()));
    }
    for (Map.Entry<String, Path> e : prepared.outputParameterFiles().entrySet()) {
      if (Files.isRegularFile(e.getValue())) {
        String text = Files.readString(e.getValue(), StandardCharsets.UTF_8);
        try {
          parameters.put(e.getKey(), JsonValues.readOutputFile(text, parameterSpecs.get(e.getKey()).getParameterType()));
        } catch (IllegalArgumentException ex) {
          throw new IllegalArgumentException("output parameter '" + e.getKey() + "' " + ex.getMessage());
        }
      }
    }
    Map<String, List<Artifact>> artifacts = new LinkedHashMap<>();
    for (Map.Entry<String, Artifact> e : prepared.outputArtifacts().entrySet()) {
      Artifact provisioned = e.getValue();
      JsonNode reported = reportedArtifacts.get(e.getKey());
      List<Artifact> list = new ArrayList<>();
      if (reported != null && reported.path("artifacts").size() > 0) {
        for (JsonNode a : reported.path("artifacts")) {
          String uri = a.hasNonNull("uri") && !a.get("uri").asText().isEmpty() ? a.get("uri").asText() : provisioned.uri();
          // The task wrote this file: it is as untrusted as the pipeline. A local URI stays in the run.
          RunPaths.artifactUri(uri, settings.directory().path(), "artifact URI of output '" + e.getKey()
              + "' in " + ExecutorInputs.EXECUTOR_OUTPUT);
          checkTarget(uri, "artifact URI of output '" + e.getKey() + "' in " + ExecutorInputs.EXECUTOR_OUTPUT);
          list.add(measure(new Artifact(provisioned.name(), provisioned.schemaTitle(), provisioned.schemaVersion(),
              uri, JsonValues.map(a.path("metadata")), -1, null, node.id())));
        }
      } else {
        checkTarget(provisioned.uri(), "output artifact '" + e.getKey() + "'");
        list.add(measure(provisioned));
      }
      artifacts.put(e.getKey(), list);
    }
    return new Outcome(RuntimeState.SUCCEEDED, false, 0, null, parameters, artifacts, tail);
  }

  /**
   * A local output the task left may be a link; what it finally names must still be inside the
   * run (else the runner would hash, and later tasks read or mount, a file of this machine).
   */
  private void checkTarget(String uri, String field) throws IOException, UnsafePathException {
    Path local = new Artifact("x", "x", "", uri, Map.of(), -1, null, "x").localPath();
    if (local != null && Files.exists(local)) {
      Path real = local.toRealPath();
      if (!real.startsWith(settings.directory().path().toRealPath())) {
        throw new UnsafePathException(field, uri, "is a link to " + real + ", outside the run directory");
      }
    }
  }

  /** Beyond this many entries a directory artifact's size is left unknown (-1). */
  static final long MAX_MEASURED_ENTRIES = 100_000;

  /**
   * Size and sha256 of a local artifact file; total size for a directory; -1 when absent, remote or
   * not a regular file (a device or a FIFO would never end).
   */
  static Artifact measure(Artifact artifact) throws IOException {
    Path path = artifact.localPath();
    if (path == null || !Files.exists(path) || !(Files.isRegularFile(path) || Files.isDirectory(path))) {
      return artifact.withFile(-1, null);
    }
    if (Files.isDirectory(path)) {
      // An importer may name any directory (even "/"): the walk is bounded, and stops on a cancel.
      try (Stream<Path> walk = Files.walk(path)) {
        long total = 0;
        long entries = 0;
        for (java.util.Iterator<Path> it = walk.iterator(); it.hasNext(); ) {
          Path p = it.next();
          if (++entries > MAX_MEASURED_ENTRIES) {
            return artifact.withFile(-1, null);
          }
          if (Thread.currentThread().isInterrupted()) {
            throw new java.io.InterruptedIOException("stopped measuring: the task was canceled");
          }
          if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            total += Files.size(p);
          }
        }
        return artifact.withFile(total, null);
      } catch (java.io.UncheckedIOException e) {
        return artifact.withFile(-1, null); // an unreadable subdirectory: size unknown
      }
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(path), sha())) {
      long size = transfer(in);
      return artifact.withFile(size, HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest()));
    }
  }

  /**
   * Reads to the end, stopping when the thread is interrupted: hashing a huge file is the kind of
   * CPU-bound step a cancel must not wait for.
   */
  private static long transfer(InputStream in) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      total += n;
      if (Thread.currentThread().isInterrupted()) {
        throw new java.io.InterruptedIOException("stopped hashing: the task was canceled");
      }
    }
    return total;
  }

  private static MessageDigest sha() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private List<String> containerCommand(String tool, String name, String image, List<String> resolved,
      Map<String, String> env, ExecutorInputs.Prepared prepared, Path taskDir) throws UnsafePathException {
    List<String> argv = new ArrayList<>(List.of(tool, "run", "--rm", "-i", "--name", name));
    // The same paths inside as outside: the ExecutorInput speaks in host paths.
    String root = settings.directory().pipelineRoot().toString();
    argv.addAll(List.of("-v", mountable(root, "the pipeline root") + ":" + root));
    for (Map.Entry<String, List<Artifact>> e : prepared.inputs().artifacts().entrySet()) {
      for (Artifact a : e.getValue()) {
        Path local = a.localPath();
        // An input from outside the pipeline root (a local importer URI) is mounted alone and
        // read-only: never its directory, which would hand the container its neighbours. A missing
        // one is not mounted (the engine would create it as an empty directory).
        if (local != null && !local.normalize().startsWith(settings.directory().pipelineRoot()) && Files.exists(local)) {
          String file = mountable(local.normalize().toString(), "input artifact '" + e.getKey() + "'");
          argv.addAll(List.of("-v", file + ":" + file + ":ro"));
        }
      }
    }
    argv.addAll(List.of("-w", taskDir.toString()));
    String uid = userIds();
    if (uid != null) {
      argv.addAll(List.of("--user", uid));
    }
    env.forEach((k, v) -> {
      if (!k.equals("TMPDIR")) {
        argv.addAll(List.of("-e", k + "=" + v));
      }
    });
    if (!resolved.isEmpty()) {
      argv.addAll(List.of("--entrypoint", resolved.get(0)));
    }
    argv.add(image);
    if (resolved.size() > 1) {
      argv.addAll(resolved.subList(1, resolved.size()));
    }
    return argv;
  }

  /** A host path as a -v volume source: the engine splits the option at ':' and ','. */
  private static String mountable(String path, String what) throws UnsafePathException {
    if (path.indexOf(':') >= 0 || path.indexOf(',') >= 0) {
      throw new UnsafePathException(what, path, "cannot be mounted into the container (':' and ',' separate"
          + " volume options); move or rename it, or use --engine local");
    }
    return path;
  }

  /** uid:gid of this process, so files a container writes stay the agent user's. */
  private static String userIds() {
    try {
      Object uid = Files.getAttribute(Path.of(System.getProperty("user.home")), "unix:uid");
      Object gid = Files.getAttribute(Path.of(System.getProperty("user.home")), "unix:gid");
      return uid + ":" + gid;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Why a task cannot run anywhere but on a KFP cluster: its image is one of the backend's stubs
   * ({@code argostub/*}, which kfp-kubernetes compiles CreatePVC and DeletePVC to). There is no
   * such image; the backend's driver recognises the name and performs the Kubernetes operation
   * itself, so neither this machine nor a container engine can stand in for it.
   */
  static Optional<String> backendOperation(String image) {
    if (!image.startsWith("argostub/")) {
      return Optional.empty();
    }
    String operation = switch (image) {
      case "argostub/createpvc" -> "creates a PersistentVolumeClaim (kfp-kubernetes CreatePVC)";
      case "argostub/deletepvc" -> "deletes a PersistentVolumeClaim (kfp-kubernetes DeletePVC)";
      default -> "performs a Kubernetes operation";
    };
    return Optional.of("image " + image + " is not a real image: on a cluster the KFP backend's driver itself "
        + operation + ". It needs a KFP cluster; no --engine runs it on this machine. Run the pipeline on KFP,"
        + " or leave the Kubernetes volume steps out of the pipeline you run locally.");
  }

  /** Why a command's program cannot run here, or empty when it can. */
  static Optional<String> missingProgram(String program, String path) {
    if (program.contains("/")) {
      Path p = Path.of(program);
      return Files.isExecutable(p) ? Optional.empty()
          : Optional.of("program '" + program + "' does not exist on this machine; use --engine docker or"
              + " --engine podman to run the task in its image");
    }
    return which(program, path).isPresent() ? Optional.empty()
        : Optional.of("program '" + program + "' is not on this machine's PATH; install it, or use --engine docker"
            + " or --engine podman to run the task in its image");
  }

  /** The program on this PATH, if any. */
  public static Optional<String> which(String program, String path) {
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    return Optional.empty();
  }

  /** What the task asks for that a local run does not apply: resources and Kubernetes settings. */
  private List<String> notes(Node node, PipelineContainerSpec container, ExecutorInputs.Prepared prepared) {
    List<String> notes = new ArrayList<>();
    notes.add("image " + container.getImage() + " (run " + (settings.engine() == Engine.LOCAL ? "on this machine"
        : "with " + settings.engine().command()) + ")");
    if (container.hasResources()) {
      var r = container.getResources();
      List<String> parts = new ArrayList<>();
      addResource(parts, "cpu request", r.getResourceCpuRequest(), r.getCpuRequest(), prepared);
      addResource(parts, "cpu limit", r.getResourceCpuLimit(), r.getCpuLimit(), prepared);
      addResource(parts, "memory request", r.getResourceMemoryRequest(), r.getMemoryRequest() > 0
          ? r.getMemoryRequest() : 0, prepared);
      addResource(parts, "memory limit", r.getResourceMemoryLimit(), r.getMemoryLimit(), prepared);
      gpuRequest(container, prepared).ifPresent(g -> parts.add("accelerator " + g.type() + " x" + g.count()
          + " (this machine has " + agentGpus + ")"));
      if (!parts.isEmpty()) {
        notes.add("resources not enforced locally: " + String.join(", ", parts));
      }
    }
    gpuProblem(container, prepared).ifPresent(p -> notes.add("warning: " + p));
    ComponentSpec component = settings.plan().component(node.componentName());
    KubernetesExecutorConfig k8s = settings.plan().document().kubernetesExecutors().get(component.getExecutorLabel());
    if (k8s != null) {
      List<String> fields = k8s.getAllFields().keySet().stream().map(Descriptors.FieldDescriptor::getName).toList();
      if (!fields.isEmpty()) {
        notes.add("Kubernetes settings apply on a cluster only: " + String.join(", ", fields));
      }
    }
    return notes;
  }

  private static void addResource(List<String> parts, String label, String value, double legacy,
      ExecutorInputs.Prepared prepared) {
    if (!value.isEmpty()) {
      parts.add(label + " " + ExecutorInputs.substitute(value, prepared));
    } else if (legacy > 0) {
      parts.add(label + " " + legacy);
    }
  }

  private record GpuRequest(String type, long count) {}

  private static Optional<GpuRequest> gpuRequest(PipelineContainerSpec container, ExecutorInputs.Prepared prepared) {
    if (!container.getResources().hasAccelerator()) {
      return Optional.empty();
    }
    var a = container.getResources().getAccelerator();
    String type = a.getResourceType().isEmpty() ? a.getType() : ExecutorInputs.substitute(a.getResourceType(), prepared);
    long count = a.getCount();
    if (!a.getResourceCount().isEmpty()) {
      try {
        count = Long.parseLong(ExecutorInputs.substitute(a.getResourceCount(), prepared).strip());
      } catch (NumberFormatException e) {
        count = 1;
      }
    }
    return count > 0 ? Optional.of(new GpuRequest(type, count)) : Optional.empty();
  }

  private Optional<String> gpuProblem(PipelineContainerSpec container, ExecutorInputs.Prepared prepared) {
    return gpuRequest(container, prepared).filter(g -> g.count() > agentGpus)
        .map(g -> "it asks for " + g.count() + " " + g.type() + " but this machine has " + agentGpus);
  }

  /** NVIDIA devices of this machine (/dev/nvidia0, /dev/nvidia1, ...). */
  private static int countGpus() {
    try (Stream<Path> devices = Files.list(Path.of("/dev"))) {
      return (int) devices.filter(p -> p.getFileName().toString().matches("nvidia\\d+")).count();
    } catch (IOException | SecurityException e) {
      return 0;
    }
  }
}
