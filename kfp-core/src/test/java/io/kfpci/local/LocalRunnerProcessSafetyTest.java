package io.kfpci.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kfpci.local.internal.IrFixtures;
import io.kfpci.local.internal.TaskEnvironment;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detached runner ({@link LocalRunnerMain}) in its own JVM, on hand-written shell pipelines:
 * a SIGTERM ends the run CANCELED promptly even while the runner itself is busy, a signal to the
 * whole process group cancels rather than fails the task, a second runner of a running run is
 * refused, tasks get the minimal environment, and a container engine mounts a local input alone.
 * Waits are deadlines (the condition is polled), never timed assertions.
 */
class LocalRunnerProcessSafetyTest {
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  @TempDir Path root;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopRunners() {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  private Process launch(String name, LocalRunSpec spec, Map<String, String> env, boolean ownSession)
      throws Exception {
    Path file = Files.writeString(root.resolve(name + ".json"), spec.toJson());
    List<String> command = new ArrayList<>();
    if (ownSession) {
      command.add("setsid"); // its own process group, as a CI job's runner would be
    }
    command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
        System.getProperty("java.class.path"), LocalRunnerMain.class.getName(), file.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(root.resolve(name + ".out").toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    started.add(process);
    return process;
  }

  private LocalRunSpec.Builder spec(Path pipeline, String runId) {
    return LocalRunSpec.builder().pipeline(pipeline).pipelineRoot(root.resolve("runs")).runId(runId).parallelism(2);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("gave up waiting (" + DEADLINE.toMinutes() + " min) for " + what);
      }
      Thread.sleep(100);
    }
  }

