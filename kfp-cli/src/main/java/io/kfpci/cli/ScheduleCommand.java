package io.kfpci.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.client.CronExpression;
import io.kfpci.client.KfpClient;
import io.kfpci.client.PipelineUploader;
import io.kfpci.schedule.InvalidScheduleException;
import io.kfpci.schedule.ScheduleDeclaration;
import io.kfpci.schedule.ScheduleResult;
import io.kfpci.schedule.Schedules;
import io.kfpci.validate.RunParameters;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kfpci schedule NAME --cron ... --pipeline FILE}: makes the server's recurring run of that
 * name match the declaration, with kfp-core's {@link Schedules} (KFP cannot update a recurring run
 * in place, so one that differs is deleted and created again; only enabling or disabling is done in
 * place). This class only reads the options and prints the outcome.
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
      boolean enable = enabled == null || !enabled.disable;
      RemoteSupport.Loaded loaded = RemoteSupport.load(file, function, python);
      Map<String, JsonNode> values = RunParameters.resolve(loaded.document(), RunParameters.parseAssignments(params));
      ScheduleDeclaration declaration = declaration(expr, loaded, values, enable);
      if (expr.converted() && !json) {
        out.println("cron '" + cron + "' is '" + expr.kfp() + "' in KFP's 6-field form (seconds first)");
      }
      try (KfpClient client = endpoint.client(spec.commandLine().getErr())) {
        ScheduleResult result = Schedules.reconcile(client, declaration);
        String action = result.action().label();
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
          out.println(action + ": recurring run " + name + " (" + result.recurringRunId() + "), cron '" + expr.kfp()
              + "', " + (enable ? "enabled" : "disabled") + ", pipeline version '" + result.versionName() + "'");
        }
        return ExitCodes.OK;
      }
    });
  }

  /** The declaration from the options, refused in the options' own terms. */
  private ScheduleDeclaration declaration(CronExpression expr, RemoteSupport.Loaded loaded, Map<String, JsonNode> values,
      boolean enable) {
    try {
      return ScheduleDeclaration.builder().name(name).cron(expr).experiment(experiment)
          .pipeline(loaded.pkg(), PipelineUploader.versionName(versionPattern, RemoteSupport.gitShortSha(), loaded.pkg()))
          .parameters(values).maxConcurrency(maxConcurrency).enabled(enable).catchup(!noCatchup).build();
    } catch (InvalidScheduleException e) {
      String option = switch (e.field()) {
        case NAME -> "NAME";
        case EXPERIMENT -> "--experiment";
        case MAX_CONCURRENCY -> "--max-concurrency";
      };
      throw new IllegalArgumentException(option + " " + e.reason(), e);
    }
  }
}
