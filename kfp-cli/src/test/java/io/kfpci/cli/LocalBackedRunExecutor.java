package io.kfpci.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfpci.KfpException;
import io.kfpci.emulator.RunExecutor;
import io.kfpci.emulator.RunSubmission;
import io.kfpci.emulator.RuntimeState;
import io.kfpci.emulator.WorkflowNode;
import io.kfpci.emulator.WorkflowReport;
import io.kfpci.emulator.WorkflowReporter;
import io.kfpci.local.LocalRunSpec;
import io.kfpci.local.LocalRunner;
import io.kfpci.local.RunListener;
import io.kfpci.report.RunSummary;
import io.kfpci.report.TaskSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A {@link RunExecutor} that runs each submitted pipeline for real with kfp-core's local runner,
 * and plays the rest of a KFP cluster around it: as each task ends, it has the {@link Launcher}
 * publish what the KFP launcher would (artifacts, ML Metadata records, the task's pod and log),
 * and only then reports the task's state to the emulator, the way the persistence agent sees a
 * workflow whose pods have finished. So whatever a watcher reads for a task in the emulator is
 * already in the store, the object store and the cluster.
 *
 * <p>Threads: {@link #submit} starts the run on its own thread ({@code local-run-<id>}), which
 * becomes the local runner's coordinator; every summary the runner emits is handed to one
 * publishing thread, which publishes and reports in the order the summaries came. A run whose
 * publishing failed is reported FAILED and its {@link #finished} future fails with the cause.
 * Retry is not supported (a local run that failed is not resumed); terminate cancels the local run.
 */
final class LocalBackedRunExecutor implements RunExecutor {
  /**
   * What the KFP driver and launcher publish, called on the publishing thread, in run order: a DAG
   * before the tasks inside it, a task after its process ended, the run's end last.
   */
  interface Launcher {
    void runStarted(StartedRun run) throws IOException;

    void dagStarted(StartedRun run, TaskSummary dag) throws IOException;

    /** A container task ended; {@code podName} is the executor pod the workflow reports for it. */
    void containerEnded(StartedRun run, TaskSummary task, String podName) throws IOException;

    void dagEnded(StartedRun run, TaskSummary dag) throws IOException;

    void runEnded(StartedRun run, RunSummary summary) throws IOException;
  }

  /**
   * A run as the launcher sees it.
   *
   * @param submission what the emulator accepted
   * @param pipelineName {@code pipelineInfo.name} of its spec
   * @param runDirectory the local run's directory (outputs and task.log files)
   */
  record StartedRun(RunSubmission submission, String pipelineName, Path runDirectory) {
    String runId() {
      return submission.runId();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path workDirectory;
  private final Launcher launcher;
  private final ExecutorService publishing = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "local-run-publisher");
    thread.setDaemon(true);
    return thread;
  });
  private final Map<String, CompletableFuture<RunSummary>> finished = new ConcurrentHashMap<>();
  private final Map<String, LocalRunner> runners = new ConcurrentHashMap<>();
  private volatile WorkflowReporter reporter;

  /**
   * @param workDirectory where the local runs live ({@code runs/<pipeline>/<run id>/}) and their
   *     pipeline files are written
   */
  LocalBackedRunExecutor(Path workDirectory, Launcher launcher) {
    this.workDirectory = Objects.requireNonNull(workDirectory, "workDirectory");
    this.launcher = Objects.requireNonNull(launcher, "launcher");
  }

  /** The local run's final summary, once every task of it was published and the end reported. */
  CompletableFuture<RunSummary> finished(String runId) {
    return finished.computeIfAbsent(runId, id -> new CompletableFuture<>());
  }

  /** Where the local runs live: {@code <root>/<pipeline>/<run id>/}. */
  Path runsRoot() {
    return workDirectory.resolve("runs");
  }

  @Override
  public void attach(WorkflowReporter reporter) {
    this.reporter = reporter;
  }

  @Override
  public void submit(RunSubmission run) {
    CompletableFuture<RunSummary> done = finished(run.runId());
    Thread thread = new Thread(() -> execute(run, done), "local-run-" + run.runId());
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void terminate(String runId) {
    LocalRunner runner = runners.get(runId);
    if (runner != null) {
      runner.cancel(); // the run ends CANCELED; its summary is reported FAILED, as a 2.17 server does
    }
  }

  @Override
  public void retry(String runId) {
    // Not supported: the end-to-end tests never retry; the run simply stays as the server set it.
  }

  @Override
  public void close() {
    runners.values().forEach(LocalRunner::cancel);
    publishing.shutdown();
    try {
      publishing.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void execute(RunSubmission run, CompletableFuture<RunSummary> done) {
    try {
      Path pipeline = writePipeline(run);
      Map<String, String> parameters = new LinkedHashMap<>();
      run.parameters().properties().forEach(e -> parameters.put(e.getKey(),
          e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
      Workflow workflow = new Workflow(run);
      LocalRunner runner = LocalRunner.prepare(LocalRunSpec.builder().pipeline(pipeline).parameters(parameters)
          .pipelineRoot(runsRoot()).runId(run.runId()).noCache(true).parallelism(2).build(), new RunListener() {
            @Override
            public void summary(RunSummary summary) {
              // The runner's coordinator must not wait on publishing: hand the snapshot over.
              publishing.execute(() -> workflow.advance(summary, done));
            }
          });
      workflow.started = new StartedRun(run, runner.pipelineName(), runner.runDirectory());
      runners.put(run.runId(), runner);
      RunSummary last;
      try {
        last = runner.run();
      } finally {
        runners.remove(run.runId());
      }
      publishing.execute(() -> workflow.end(last, done));
    } catch (KfpException | IOException | RuntimeException e) {
      done.completeExceptionally(e);
      reporter.report(run.runId(), new WorkflowReport(RuntimeState.FAILED, List.of()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      done.completeExceptionally(e);
    }
  }

  private Path writePipeline(RunSubmission run) throws IOException {
    Path dir = Files.createDirectories(workDirectory.resolve("pipelines"));
    // JSON is YAML: the spec, then the platform spec as the second document when there is one.
    StringBuilder text = new StringBuilder(JSON.writeValueAsString(run.pipelineSpec())).append('\n');
    if (run.platformSpec().isPresent()) {
      text.append("---\n").append(JSON.writeValueAsString(run.platformSpec().get())).append('\n');
    }
    return Files.writeString(dir.resolve(run.runId() + ".yaml"), text);
  }

  /** The Argo workflow of one run, as the publishing thread builds it from the local summaries. */
  private final class Workflow {
    private final RunSubmission run;
    private final Map<String, String> nodeIds = new HashMap<>();
    private final Set<String> dagsStarted = new HashSet<>();
    private final Set<String> published = new HashSet<>();
    volatile StartedRun started;
    private boolean runStarted;
    private boolean failed;

    Workflow(RunSubmission run) {
      this.run = run;
    }

    /** One summary: publish what has started or ended since the last, then report the workflow. */
    void advance(RunSummary summary, CompletableFuture<RunSummary> done) {
      if (failed) {
        return;
      }
      try {
        publish(summary);
        reporter.report(run.runId(), report(summary, false));
      } catch (IOException | RuntimeException e) {
        fail(e, done);
      }
    }

    /** The run's end: everything is published, then the terminal state is reported. */
    void end(RunSummary summary, CompletableFuture<RunSummary> done) {
      if (failed) {
        return;
      }
      try {
        publish(summary);
        launcher.runEnded(started, summary);
        reporter.report(run.runId(), report(summary, true));
        done.complete(summary);
      } catch (IOException | RuntimeException e) {
        fail(e, done);
      }
    }

    private void fail(Exception e, CompletableFuture<RunSummary> done) {
      failed = true;
      done.completeExceptionally(e);
      reporter.report(run.runId(), new WorkflowReport(RuntimeState.FAILED, List.of()));
    }

    private void publish(RunSummary summary) throws IOException {
      if (started == null) {
        return; // the first summary comes from prepare, before anything runs
      }
      if (!runStarted) {
        launcher.runStarted(started);
        runStarted = true;
      }
      // DAGs first (their executions are the parents of the tasks inside), then ended tasks, then ended DAGs.
      for (TaskSummary t : summary.tasks()) {
        if (isDag(t) && t.startedAt() != null && dagsStarted.add(t.id())) {
          launcher.dagStarted(started, t);
        }
      }
      for (TaskSummary t : summary.tasks()) {
        if (!isDag(t) && ended(t) && t.attempts() > 0 && published.add(t.id())) {
          launcher.containerEnded(started, t, podName(t));
        }
      }
      for (TaskSummary t : summary.tasks()) {
        if (isDag(t) && ended(t) && dagsStarted.contains(t.id()) && published.add(t.id())) {
          launcher.dagEnded(started, t);
        }
      }
    }

    private WorkflowReport report(RunSummary summary, boolean last) {
      Instant now = reporter.now();
      RuntimeState runState = last ? terminal(summary.state()) : RuntimeState.RUNNING;
      List<WorkflowNode> nodes = new ArrayList<>();
      List<String> top = new ArrayList<>();
      for (TaskSummary t : summary.tasks()) {
        if (t.startedAt() == null || !t.parentId().isEmpty()) {
          continue;
        }
        top.add(id(t.id() + "#driver"));
      }
      Instant start = summary.startedAt() != null ? summary.startedAt() : now;
      Instant end = last ? (summary.finishedAt() != null ? summary.finishedAt() : now) : null;
      nodes.add(new WorkflowNode(id("#workflow"), run.workflowName(), runState, start, end, List.of(id("#root-driver"))));
      nodes.add(new WorkflowNode(id("#root-driver"), "root-driver", RuntimeState.SUCCEEDED, start, start,
          List.of(id("#root"))));
      nodes.add(new WorkflowNode(id("#root"), "root", runState, start, end, top));
      for (TaskSummary t : summary.tasks()) {
        if (t.startedAt() == null) {
          continue;
        }
        RuntimeState state = RuntimeState.valueOf(t.state().name());
        Instant taskEnd = state.isTerminal() ? (t.finishedAt() != null ? t.finishedAt() : now) : null;
        List<String> children = new ArrayList<>();
        if (isDag(t)) {
          for (TaskSummary inner : summary.tasks()) {
            if (inner.startedAt() != null && inner.parentId().equals(t.id())) {
              children.add(id(inner.id() + "#driver"));
            }
          }
        } else {
          children.add(id(t.id() + "#executor"));
          nodes.add(new WorkflowNode(id(t.id() + "#executor"), "executor", state, t.startedAt(), taskEnd, List.of()));
        }
        nodes.add(new WorkflowNode(id(t.id() + "#driver"), t.name() + "-driver", RuntimeState.SUCCEEDED, t.startedAt(),
            t.startedAt(), List.of(id(t.id()))));
        nodes.add(new WorkflowNode(id(t.id()), t.name(), state, t.startedAt(), taskEnd, children));
      }
      return new WorkflowReport(runState, nodes);
    }

    /** The pod Argo names for a task's executor node: {@code <workflow>-system-container-impl-<hash>}. */
    private String podName(TaskSummary t) {
      String node = id(t.id() + "#executor");
      return run.workflowName() + "-system-container-impl-" + node.substring(node.lastIndexOf('-') + 1);
    }

    /**
     * Argo's node id of a key ({@code <task id>}, {@code <task id>#driver}, {@code #executor},
     * {@code #root}...): {@code <workflow>-<FNV-1a of the node name>}, the name being the enclosing
     * DAG node's name, a dot and the display name ({@code wf.root.condition-1.deploy-model-driver}),
     * as Argo names them and a 2.17 server lists them in {@code child_tasks}. Loop iterations, which
     * Argo nests under {@code iteration-iterations(i:i)}, are not laid out so: the seed has none.
     */
    private String id(String key) {
      return nodeIds.computeIfAbsent(key, k -> {
        String wf = run.workflowName();
        String name = switch (k) {
          case "#workflow" -> wf;
          case "#root-driver" -> wf + ".root-driver";
          case "#root" -> wf + ".root";
          default -> {
            int hash = k.indexOf('#');
            String task = hash < 0 ? k : k.substring(0, hash);
            String node = wf + ".root." + task.replace('/', '.');
            String suffix = hash < 0 ? "" : k.substring(hash + 1);
            yield suffix.equals("driver") ? node + "-driver" : suffix.isEmpty() ? node : node + "." + suffix;
          }
        };
        if (name.equals(wf)) {
          return wf;
        }
        int h = 0x811c9dc5;
        for (byte b : name.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
          h ^= b & 0xff;
          h *= 0x01000193;
        }
        return wf + "-" + Integer.toUnsignedString(h);
      });
    }
  }

  private static boolean isDag(TaskSummary t) {
    return t.kind().equals("dag") || t.kind().equals("loop");
  }

  private static boolean ended(TaskSummary t) {
    return RuntimeState.valueOf(t.state().name()).isTerminal();
  }

  /** A 2.17 server never shows CANCELED: a terminated workflow ends FAILED. */
  private static RuntimeState terminal(io.kfpci.report.RuntimeState state) {
    RuntimeState mapped = RuntimeState.valueOf(state.name());
    return mapped == RuntimeState.CANCELED ? RuntimeState.FAILED : mapped;
  }
}