  private static boolean logHas(Path runDir, String line) {
    try {
      return Files.isRegularFile(runDir.resolve("run.log")) && Files.readAllLines(runDir.resolve("run.log")).contains(line);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private void exits(Process runner) throws Exception {
    assertThat(runner.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("the runner exits (output: %s)",
        root.resolve("*.out")).isTrue();
  }

  @Test
  void sigtermWhileTheRunnerHashesAHugeOutputEndsTheRunCanceledWithAFinalSummary() throws Exception {
    // A sparse terabyte: the task makes it at once, the runner would hash it for many minutes.
    Path pipeline = IrFixtures.write(root.resolve("src"), "hashing", List.of(), new IrFixtures.Task("hash", null,
        "big", List.of("sh", "-c", "truncate -s 1T \"$0\" && echo made", "{{$.outputs.artifacts['big'].path}}")));
    Process runner = launch("hashing", spec(pipeline, "r").build(), Map.of(), false);
    Path runDir = root.resolve("runs/hashing/r");
    await("the task to make its output", () -> logHas(runDir, "[hash] made") || logHas(runDir, "[run] -- FAILED"));
    Assumptions.assumeTrue(logHas(runDir, "[hash] made"), "this file system cannot make a sparse 1 TiB file");
    Thread.sleep(500); // the process has ended: the runner is reading the output now

    runner.destroy(); // SIGTERM
    exits(runner);

    RunSummary summary = RunSummaryJson.read(runDir.resolve("summary.json"));
    assertThat(summary.state()).isEqualTo(RuntimeState.CANCELED);
    assertThat(summary.finishedAt()).isNotNull();
    assertThat(LocalPipelines.task(summary, "hash").state()).isEqualTo(RuntimeState.CANCELED);
    assertThat(Files.readAllLines(runDir.resolve("run.log"))).contains("[hash] -- CANCELED", "[run] -- CANCELED");
  }

  private static boolean taskRunning(Path runDir, String id) {
    try {
      return Files.isRegularFile(runDir.resolve("summary.json")) && LocalPipelines.task(
          RunSummaryJson.read(runDir.resolve("summary.json")), id).state() == RuntimeState.RUNNING;
    } catch (io.kfpci.KfpException | AssertionError e) {
      return false;
    }
  }

  @Test
  void sigtermDuringALongPlaceholderExpansionEndsTheRunCanceledWithAFinalSummary() throws Exception {
    Path pipeline = IrFixtures.write(root.resolve("src"), "expansion", List.of("x"), new IrFixtures.Task("slow", null,
        null, List.of("sh", "-c", "sleep 600", "{{$.inputs.parameters['x'].json_escape[2000000000]}}")));
    Process runner = launch("expansion", spec(pipeline, "r").parameters(Map.of("x", "some \"text\"")).build(),
        Map.of(), false);
    Path runDir = root.resolve("runs/expansion/r");
    await("the task to start", () -> taskRunning(runDir, "slow") || !runner.isAlive());
    Assumptions.assumeTrue(runner.isAlive() || runner.exitValue() != 2, "the pipeline checks now refuse this"
        + " json_escape count before the run; PromptCancelTest covers the expansion at run time");
    Thread.sleep(500); // well into the expansion (minutes of it)

    runner.destroy(); // SIGTERM
    exits(runner);

    RunSummary summary = RunSummaryJson.read(runDir.resolve("summary.json"));
    assertThat(summary.state()).isEqualTo(RuntimeState.CANCELED);
    assertThat(summary.finishedAt()).isNotNull();
    assertThat(LocalPipelines.task(summary, "slow").state()).isEqualTo(RuntimeState.CANCELED);
  }

  /** The process group of a process started with setsid: its own pid, or the test would signal itself. */
  private static long ownGroup(Process process) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
    long group = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
    assertThat(group).as("setsid made the runner lead its own process group").isEqualTo(process.pid());
    return group;
  }

  @Test
  void sigtermToTheWholeProcessGroupCancelsTheRunAndTheTaskItKilledIsCanceledNotFailed() throws Exception {
    Path pipeline = IrFixtures.write(root.resolve("src"), "group", List.of(),
        IrFixtures.Task.shell("sleeper", "echo started; sleep 600"));
    Process runner = launch("group", spec(pipeline, "r").build(), Map.of(), true);
    Path runDir = root.resolve("runs/group/r");
    await("the task to start", () -> logHas(runDir, "[sleeper] started"));

    long group = ownGroup(runner);
    new ProcessBuilder("kill", "-TERM", "--", "-" + group).inheritIO().start().waitFor();
    exits(runner);

    RunSummary summary = RunSummaryJson.read(runDir.resolve("summary.json"));
    assertThat(summary.state()).isEqualTo(RuntimeState.CANCELED);
    assertThat(summary.error()).isEqualTo("canceled");
    assertThat(LocalPipelines.task(summary, "sleeper").state()).isEqualTo(RuntimeState.CANCELED);
    assertThat(LocalPipelines.task(summary, "sleeper").error()).isEqualTo("canceled");
    assertThat(Files.readString(runDir.resolve("run.log"))).doesNotContain("exit code 143", "FAILED");
  }

  @Test
  void resumingARunThatAnotherProcessIsRunningIsRefusedNamingThatProcess() throws Exception {
    Path pipeline = IrFixtures.write(root.resolve("src"), "busy", List.of(),
        IrFixtures.Task.shell("sleeper", "echo started; sleep 600"));
    Process runner = launch("busy", spec(pipeline, "r").build(), Map.of(), false);
    Path runDir = root.resolve("runs/busy/r");
    await("the task to start", () -> logHas(runDir, "[sleeper] started"));

    assertThatThrownBy(() -> LocalRunner.prepare(LocalRunSpec.builder().resume(runDir).build(), RunListener.NONE))
        .isInstanceOf(LocalRunException.class)
        .hasMessage("the run in " + runDir + " is in use by another process (pid " + runner.pid() + "), which holds"
            + " its lock (.lock); wait for that run to end, or cancel it (kill -TERM with its pid), then resume it"
            + " again with --resume " + runDir);
    assertThat(Files.readAllLines(runDir.resolve("run.log"))).doesNotContain("[run] -- resuming r: 0 finished"
        + " task(s) are kept, the rest run again");

    runner.destroy();
    exits(runner);
    LocalRunner resumed = LocalRunner.prepare(LocalRunSpec.builder().resume(runDir).build(), RunListener.NONE);
    resumed.cancel();
    assertThat(resumed.run().state()).as("once it is gone, the run resumes").isEqualTo(RuntimeState.CANCELED);
  }

  @Test
  void tasksGetAMinimalEnvironmentByDefaultAndTheWholeOneWithInheritEnv() throws Exception {
    String planted = "planted-" + UUID.randomUUID();
    Map<String, String> env = Map.of("AWS_SECRET_ACCESS_KEY", planted, "LC_MESSAGES", "C");
    Path pipeline = IrFixtures.write(root.resolve("src"), "env-check", List.of(),
        IrFixtures.Task.shell("dump", "env > env.txt"));

    Process minimal = launch("minimal", spec(pipeline, "minimal").build(), env, false);
    exits(minimal);
    assertThat(minimal.exitValue()).isZero();
    Path taskDir = root.resolve("runs/env-check/minimal/dump");
    List<String> lines = Files.readAllLines(taskDir.resolve("env.txt"));
    assertThat(lines).noneMatch(l -> l.contains(planted)).contains("LC_MESSAGES=C", "PYTHONUNBUFFERED=1",
        "TMPDIR=" + taskDir.resolve(".tmp"));
    assertThat(lines).anyMatch(l -> l.startsWith("PATH="));
    Set<String> shellOwn = Set.of("TMPDIR", "PYTHONUNBUFFERED", "PWD", "OLDPWD", "SHLVL", "_");
    assertThat(lines).allMatch(l -> {
      String name = l.substring(0, Math.max(0, l.indexOf('=')));
      return TaskEnvironment.isPassed(name) || shellOwn.contains(name);
    });

    Process inherited = launch("inherited", spec(pipeline, "inherited").inheritEnvironment(true).build(), env, false);
    exits(inherited);
    assertThat(Files.readAllLines(root.resolve("runs/env-check/inherited/dump/env.txt")))
        .contains("AWS_SECRET_ACCESS_KEY=" + planted);
  }

  @Test
  void aContainerEngineMountsALocalImporterFileAloneAndReadOnlyAndRunsInTheTaskDirectory() throws Exception {
    Path shared = Files.createDirectories(root.resolve("data/shared"));
    Path input = Files.writeString(shared.resolve("input.csv"), "a,b\n");
    Files.writeString(shared.resolve("neighbour-credentials"), "not for the container");
    Path bin = Files.createDirectories(root.resolve("bin"));
    Path args = root.resolve("docker-args.txt");
    Path docker = Files.writeString(bin.resolve("docker"), "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$FAKE_DOCKER_ARGS\"\n");
    docker.toFile().setExecutable(true);
    Path pipeline = Files.writeString(root.resolve("mounts.yaml"), MOUNTS.replace("INPUT", input.toString()));

    Process runner = launch("mounts", spec(pipeline, "r").engine(Engine.DOCKER).build(),
        Map.of("PATH", bin + ":" + System.getenv("PATH"), "FAKE_DOCKER_ARGS", args.toString()), false);
    exits(runner);

    assertThat(runner.exitValue()).as(Files.readString(root.resolve("mounts.out"))).isZero();
    List<String> argv = Files.readAllLines(args);
    int mount = argv.indexOf(input + ":" + input + ":ro");
    assertThat(mount).as("the file is mounted alone, read-only: %s", argv).isPositive();
    assertThat(argv.get(mount - 1)).isEqualTo("-v");
    assertThat(argv).noneMatch(a -> a.startsWith(shared + ":") || a.startsWith(shared + "/:"));
    int workdir = argv.indexOf("-w");
    assertThat(argv.get(workdir + 1)).isEqualTo(root.resolve("runs/mounts/r/use").toString());
  }

  private static final String MOUNTS = """
      components:
        comp-importer:
          executorLabel: exec-importer
          inputDefinitions:
            parameters:
              uri:
                parameterType: STRING
          outputDefinitions:
            artifacts:
              artifact:
                artifactType:
                  schemaTitle: system.Dataset
                  schemaVersion: 0.0.1
        comp-use:
          executorLabel: exec-use
          inputDefinitions:
            artifacts:
              data:
                artifactType:
                  schemaTitle: system.Dataset
                  schemaVersion: 0.0.1
      deploymentSpec:
        executors:
          exec-importer:
            importer:
              artifactUri:
                constant: INPUT
              typeSchema:
                schemaTitle: system.Dataset
                schemaVersion: 0.0.1
          exec-use:
            container:
              command:
              - cat
              - '{{$.inputs.artifacts[''data''].path}}'
              image: docker.io/library/alpine:3
      pipelineInfo:
        name: mounts
      root:
        dag:
          tasks:
            importer:
              componentRef:
                name: comp-importer
              inputs:
                parameters:
                  uri:
                    runtimeValue:
                      constant: INPUT
              taskInfo:
                name: importer
            use:
              componentRef:
                name: comp-use
              dependentTasks:
              - importer
              inputs:
                artifacts:
                  data:
                    taskOutputArtifact:
                      outputArtifactKey: artifact
                      producerTask: importer
              taskInfo:
                name: use
      schemaVersion: 2.1.0
      sdkVersion: kfp-2.14.6
      """;
}
