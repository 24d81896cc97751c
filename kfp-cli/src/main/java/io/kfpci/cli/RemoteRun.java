package io.kfpci.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kfpci run FILE} without {@code --local}: the same pipeline on the KFP endpoint of
 * {@code KF_PIPELINES_ENDPOINT}, submitted and waited for ({@code kfpci submit FILE --wait}), so a
 * local and a remote run are one flag apart.
 */
final class RemoteRun {
  private RemoteRun() {}

  static int submitAndWait(CommandSpec spec, Path file, List<String> params, String function, Path pipelineRoot) {
    String endpoint = EndpointOptions.env.get("KF_PIPELINES_ENDPOINT");
    if (endpoint == null || endpoint.isBlank()) {
      throw new IllegalArgumentException("kfpci run without --local runs on KFP: set KF_PIPELINES_ENDPOINT "
          + "(or use kfpci submit " + file + " --endpoint URL --wait), or run here with kfpci run --local " + file);
    }
    List<String> args = new ArrayList<>(List.of("submit", file.toString(), "--wait", "--pipeline-root",
        pipelineRoot.toString()));
    params.forEach(p -> {
      args.add("-p");
      args.add(p);
    });
    if (function != null) {
      args.add("--function");
      args.add(function);
    }
    CommandLine root = spec.commandLine().getParent() != null ? spec.commandLine().getParent() : spec.commandLine();
    return KfpciCommand.commandLine(root.getOut(), root.getErr()).execute(args.toArray(String[]::new));
  }
}
