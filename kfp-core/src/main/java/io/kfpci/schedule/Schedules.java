package io.kfpci.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.client.KfpApi;
import io.kfpci.client.KfpApi.CreateRecurringRunRequest;
import io.kfpci.client.KfpApi.RecurringRun;
import io.kfpci.client.KfpApiException;
import io.kfpci.client.KfpClient;
import io.kfpci.client.PipelineUploader;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Makes the server's recurring run of a name match its declaration, for {@code kfpci schedule} and
 * the plugin's {@code kfpSchedule}: the pipeline is uploaded idempotently, an identical recurring
 * run is left alone (or only enabled or disabled in place), and one that differs is deleted and
 * created again, since KFP cannot update a recurring run. Running it twice with the same
 * declaration changes nothing the second time.
 *
 * <p>The decision ({@link #decide}) is a pure function of what the server has and what is
 * declared; {@link #reconcile} reads, decides and applies. A failure half-way (the old recurring
 * run deleted, the new one not created) is repaired by running it again: it then creates.
 */
public final class Schedules {
  private Schedules() {}

  /** Uploads the pipeline, then creates, keeps, enables, disables or replaces the recurring run. */
  public static ScheduleResult reconcile(KfpClient client, ScheduleDeclaration declaration)
      throws KfpApiException, InterruptedException {
    KfpApi.Experiment experiment = client.experiment(declaration.experiment());
    PipelineUploader.Result up = new PipelineUploader(client).upload(declaration.pipeline(),
        declaration.pipeline().pipelineName(), declaration.versionName(), null);
    CreateRecurringRunRequest want = request(declaration, experiment.experimentId(), up);
    List<RecurringRun> existing = client.findRecurringRuns(experiment.experimentId(), declaration.name());
    ScheduleAction action = decide(existing, want, declaration.enabled());
    String id = switch (action) {
      case CREATED -> client.createRecurringRunOnce(want).recurringRunId();
      case UNCHANGED -> existing.get(0).recurringRunId();
      case ENABLED -> {
        client.enableRecurringRun(existing.get(0).recurringRunId());
        yield existing.get(0).recurringRunId();
      }
      case DISABLED -> {
        client.disableRecurringRun(existing.get(0).recurringRunId());
        yield existing.get(0).recurringRunId();
      }
      case REPLACED -> {
        for (RecurringRun old : existing) {
          client.deleteRecurringRun(old.recurringRunId());
        }
        yield client.createRecurringRunOnce(want).recurringRunId();
      }
    };
    return new ScheduleResult(action, id, declaration, up);
  }

  /** The recurring run the declaration asks for, once its experiment and pipeline version are known. */
  static CreateRecurringRunRequest request(ScheduleDeclaration d, String experimentId, PipelineUploader.Result up) {
    return new CreateRecurringRunRequest(d.name(), null, experimentId,
        new KfpApi.PipelineVersionReference(up.pipeline().pipelineId(), up.version().pipelineVersionId()),
        new KfpApi.RuntimeConfig(d.parameters(), null), null, d.maxConcurrency(),
        new KfpApi.Trigger(new KfpApi.CronSchedule(null, null, d.cron().kfp()), null), d.enabled() ? "ENABLE" : "DISABLE",
        !d.catchup());
  }

  /**
   * What to do, given the recurring runs of the declared name in its experiment: none, create; one
   * with the same definition, keep it (changing only its enabled state); else replace them all.
   */
  public static ScheduleAction decide(List<RecurringRun> existing, CreateRecurringRunRequest want, boolean enabled) {
    if (existing.isEmpty()) {
      return ScheduleAction.CREATED;
    }
    if (existing.size() == 1 && sameDefinition(existing.get(0), want)) {
      if (existing.get(0).enabled() == enabled) {
        return ScheduleAction.UNCHANGED;
      }
      return enabled ? ScheduleAction.ENABLED : ScheduleAction.DISABLED;
    }
    return ScheduleAction.REPLACED;
  }

  /**
   * Everything but the enabled flag, which can change in place: cron, no periodic trigger, max
   * concurrency (absent is KFP's 1), catch-up, pipeline version and parameters.
   */
  public static boolean sameDefinition(RecurringRun have, CreateRecurringRunRequest want) {
    String haveCron = have.trigger() == null || have.trigger().cronSchedule() == null ? null
        : have.trigger().cronSchedule().cron();
    Map<String, JsonNode> haveParams = have.runtimeConfig() == null || have.runtimeConfig().parameters() == null
        ? Map.of() : have.runtimeConfig().parameters();
    Map<String, JsonNode> wantParams = want.runtimeConfig() == null || want.runtimeConfig().parameters() == null
        ? Map.of() : want.runtimeConfig().parameters();
    String wantCron = want.trigger() == null || want.trigger().cronSchedule() == null ? null
        : want.trigger().cronSchedule().cron();
    return Objects.equals(haveCron, wantCron)
        && (have.trigger() == null || have.trigger().periodicSchedule() == null)
        && concurrency(have.maxConcurrency()) == concurrency(want.maxConcurrency())
        && Boolean.TRUE.equals(have.noCatchup()) == Boolean.TRUE.equals(want.noCatchup())
        && have.pipelineVersionReference() != null && want.pipelineVersionReference() != null
        && Objects.equals(have.pipelineVersionReference().pipelineId(), want.pipelineVersionReference().pipelineId())
        && Objects.equals(have.pipelineVersionReference().pipelineVersionId(),
            want.pipelineVersionReference().pipelineVersionId())
        && haveParams.equals(wantParams);
  }

  private static long concurrency(Long value) {
    return value == null ? 1L : value;
  }
}
