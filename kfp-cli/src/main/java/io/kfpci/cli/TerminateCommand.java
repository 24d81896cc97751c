package io.kfpci.cli;

import io.kfpci.client.KfpClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kfpci terminate RUN_ID}: asks KFP to stop a run. */
@Command(name = "terminate", description = "Terminate a KFP run.")
final class TerminateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "RUN_ID", description = "The run's id.")
  String runId;

  @Mixin EndpointOptions endpoint;

  @Override
  public Integer call() throws Exception {
    return RemoteSupport.guarded(spec, () -> {
      PrintWriter out = spec.commandLine().getOut();
      boolean json = endpoint.json();
      try (KfpClient client = endpoint.client(spec.commandLine().getErr())) {
        client.terminateRun(runId);
        if (json) {
          RemoteSupport.printJson(out, RemoteSupport.JSON.createObjectNode().put("run_id", runId).put("terminated", true));
        } else {
          out.println("asked KFP to terminate run " + runId + " (it shows CANCELING, then ends)");
        }
        return ExitCodes.OK;
      }
    });
  }
}
