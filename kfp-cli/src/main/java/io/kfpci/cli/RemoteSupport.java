package io.kfpci.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.KfpException;
import io.kfpci.client.KfpApi.Run;
import io.kfpci.client.KfpApiException;
import io.kfpci.client.KfpClient;
import io.kfpci.client.PipelinePackage;
import io.kfpci.compile.CompileRequest;
import io.kfpci.compile.CompileResult;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.monitor.RunEvent;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.remote.RemoteSummaries;
import io.kfpci.remote.RemoteWatchState;
import io.kfpci.remote.RunPoller;
import io.kfpci.report.RunReportPage;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import io.kfpci.validate.ReportWriters;
import io.kfpci.validate.ValidationReport;
import io.kfpci.validate.Validator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Model.CommandSpec;

/** What the remote commands share: loading a pipeline, exit codes, waiting on a run with progress. */
final class RemoteSupport {
  static final ObjectMapper JSON = new ObjectMapper();

  private RemoteSupport() {}

  /** Runs a command body, mapping failures to {@link RemoteExitCodes} with a one-line message. */
  static int guarded(CommandSpec spec, Callable<Integer> body) throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    try {
      return body.call();
    } catch (KfpApiException e) {
      err.println("error: " + e.getMessage());
      return ExitCodes.SERVER;
    } catch (InvalidPipelineException e) {
      err.print(ReportWriters.text(List.of(new ValidationReport(
          e.problems().isEmpty() ? "" : e.problems().get(0).position().file(), e.problems()))));
      return ExitCodes.USAGE;
    } catch (IllegalArgumentException | io.kfpci.compile.CompileException e) {
      // A pipeline that does not compile is refused before any call, like bad usage.
      err.println("error: " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (io.kfpci.remote.RemoteWatchException e) {
      err.println("error: " + e.getMessage());
      return ExitCodes.SERVER;
    } finally {
      err.flush();
      spec.commandLine().getOut().flush();
    }
  }

  /** A loaded, validated pipeline and its package bytes. */
  record Loaded(PipelineDocument document, PipelinePackage pkg) {}

  /** Loads a .py (compiled with the real kfp compiler), .yaml, .yml or .json pipeline and validates it. */
  static Loaded load(Path file, String function, PythonOptions python) throws KfpException, IOException, InterruptedException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no such pipeline file: " + file);
    }
    Path ir = file;
    PipelineDocument doc;
    String name = file.getFileName().toString();
    if (name.endsWith(".py")) {
      // The IR is named after the source, so a problem found in it names a file the user knows.
      Path tmp = Files.createTempDirectory("kfpci-");
      Path out = tmp.resolve(name.substring(0, name.length() - 3) + ".yaml");
      try {
        CompileResult result = python.compiler().compile(CompileRequest.builder(file).function(function).output(out)
            .kfpVersion(python.kfpVersion).timeout(Duration.ofMinutes(5)).build());
        if (result.validation().hasErrors()) {
          throw new io.kfpci.problem.InvalidPipelineException(result.validation().problems());
        }
        byte[] bytes = Files.readAllBytes(out);
        return new Loaded(result.document(),
            PipelinePackage.of(name.substring(0, name.length() - 3) + ".yaml", bytes));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(tmp);
      }
    }
    if (Files.size(ir) > PipelineLoader.MAX_FILE_BYTES) {
      throw new IllegalArgumentException(file + " is " + Files.size(ir) + " bytes; KFP takes at most 32 MiB per upload, "
          + "so it was not sent");
    }
    doc = PipelineLoader.load(ir);
    ValidationReport report = Validator.validate(doc);
    if (report.hasErrors()) {
      throw new io.kfpci.problem.InvalidPipelineException(report.problems());
    }
    return new Loaded(doc, PipelinePackage.of(name, Files.readAllBytes(ir)));
  }

  /** The short commit of the working directory: $GIT_COMMIT (Jenkins) first, else git, else null. */
  static String gitShortSha() {
    String commit = EndpointOptions.env.get("GIT_COMMIT");
    if (commit != null && commit.matches("[0-9a-fA-F]{7,40}")) {
      return commit.substring(0, 7).toLowerCase(java.util.Locale.ROOT);
    }
    try {
      Process p = new ProcessBuilder("git", "rev-parse", "--short=7", "HEAD").redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readNBytes(200), java.nio.charset.StandardCharsets.UTF_8).strip();
      if (p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{7,40}")) {
        return out;
      }
      p.destroyForcibly();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  /** One progress line per event. */
  static String line(RunEvent event) {
    if (event instanceof RunEvent.RunStateChanged r) {
      return "[run] -- " + r.to() + (r.error().isEmpty() ? "" : ": " + r.error());
    }
    if (event instanceof RunEvent.TaskStateChanged t) {
      return "[" + t.taskId() + "] -- " + t.to();
    }
    RunEvent.LogLine l = (RunEvent.LogLine) event;
    return "[" + l.taskId() + "] " + l.text();
  }

  /** Where a remote run's summary goes: like a local run's, {@code ROOT/<pipeline>/<run-id>/}. */
  static Path runDirectory(Path root, String pipelineName, String runId) {
    String safePipeline = pipelineName.replaceAll("[^A-Za-z0-9._-]", "_");
    String safeRun = runId.replaceAll("[^A-Za-z0-9._-]", "_");
    if (safePipeline.startsWith(".")) {
      safePipeline = "_" + safePipeline;
    }
    return root.resolve(safePipeline).resolve(safeRun);
  }

  /**
   * Waits for a run with progress lines; writes the run summary and report page at every change
   * and at the end. When {@code terminateOnInterrupt}, a Ctrl-C or SIGTERM terminates the run on
   * the server before the process exits, and says so.
   */
  /** How often the tasks' logs and records are mirrored while a run is watched. */
  static final java.time.Duration MIRROR_INTERVAL = java.time.Duration.ofSeconds(2);

  static Waited waitFor(KfpClient client, RemoteWatchState start, java.util.Set<String> taskNames, String pipelineName,
      Path runDir, Path stateFile,
      boolean terminateOnInterrupt, boolean quietLines, PrintWriter out, PrintWriter err)
      throws KfpException, InterruptedException, IOException {
    return waitFor(client, start, taskNames, pipelineName, runDir, stateFile, terminateOnInterrupt, quietLines, out, err,
        null);
  }

  /**
   * As above; with a {@code mirror}, each poll also reads ML Metadata and mirrors the tasks' logs,
   * the saved state keeps the log cursors, and the summary carries metrics and artifacts.
   */
  static Waited waitFor(KfpClient client, RemoteWatchState start, java.util.Set<String> taskNames, String pipelineName,
      Path runDir, Path stateFile,
      boolean terminateOnInterrupt, boolean quietLines, PrintWriter out, PrintWriter err,
      RemoteMirrorOptions.Mirror mirror)
      throws KfpException, InterruptedException, IOException {
    Files.createDirectories(runDir);
    AtomicBoolean done = new AtomicBoolean();
    try (RunPoller poller = RunPoller.standard(client)) {
      RunPoller.Listener listener = (run, events, state) -> {
        synchronized (out) {
          if (!quietLines) {
            events.forEach(e -> out.println(line(e)));
            out.flush();
          }
        }
        save(client, run, mirror == null ? state : mirror.withCursors(state), pipelineName, runDir, stateFile, err,
            mirror == null ? null : mirror.metadata());
      };
      Thread hook = new Thread(() -> {
        if (done.get()) {
          return;
        }
        try {
          poller.terminate(start.runId());
          err.println("interrupted: asked KFP to terminate run " + start.runId() + "; it ends CANCELED (a 2.17 server "
              + "shows it FAILED) on " + client.connection().endpoint());
        } catch (KfpException e) {
          err.println("interrupted: could NOT terminate run " + start.runId() + " on the server: " + e.getMessage()
              + ". Terminate it with: kfpci terminate " + start.runId());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        err.flush();
      }, "kfpci-terminate-on-interrupt");
      if (terminateOnInterrupt) {
        Runtime.getRuntime().addShutdownHook(hook);
      }
      CompletableFuture<RunPoller.Result> future = poller.watch(start, taskNames, listener);
      // The poller calls the listener only on a state change; logs and records are mirrored on
      // their own beat, by one thread for the whole run (never one per pod).
      java.util.concurrent.ScheduledExecutorService beat = mirror == null ? null
          : java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kfpci-log-mirror");
            t.setDaemon(true);
            return t;
          });
      if (beat != null) {
        beat.scheduleWithFixedDelay(() -> {
          synchronized (out) {
            try {
              mirror.poll();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt(); // shut down: the last pass runs on the caller's thread
            }
          }
        }, 0, MIRROR_INTERVAL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      try {
        RunPoller.Result result = future.get();
        done.set(true);
        if (beat != null) {
          beat.shutdownNow();
          beat.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        if (mirror != null) {
          // The last pass after the end: the final records, and the rest of every log.
          synchronized (out) {
            mirror.poll();
          }
          RemoteWatchState last = mirror.withCursors(result.state());
          save(client, result.run(), last, pipelineName, runDir, stateFile, err, mirror.metadata());
          return new Waited(result.run(), last);
        }
        return new Waited(result.run(), result.state());
      } catch (ExecutionException e) {
        done.set(true);
        if (e.getCause() instanceof KfpException k) {
          throw k;
        }
        throw new IllegalStateException(e.getCause());
      } finally {
        if (beat != null) {
          beat.shutdownNow();
        }
        if (terminateOnInterrupt) {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting and the hook is running or ran: nothing to remove.
          }
        }
      }
    }
  }

  record Waited(Run run, RemoteWatchState state) {
    int exitCode() {
      RuntimeState s = state.runState();
      if (s == RuntimeState.SUCCEEDED || s == RuntimeState.SKIPPED) {
        return ExitCodes.OK;
      }
      return s == RuntimeState.CANCELED ? ExitCodes.CANCELED : ExitCodes.FAILED;
    }
  }

  static void save(KfpClient client, Run run, RemoteWatchState state, String pipelineName, Path runDir, Path stateFile,
      PrintWriter err, io.kfpci.artifacts.RunMetadata metadata) {
    try {
      RunSummary summary = RemoteSummaries.summary(run, state, client.connection(), pipelineName);
      if (metadata != null) {
        summary = RemoteSummaries.withMetadata(summary, metadata);
      }
      RunSummaryJson.write(summary, runDir.resolve("summary.json"));
      if (state.finished()) {
        RunReportPage.write(summary, List.of(), runDir.resolve(RunReportPage.FILE_NAME));
      }
      if (stateFile != null) {
        io.kfpci.files.AtomicFiles.write(stateFile, state.toJson() + "\n");
      }
    } catch (IOException e) {
      err.println("warning: cannot write the run summary in " + runDir + ": " + e.getMessage());
    }
  }

  static ObjectNode runJson(Run run, KfpClient client, RemoteWatchState state) {
    ObjectNode o = JSON.createObjectNode();
    o.put("run_id", run.runId());
    o.put("display_name", run.displayName());
    RuntimeState s = state != null && state.runState() != null ? state.runState() : run.runtimeState();
    if (s != null) {
      o.put("state", s.name());
    }
    if (run.experimentId() != null) {
      o.put("experiment_id", run.experimentId());
    }
    if (run.createdAt() != null) {
      o.put("created_at", run.createdAt().toString());
    }
    o.put("endpoint", client.connection().endpoint().toString());
    String ui = client.connection().runUiUrl(run.runId());
    if (ui != null) {
      o.put("ui_url", ui);
    }
    return o;
  }

  static void printJson(PrintWriter out, JsonNode node) {
    out.println(node.toString());
    out.flush();
  }
}
