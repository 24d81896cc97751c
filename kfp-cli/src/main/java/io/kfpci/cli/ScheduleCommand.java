package io.kfpci.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.client.CronExpression;
import io.kfpci.client.KfpApi;
import io.kfpci.client.KfpApi.RecurringRun;
import io.kfpci.client.KfpClient;
import io.kfpci.client.PipelineUploader;
import io.kfpci.validate.RunParameters;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kfpci schedule NAME --cron ... --pipeline FILE}: makes the server's recurring run of that
 * name match the declaration. KFP cannot update a recurring run in place, so one that differs is
 * deleted and created again; only enabling or disabling is done in place.
 */
@Command(name = "schedule",
    description = "Make a KFP recurring run match this declaration: create it, leave an identical one, replace one that differs.")
final class ScheduleCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The recurring run's display name.")
  String name;

  @Option(names = "--cron", required = true, paramLabel = "EXPR", description = "5 fields (minute first, converted) or 6 (seconds first, as KFP parses it), or @daily etc.")
  String cron;

  @Option(names = "--pipeline", required = true, paramLabel = "FILE", description = "The pipeline (uploaded idempotently).")
  Path file;

  @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A run parameter.")
  List<String> params = new ArrayList<>();

  @Option(names = "--experiment", paramLabel = "NAME", description = "Experiment (default: ${DEFAULT-VALUE}).")
  String experiment = "Default";

  @Option(names = "--max-concurrency", paramLabel = "N", description = "Runs at once, 1-10 (default: ${DEFAULT-VALUE}).")
  long maxConcurrency = 1;

  static final class Enabled {
    @Option(names = "--enable", description = "Enabled (the default).")
    boolean enable;
    @Option(names = "--disable", description = "Disabled.")
    boolean disable;
  }

  @ArgGroup(exclusive = true)
  Enabled enabled;

  @Option(names = "--no-catchup", description = "After a pause, run only the latest missed interval.")
  boolean noCatchup;

  @Option(names = "--version-name", paramLabel = "PATTERN", description = "Name of a new pipeline version (default: ${DEFAULT-VALUE}).")
  String versionPattern = "{git}-{hash8}";

  @Option(names = "--function", paramLabel = "NAME", description = "For a .py file: the @dsl.pipeline function.")
  String function;

  @Mixin EndpointOptions endpoint;
  @Mixin PythonOptions python;

  @Override
  public Integer call() throws Exception {
    return RemoteSupport.guarded(spec, () -> {
      PrintWriter out = spec.commandLine().getOut();
      boolean json = endpoint.json();
      // Everything that can be refused is refused before the first call.
      CronExpression expr = CronExpression.parse(cron);
      if (maxConcurrency < 1 || maxConcurrency > 10) {
        throw new IllegalArgumentException("--max-concurrency must be 1 to 10 (KFP's range), not " + maxConcurrency);
      }
      boolean enable = enabled == null || !enabled.disable;
      RemoteSupport.Loaded loaded = RemoteSupport.load(file, function, python);
      Map<String, JsonNode> values = RunParameters.resolve(loaded.document(), RunParameters.parseAssignments(params));
      if (expr.converted() && !json) {
        out.println("cron '" + cron + "' is '" + expr.kfp() + "' in KFP's 6-field form (seconds first)");
      }
      try (KfpClient client = endpoint.client(spec.commandLine().getErr())) {
        KfpApi.Experiment exp = client.experiment(experiment);
        String version = PipelineUploader.versionName(versionPattern, RemoteSupport.gitShortSha(), loaded.pkg());
        PipelineUploader.Result up = new PipelineUploader(client).upload(loaded.pkg(), loaded.pkg().pipelineName(), version, null);
        KfpApi.CreateRecurringRunRequest want = new KfpApi.CreateRecurringRunRequest(name, null, exp.experimentId(),
            new KfpApi.PipelineVersionReference(up.pipeline().pipelineId(), up.version().pipelineVersionId()),
            new KfpApi.RuntimeConfig(values, null), null, maxConcurrency,
            new KfpApi.Trigger(new KfpApi.CronSchedule(null, null, expr.kfp()), null), enable ? "ENABLE" : "DISABLE",
            noCatchup);
        List<RecurringRun> existing = client.findRecurringRuns(exp.experimentId(), name);
        String action;
        RecurringRun result;
        if (existing.isEmpty()) {
          result = client.createRecurringRunOnce(want);
          action = "created";
        } else if (existing.size() == 1 && sameDefinition(existing.get(0), want)) {
          result = existing.get(0);
          if (result.enabled() == enable) {
            action = "unchanged";
          } else {
            if (enable) {
              client.enableRecurringRun(result.recurringRunId());
            } else {
              client.disableRecurringRun(result.recurringRunId());
            }
            action = enable ? "enabled" : "disabled";
          }
        } else {
          for (RecurringRun old : existing) {
            client.deleteRecurringRun(old.recurringRunId());
          }
          result = client.createRecurringRunOnce(want);
          action = "replaced";
        }
        if (json) {
          ObjectNode o = RemoteSupport.JSON.createObjectNode();
          o.put("action", action);
          o.put("recurring_run_id", result.recurringRunId());
          o.put("name", name);
          o.put("cron_given", cron);
          o.put("cron", expr.kfp());
          o.put("enabled", enable);
          RemoteSupport.printJson(out, o);
        } else {
          out.println(action + ": recurring run " + name + " (" + result.recurringRunId() + "), cron '" + expr.kfp() + "', "
              + (enable ? "enabled" : "disabled") + ", pipeline version '" + up.version().name() + "'");
        }
        return ExitCodes.OK;
      }
    });
  }

  /** Everything but the enabled flag, which can change in place. */
  static boolean sameDefinition(RecurringRun have, KfpApi.CreateRecurringRunRequest want) {
    String haveCron = have.trigger() == null || have.trigger().cronSchedule() == null ? null : have.trigger().cronSchedule().cron();
    Map<String, JsonNode> haveParams = have.runtimeConfig() == null || have.runtimeConfig().parameters() == null
        ? Map.of() : have.runtimeConfig().parameters();
    Map<String, JsonNode> wantParams = want.runtimeConfig().parameters() == null ? Map.of() : want.runtimeConfig().parameters();
    return Objects.equals(haveCron, want.trigger().cronSchedule().cron())
        && have.trigger().periodicSchedule() == null
        && Objects.equals(have.maxConcurrency() == null ? 1L : have.maxConcurrency(), want.maxConcurrency())
        && Boolean.TRUE.equals(have.noCatchup()) == Boolean.TRUE.equals(want.noCatchup())
        && have.pipelineVersionReference() != null
        && Objects.equals(have.pipelineVersionReference().pipelineId(), want.pipelineVersionReference().pipelineId())
        && Objects.equals(have.pipelineVersionReference().pipelineVersionId(), want.pipelineVersionReference().pipelineVersionId())
        && haveParams.equals(wantParams);
  }
}
