package io.kfpci.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.client.KfpApi;
import io.kfpci.client.KfpApi.Experiment;
import io.kfpci.client.KfpApi.Run;
import io.kfpci.client.KfpClient;
import io.kfpci.client.PipelinePackage;
import io.kfpci.client.PipelineUploader;
import io.kfpci.remote.RemoteWatchState;
import io.kfpci.validate.RunParameters;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kfpci submit FILE}: a run on the KFP server, exactly once; with --wait, watched to its end. */
@Command(name = "submit",
    description = "Run a pipeline on KFP (uploading it idempotently first), optionally waiting for the end.")
final class SubmitCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The pipeline: .py (compiled first), .yaml, .yml or .json IR.")
  Path file;

  @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A run parameter; checked against the pipeline's inputs before any call.")
  List<String> params = new ArrayList<>();

  @Option(names = "--experiment", paramLabel = "NAME", description = "Experiment (made when missing; default: ${DEFAULT-VALUE}).")
  String experiment = "Default";

  @Option(names = "--run-name", paramLabel = "NAME", description = "Display name of the run (default: pipeline name and UTC time).")
  String runName;

  @Option(names = "--wait", description = "Wait for the end, one line per state change; Ctrl-C terminates the run on the server.")
  boolean waitForEnd;

  @Option(names = "--inline", description = "Send the pipeline inside the run instead of uploading it as a pipeline version.")
  boolean inline;

  @Option(names = "--version-name", paramLabel = "PATTERN", description = "Name of a new pipeline version (default: ${DEFAULT-VALUE}).")
  String versionPattern = "{git}-{hash8}";

  @Option(names = "--service-account", paramLabel = "SA", description = "Kubernetes service account of the run's pods.")
  String serviceAccount;

  @Option(names = "--pipeline-root", paramLabel = "DIR", description = "Where the run summary goes: DIR/<pipeline>/<run-id>/ (default: ${DEFAULT-VALUE}).")
  Path pipelineRoot = Path.of("kfp-runs");

  @Option(names = "--state-file", paramLabel = "FILE", description = "Save the watch state here, for 'kfpci watch --state-file' to resume.")
  Path stateFile;

  @Option(names = "--function", paramLabel = "NAME", description = "For a .py file: the @dsl.pipeline function.")
  String function;

  @Option(names = "--no-cache", description = "Run every task, even when KFP has a cached result: caching is turned"
      + " off in every task (sub-DAGs too) of the pipeline sent, which is then a version of its own.")
  boolean noCache;

  @Mixin EndpointOptions endpoint;
  @Mixin RemoteMirrorOptions mirrorOptions;
  @Mixin PythonOptions python;

  @Override
  public Integer call() throws Exception {
    return RemoteSupport.guarded(spec, () -> {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      boolean json = endpoint.json();
      // One cluster per command: --kubeconfig/--context serve the API's forward as well.
      mirrorOptions.apiViaKubernetes = endpoint.viaKubernetes;
      mirrorOptions.validate();
      RemoteSupport.Loaded loaded = RemoteSupport.load(file, function, python);
      Map<String, JsonNode> values = RunParameters.resolve(loaded.document(), RunParameters.parseAssignments(params));
      PipelinePackage pkg = noCache ? loaded.pkg().withCachingDisabled() : loaded.pkg();
      String pipelineName = pkg.pipelineName();
      String name = runName != null ? runName
          : pipelineName + " " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH-mm-ss"));
      try (KfpClient client = endpoint.client(err, mirrorOptions.kube)) {
        KfpApi.Healthz health = client.healthz();
        if (health.isMultiUser() && client.connection().namespace() == null) {
          throw new IllegalArgumentException("KFP at " + client.connection().endpoint()
              + " runs in multi-user mode: give your profile namespace with --namespace");
        }
        Experiment exp = client.experiment(experiment);
        KfpApi.CreateRunRequest request;
        KfpApi.RuntimeConfig config = new KfpApi.RuntimeConfig(values, null);
        if (inline) {
          request = new KfpApi.CreateRunRequest(exp.experimentId(), name, null, null, pkg.inlineSpec(), config,
              serviceAccount);
        } else {
          String version = PipelineUploader.versionName(versionPattern, RemoteSupport.gitShortSha(), pkg);
          PipelineUploader.Result up = new PipelineUploader(client).upload(pkg, pipelineName, version, null);
          if (!json) {
            out.println((up.created() ? "uploaded" : "unchanged") + ": pipeline " + pipelineName + " version '"
                + up.version().name() + "'");
          }
          request = new KfpApi.CreateRunRequest(exp.experimentId(), name, null,
              new KfpApi.PipelineVersionReference(up.pipeline().pipelineId(), up.version().pipelineVersionId()), null,
              config, serviceAccount);
        }
        Run run = client.createRunOnce(request);
        String ui = client.connection().runUiUrl(run.runId());
        if (!json) {
          out.println("submitted run " + run.runId() + " (" + name + ") in experiment " + experiment
              + (ui == null ? "" : "\n  " + ui));
          out.flush();
        }
        if (!waitForEnd) {
          if (json) {
            RemoteSupport.printJson(out, RemoteSupport.runJson(run, client, null));
          }
          return ExitCodes.OK;
        }
        RemoteWatchState start = RemoteWatchState.initial(client.connection().name(), run.runId());
        Path runDir = RemoteSupport.runDirectory(pipelineRoot, pipelineName, run.runId());
        RemoteSupport.Waited waited;
        RemoteMirrorOptions.Mirror mirror = mirrorOptions.open(client, endpoint.kfp.namespace, start, out, err);
        try {
          waited = RemoteSupport.waitFor(client, start,
              io.kfpci.remote.RunTracker.taskNames(pkg.pipelineSpec()), pipelineName, runDir, stateFile, true, json,
              out, err, mirror);
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
          out.println("run " + run.runId() + " " + waited.state().runState());
          out.println("summary: " + runDir.resolve("summary.json"));
          out.println("report:  " + runDir.resolve("report.html"));
        }
        return waited.exitCode();
      }
    });
  }
}
