package io.kfpci.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kfpci.client.Filter;
import io.kfpci.client.KfpApi;
import io.kfpci.client.KfpApi.Run;
import io.kfpci.client.KfpClient;
import io.kfpci.client.ListQuery;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kfpci runs}: the latest runs, newest first, optionally of one experiment or state. */
@Command(name = "runs", description = "List KFP runs, newest first.")
final class RunsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--experiment", paramLabel = "NAME", description = "Only runs of this experiment.")
  String experiment;

  @Option(names = "--state", paramLabel = "STATE", description = "Only runs in this state (e.g. RUNNING, FAILED).")
  String state;

  @Option(names = "--limit", paramLabel = "N", description = "At most N runs (1-200, default: ${DEFAULT-VALUE}).")
  int limit = 20;

  @Mixin EndpointOptions endpoint;

  @Override
  public Integer call() throws Exception {
    return RemoteSupport.guarded(spec, () -> {
      if (limit < 1 || limit > 200) {
        throw new IllegalArgumentException("--limit must be 1 to 200, not " + limit);
      }
      String wanted = state == null ? null : io.kfpci.report.RuntimeState.fromApi(state).name();
      PrintWriter out = spec.commandLine().getOut();
      boolean json = endpoint.json();
      try (KfpClient client = endpoint.client(spec.commandLine().getErr())) {
        String experimentId = null;
        if (experiment != null) {
          Optional<KfpApi.Experiment> e = client.findExperiment(experiment);
          if (e.isEmpty()) {
            throw new IllegalArgumentException("no experiment named '" + experiment + "' at " + client.connection().endpoint());
          }
          experimentId = e.get().experimentId();
        }
        ListQuery query = new ListQuery(wanted == null ? null : Filter.equal("state", wanted), "created_at desc", limit, null);
        ArrayNode list = RemoteSupport.JSON.createArrayNode();
        for (Run r : client.listRuns(experimentId, query).items()) {
          if (json) {
            list.add(RemoteSupport.runJson(r, client, null));
          } else {
            out.printf("%-36s  %-10s  %-20s  %s%n", r.runId(), r.runtimeState() == null ? "-" : r.runtimeState(),
                r.createdAt() == null ? "" : r.createdAt().toString(), r.displayName());
          }
        }
        if (json) {
          RemoteSupport.printJson(out, list);
        }
        return ExitCodes.OK;
      }
    });
  }
}
