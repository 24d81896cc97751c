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

  /** Everything an attempt needs that does not change during a run. */
  public record Settings(Plan plan, RunDirectory directory, String runId, Instant createdAt, Engine engine,
      boolean noCache, boolean strictResources, Path workingDirectory, PythonEnvironments python, TaskCache cache) {
    public Settings {
      Objects.requireNonNull(plan, "plan");
      Objects.requireNonNull(directory, "directory");
      Objects.requireNonNull(engine, "engine");
      Objects.requireNonNull(workingDirectory, "workingDirectory");
    }
  }

  private final Settings settings;
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private final int agentGpus;

  public Executions(Settings settings) {
    this.settings = settings;
    this.agentGpus = countGpus();
  }

  /** The state of one attempt that the coordinator may want to stop. */
  private static final class Running {
    private boolean killed;
    private Process process;
    private String containerName;

    synchronized boolean attach(Process p, String name) {
      process = p;
      containerName = name;
      return !killed;
    }
  }

  /** Asks the attempt of {@code nodeId} to stop: its process tree dies, or it never starts. */
  public void kill(String nodeId) {
    Running r = running.computeIfAbsent(nodeId, k -> new Running());
    Process process;
    String container;
    synchronized (r) {
      r.killed = true;
      process = r.process;
      container = r.containerName;
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
  }

  /** Runs one attempt; never throws, every failure is an outcome. Called on a worker thread. */
  public Outcome run(Node node, PipelineTaskSpec task, Scopes.Inputs inputs) {
    Running handle = running.computeIfAbsent(node.id(), k -> new Running());
    synchronized (handle) {
      if (handle.killed) {
        running.remove(node.id());
        return Outcome.canceled(null, List.of());
      }
    }
    try {
      ExecutorSpec executor = settings.plan().executor(node.componentName())
          .orElseThrow(() -> new IllegalStateException("no executor for " + node.componentName()));
      if (executor.hasImporter()) {
        return importArtifact(node, executor.getImporter(), inputs);
      }
      return runContainer(node, task, executor.getContainer(), inputs, handle);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.canceled(null, List.of());
    } catch (PythonEnvironmentException e) {
      return Outcome.failed(null, "cannot prepare its Python environment: " + e.getMessage(), List.of());
    } catch (IOException | RuntimeException e) {
      return Outcome.failed(null, e.getClass().getSimpleName() + ": " + e.getMessage(), List.of());
    } finally {
      running.remove(node.id());
    }
  }

  private Outcome importArtifact(Node node, ImporterSpec importer, Scopes.Inputs inputs) throws IOException {
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

  private ExecutorInputs.Context context(Node node) {
    RunValues run = settings.plan().run().orElseGet(() -> new RunValues(settings.plan().pipelineName(),
        settings.runId(), settings.createdAt(), settings.directory().path()));
    return new ExecutorInputs.Context(run, settings.directory().pipelineRoot(), node.id(), node.name(),
        node.parentId(), settings.directory().taskDirectory(node.id()));
  }

  private Outcome runContainer(Node node, PipelineTaskSpec task, PipelineContainerSpec container,
      Scopes.Inputs inputs, Running handle) throws IOException, InterruptedException, PythonEnvironmentException {
    Optional<String> stub = backendOperation(container.getImage());
    if (stub.isPresent()) {
      return Outcome.failed(null, stub.get(), List.of());
    }
    ComponentSpec component = settings.plan().component(node.componentName());
    Path taskDir = settings.directory().taskDirectory(node.id());
    Files.createDirectories(taskDir.resolve(".tmp"));
    ExecutorInputs.Prepared prepared = ExecutorInputs.prepare(component, inputs, context(node));
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
    Files.writeString(taskDir.resolve("executor_input.json"), prepared.json(), StandardCharsets.UTF_8);
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
      argv = containerCommand(tool.get(), containerName, container.getImage(), resolved, env, prepared);
    }

    ProcessBuilder builder = new ProcessBuilder(argv).directory(settings.workingDirectory().toFile())
        .redirectErrorStream(true);
    builder.environment().putAll(env);
    Path logFile = settings.directory().taskLog(node.id());
    Deque<String> tail = new ArrayDeque<>();
    try (BufferedWriter taskLog = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
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
    } catch (IllegalArgumentException e) {
      return Outcome.failed(0, e.getMessage(), List.copyOf(tail));
    }
    if (cacheable && settings.cache() != null) {
      settings.cache().store(fingerprint, outcome, node.id(), settings.runId());
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
    Files.writeString(taskDir.resolve(ATTEMPT_FILE), JsonValues.write(node) + "\n", StandardCharsets.UTF_8);
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
      throws IOException {
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
          list.add(measure(new Artifact(provisioned.name(), provisioned.schemaTitle(), provisioned.schemaVersion(),
              uri, JsonValues.map(a.path("metadata")), -1, null, node.id())));
        }
      } else {
        list.add(measure(provisioned));
      }
      artifacts.put(e.getKey(), list);
    }
    return new Outcome(RuntimeState.SUCCEEDED, false, 0, null, parameters, artifacts, tail);
  }

  /** Size and sha256 of a local artifact file; total size for a directory; -1 when absent or remote. */
  static Artifact measure(Artifact artifact) throws IOException {
    Path path = artifact.localPath();
    if (path == null || !Files.exists(path)) {
      return artifact.withFile(-1, null);
    }
    if (Files.isDirectory(path)) {
      try (Stream<Path> walk = Files.walk(path)) {
        long total = 0;
        for (Path p : walk.filter(Files::isRegularFile).toList()) {
          total += Files.size(p);
        }
        return artifact.withFile(total, null);
      }
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(path), sha())) {
      long size = in.transferTo(java.io.OutputStream.nullOutputStream());
      return artifact.withFile(size, HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest()));
    }
  }

  private static MessageDigest sha() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private List<String> containerCommand(String tool, String name, String image, List<String> resolved,
      Map<String, String> env, ExecutorInputs.Prepared prepared) {
    List<String> argv = new ArrayList<>(List.of(tool, "run", "--rm", "-i", "--name", name));
    // The same paths inside as outside: the ExecutorInput speaks in host paths.
    String root = settings.directory().pipelineRoot().toString();
    argv.addAll(List.of("-v", root + ":" + root));
    for (List<Artifact> list : prepared.inputs().artifacts().values()) {
      for (Artifact a : list) {
        Path local = a.localPath();
        if (local != null && !local.startsWith(settings.directory().pipelineRoot()) && local.getParent() != null) {
          argv.addAll(List.of("-v", local.getParent() + ":" + local.getParent() + ":ro"));
        }
      }
    }
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
