package io.jenkins.plugins.kfp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.KfpException;
import io.kfpci.client.CronExpression;
import io.kfpci.client.KfpClient;
import io.kfpci.client.KfpConnection;
import io.kfpci.client.PipelinePackage;
import io.kfpci.client.PipelineUploader;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.schedule.InvalidScheduleException;
import io.kfpci.schedule.ScheduleDeclaration;
import io.kfpci.schedule.ScheduleResult;
import io.kfpci.schedule.Schedules;
import io.kfpci.validate.RunParameters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code kfpSchedule} without Jenkins: the step's fields become kfp-core's
 * {@link ScheduleDeclaration}, reconciled by {@link Schedules} as {@code kfpci schedule} does, and the
 * outcome the step's return value. Everything that can be refused (cron, name, concurrency,
 * parameters, version name) is refused before the first call, as a {@link KfpException} naming the
 * step's field.
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
   * Reconciles (kfp-core's {@link Schedules}) and returns what {@code kfpSchedule} returns:
   * {@code [action:, recurringRunId:, name:, cron:, enabled:, pipelineId:, versionId:, versionName:]},
   * {@code action} one of created, unchanged, enabled, disabled, replaced.
   */
  public static Map<String, Object> apply(KfpConnection connection, Declaration d)
      throws KfpException, InterruptedException {
    CronExpression cron;
    try {
      cron = CronExpression.parse(d.cron());
    } catch (IllegalArgumentException e) {
      throw new KfpException("cron: " + e.getMessage(), e);
    }
    PipelinePackage pkg = PipelinePackage.of(d.fileName(), d.content());
    Map<String, JsonNode> values = RunParameters.resolve(PipelineLoader.load(d.fileName(), d.content()), d.params());
    ScheduleDeclaration declaration;
    try {
      declaration = ScheduleDeclaration.builder().name(d.name()).cron(cron).experiment(d.experiment())
          .pipeline(pkg, PipelineUploader.versionName(d.versionPattern(), d.gitShortSha(), pkg)).parameters(values)
          .maxConcurrency(d.maxConcurrency()).enabled(d.enabled()).catchup(d.catchup()).build();
    } catch (InvalidScheduleException e) {
      throw new KfpException(e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new KfpException("versionName: " + e.getMessage(), e);
    }
    try (KfpClient client = KfpClient.connect(connection)) {
      ScheduleResult result = Schedules.reconcile(client, declaration);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("action", result.action().label());
      out.put("recurringRunId", result.recurringRunId());
      out.put("name", d.name());
      out.put("cron", cron.kfp());
      out.put("enabled", d.enabled());
      out.put("pipelineId", result.pipelineId());
      out.put("versionId", result.versionId());
      out.put("versionName", result.versionName());
      return out;
    }
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
