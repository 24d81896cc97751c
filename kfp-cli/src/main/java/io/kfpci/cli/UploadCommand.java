package io.kfpci.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.client.KfpClient;
import io.kfpci.client.PipelineUploader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kfpci upload FILE}: the pipeline on the server, as a new version only when its content changed. */
@Command(name = "upload",
    description = "Upload a pipeline to KFP idempotently: unchanged content creates nothing, new content a new version.")
final class UploadCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The pipeline: .py (compiled first), .yaml, .yml or .json IR.")
  Path file;

  @Option(names = "--pipeline-name", paramLabel = "NAME", description = "Pipeline name on the server (default: pipelineInfo.name).")
  String pipelineName;

  @Option(names = "--version-name", paramLabel = "PATTERN", description = "Name of a new version; {git}, {hash8}, {hash} are replaced (default: ${DEFAULT-VALUE}).")
  String versionPattern = "{git}-{hash8}";

  @Option(names = "--description", paramLabel = "TEXT", description = "Description of a new pipeline or version.")
  String description;

  @Option(names = "--function", paramLabel = "NAME", description = "For a .py file: the @dsl.pipeline function.")
  String function;

  @Mixin EndpointOptions endpoint;
  @Mixin PythonOptions python;

  @Override
  public Integer call() throws Exception {
    return RemoteSupport.guarded(spec, () -> {
      PrintWriter out = spec.commandLine().getOut();
      boolean json = endpoint.json();
      RemoteSupport.Loaded loaded = RemoteSupport.load(file, function, python);
      String name = pipelineName != null ? pipelineName : loaded.pkg().pipelineName();
      String version = PipelineUploader.versionName(versionPattern, RemoteSupport.gitShortSha(), loaded.pkg());
      try (KfpClient client = endpoint.client(spec.commandLine().getErr())) {
        PipelineUploader.Result r = new PipelineUploader(client).upload(loaded.pkg(), name, version, description);
        if (json) {
          ObjectNode o = RemoteSupport.JSON.createObjectNode();
          o.put("pipeline_id", r.pipeline().pipelineId());
          o.put("pipeline_name", r.pipeline().name());
          o.put("pipeline_version_id", r.version().pipelineVersionId());
          o.put("version_name", r.version().name());
          o.put("created", r.created());
          o.put("sha256", r.sha256());
          RemoteSupport.printJson(out, o);
        } else if (!r.created()) {
          out.println("unchanged: pipeline " + name + " already has this content as version '" + r.version().name()
              + "' (" + r.version().pipelineVersionId() + "); nothing uploaded");
        } else if (r.pipelineCreated()) {
          out.println("created pipeline " + name + " (" + r.pipeline().pipelineId() + "); KFP named its first version '"
              + r.version().name() + "' (" + r.version().pipelineVersionId() + ")");
        } else {
          out.println("created version '" + r.version().name() + "' (" + r.version().pipelineVersionId()
              + ") of pipeline " + name);
        }
        return ExitCodes.OK;
      }
    });
  }
}
