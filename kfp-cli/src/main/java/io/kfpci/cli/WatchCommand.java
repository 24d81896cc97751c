package io.kfpci.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.client.KfpApi.Run;
import io.kfpci.client.KfpClient;
import io.kfpci.remote.RemoteWatchState;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kfpci watch RUN_ID}: follows a KFP run to its end; resumes from a saved state without repeats. */
@Command(name = "watch",
    description = "Watch a KFP run to its end, one line per state change; --state-file resumes where a previous watch stopped.")
final class WatchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "RUN_ID", description = "The run's id.")
  String runId;

  @Option(names = "--state-file", paramLabel = "FILE", description = "Resume from this saved watch state (when it exists) and keep it up to date.")
  Path stateFile;

  @Option(names = "--pipeline-root", paramLabel = "DIR", description = "Where the run summary goes: DIR/<pipeline>/<run-id>/ (default: ${DEFAULT-VALUE}).")
  Path pipelineRoot = Path.of("kfp-runs");

  @Option(names = "--terminate-on-interrupt", description = "Terminate the run on the server when this watch is interrupted.")
  boolean terminateOnInterrupt;

  @Mixin EndpointOptions endpoint;
  @Mixin RemoteMirrorOptions mirrorOptions;

  @Override
  public Integer call() throws Exception {
    return RemoteSupport.guarded(spec, () -> {
      PrintWriter out = spec.commandLine().getOut();
      boolean json = endpoint.json();
      // One cluster per command: --kubeconfig/--context serve the API's forward as well.
      mirrorOptions.apiViaKubernetes = endpoint.viaKubernetes;
      mirrorOptions.validate();
      try (KfpClient client = endpoint.client(spec.commandLine().getErr(), mirrorOptions.kube)) {
        RemoteWatchState start = RemoteWatchState.initial(client.connection().name(), runId);
        if (stateFile != null && Files.isRegularFile(stateFile)) {
          start = RemoteWatchState.fromJson(Files.readString(stateFile, StandardCharsets.UTF_8));
          if (!start.runId().equals(runId)) {
            throw new IllegalArgumentException(stateFile + " is the watch state of run " + start.runId() + ", not " + runId);
          }
          if (!json) {
            out.println("resuming the watch of run " + runId + " from " + stateFile);
          }
        }
        Run first = client.getRun(runId);
        String pipelineName = first.displayName() == null ? runId : pipelineNameOf(first);
        Path runDir = RemoteSupport.runDirectory(pipelineRoot, pipelineName, runId);
        RemoteSupport.Waited waited;
        RemoteMirrorOptions.Mirror mirror = mirrorOptions.open(client, endpoint.kfp.namespace, start, out, spec.commandLine().getErr());
        try {
          waited = RemoteSupport.waitFor(client, start, taskNames(client, first), pipelineName, runDir, stateFile,
              terminateOnInterrupt, json, out, spec.commandLine().getErr(), mirror);
        } finally {
          if (mirror != null) {
            mirror.close();
          }
        }
        if (json) {
          ObjectNode o = RemoteSupport.runJson(waited.run(), client, waited.state());
          o.put("summary", runDir.resolve("summary.json").toString());
          RemoteSupport.printJson(out, o);
        } else {
          RemoteMirrorOptions.printMetrics(mirror, out);
          out.println("run " + runId + " " + waited.state().runState());
          out.println("summary: " + runDir.resolve("summary.json"));
          if (waited.state().finished()) {
            out.println("report:  " + runDir.resolve("report.html"));
          }
        }
        return waited.exitCode();
      }
    });
  }

  /** The IR's task names: from the inline spec, else from the pipeline version the run references. */
  private static java.util.Set<String> taskNames(KfpClient client, Run run) throws Exception {
    if (run.pipelineSpec() != null) {
      return io.kfpci.remote.RunTracker.taskNames(run.pipelineSpec());
    }
    var ref = run.pipelineVersionReference();
    if (ref != null && ref.pipelineId() != null && ref.pipelineVersionId() != null) {
      return io.kfpci.remote.RunTracker.taskNames(client.getPipelineVersion(ref.pipelineId(), ref.pipelineVersionId()).pipelineSpec());
    }
    return java.util.Set.of();
  }

  /** The pipeline's name from the inline spec when the run has one, else the run's display name. */
  private static String pipelineNameOf(Run run) {
    if (run.pipelineSpec() != null) {
      String n = run.pipelineSpec().path("pipelineInfo").path("name").asText(
          run.pipelineSpec().path("pipeline_spec").path("pipelineInfo").path("name").asText(""));
      if (!n.isEmpty()) {
        return n;
      }
    }
    return run.displayName();
  }
}
