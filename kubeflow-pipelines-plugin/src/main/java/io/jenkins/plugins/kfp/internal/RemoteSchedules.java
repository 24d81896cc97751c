package io.jenkins.plugins.kfp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.KfpException;
import io.kfpci.client.CronExpression;
import io.kfpci.client.KfpApi;
import io.kfpci.client.KfpClient;
import io.kfpci.client.KfpConnection;
import io.kfpci.client.PipelinePackage;
import io.kfpci.client.PipelineUploader;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.validate.RunParameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code kfpSchedule} without Jenkins: makes the server's recurring run of a name match its
 * declaration, as {@code kfpci schedule} does, over the core's client: the pipeline is uploaded
 * idempotently, an identical recurring run is left alone (or only enabled or disabled in place), and
 * one that differs is deleted and created again, since KFP cannot update a recurring run.
 * Everything that can be refused (cron, concurrency, parameters) is refused before the first call.
 */
public final class RemoteSchedules {
  private RemoteSchedules() {}

  /** The declaration; {@code versionPattern} "" for {@code {git}-{hash8}}. */
  public record Declaration(String name, String cron, String fileName, byte[] content, Map<String, String> params,
      String experiment, long maxConcurrency, boolean enabled, boolean catchup, String versionPattern,
      String gitShortSha) {
    public Declaration {
      content = content.clone();
      params = Map.copyOf(params);
    }

    @Override
    public byte[] content() {
      return content.clone();
    }
  }

  /**
   * Reconciles and returns what {@code kfpSchedule} returns: {@code [action:, recurringRunId:, name:,
   * cron:, enabled:, pipelineId:, versionId:, versionName:]}, {@code action} one of created,
   * unchanged, enabled, disabled, replaced.
   */
  public static Map<String, Object> apply(KfpConnection connection, Declaration d)
      throws KfpException, InterruptedException {
    if (d.name().isBlank()) {
      throw new KfpException("name: the recurring run needs a name (its display name on the server)");
    }
    CronExpression cron;
    try {
      cron = CronExpression.parse(d.cron());
    } catch (IllegalArgumentException e) {
      throw new KfpException("cron: " + e.getMessage(), e);
    }
    if (d.maxConcurrency() < 1 || d.maxConcurrency() > 10) {
      throw new KfpException("maxConcurrency must be 1 to 10 (KFP's range), not " + d.maxConcurrency());
    }
    PipelinePackage pkg = PipelinePackage.of(d.fileName(), d.content());
    Map<String, JsonNode> values = RunParameters.resolve(PipelineLoader.load(d.fileName(), d.content()), d.params());
    String version;
    try {
      version = PipelineUploader.versionName(d.versionPattern(), d.gitShortSha(), pkg);
    } catch (IllegalArgumentException e) {
      throw new KfpException("versionName: " + e.getMessage(), e);
    }
    try (KfpClient client = KfpClient.connect(connection)) {
      KfpApi.Experiment experiment = client.experiment(d.experiment());
      PipelineUploader.Result up = new PipelineUploader(client).upload(pkg, pkg.pipelineName(), version, null);
      KfpApi.CreateRecurringRunRequest want = new KfpApi.CreateRecurringRunRequest(d.name(), null,
          experiment.experimentId(),
          new KfpApi.PipelineVersionReference(up.pipeline().pipelineId(), up.version().pipelineVersionId()),
          new KfpApi.RuntimeConfig(values, null), null, d.maxConcurrency(),
          new KfpApi.Trigger(new KfpApi.CronSchedule(null, null, cron.kfp()), null), d.enabled() ? "ENABLE" : "DISABLE",
          !d.catchup());
      List<KfpApi.RecurringRun> existing = client.findRecurringRuns(experiment.experimentId(), d.name());
      String action;
      KfpApi.RecurringRun result;
      if (existing.isEmpty()) {
        result = client.createRecurringRunOnce(want);
        action = "created";
      } else if (existing.size() == 1 && sameDefinition(existing.get(0), want)) {
        result = existing.get(0);
        if (result.enabled() == d.enabled()) {
          action = "unchanged";
        } else if (d.enabled()) {
          client.enableRecurringRun(result.recurringRunId());
          action = "enabled";
        } else {
          client.disableRecurringRun(result.recurringRunId());
          action = "disabled";
        }
      } else {
        for (KfpApi.RecurringRun old : existing) {
          client.deleteRecurringRun(old.recurringRunId());
        }
        result = client.createRecurringRunOnce(want);
        action = "replaced";
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("action", action);
      out.put("recurringRunId", result.recurringRunId());
      out.put("name", d.name());
      out.put("cron", cron.kfp());
      out.put("enabled", d.enabled());
      out.put("pipelineId", up.pipeline().pipelineId());
      out.put("versionId", up.version().pipelineVersionId());
      out.put("versionName", up.version().name());
      return out;
    }
  }

  /** Everything but the enabled flag, which can change in place (as {@code kfpci schedule} compares). */
  static boolean sameDefinition(KfpApi.RecurringRun have, KfpApi.CreateRecurringRunRequest want) {
    String haveCron = have.trigger() == null || have.trigger().cronSchedule() == null ? null
        : have.trigger().cronSchedule().cron();
    Map<String, JsonNode> haveParams = have.runtimeConfig() == null || have.runtimeConfig().parameters() == null
        ? Map.of() : have.runtimeConfig().parameters();
    Map<String, JsonNode> wantParams = want.runtimeConfig().parameters() == null ? Map.of()
        : want.runtimeConfig().parameters();
    return Objects.equals(haveCron, want.trigger().cronSchedule().cron())
        && (have.trigger() == null || have.trigger().periodicSchedule() == null)
        && (have.maxConcurrency() == null ? 1L : have.maxConcurrency().longValue())
            == (want.maxConcurrency() == null ? 1L : want.maxConcurrency().longValue())
        && Boolean.TRUE.equals(have.noCatchup()) == Boolean.TRUE.equals(want.noCatchup())
        && have.pipelineVersionReference() != null
        && Objects.equals(have.pipelineVersionReference().pipelineId(), want.pipelineVersionReference().pipelineId())
        && Objects.equals(have.pipelineVersionReference().pipelineVersionId(),
            want.pipelineVersionReference().pipelineVersionId())
        && haveParams.equals(wantParams);
  }

  /** One console line for the result. */
  public static String describe(Map<String, Object> result, String given, String endpointName) {
    String cron = (String) result.get("cron");
    return "[kfp] " + result.get("action") + ": recurring run " + result.get("name") + " ("
        + result.get("recurringRunId") + ") on " + endpointName + ", cron '" + cron + "'"
        + (given.strip().replaceAll("\\s+", " ").equals(cron) ? "" : " (from '" + given + "')") + ", "
        + (Boolean.TRUE.equals(result.get("enabled")) ? "enabled" : "disabled") + ", pipeline version '"
        + result.get("versionName") + "'";
  }
}
