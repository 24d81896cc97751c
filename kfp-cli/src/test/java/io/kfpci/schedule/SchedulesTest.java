package io.kfpci.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.kfpci.client.CronExpression;
import io.kfpci.client.KfpApi;
import io.kfpci.client.KfpApi.CreateRecurringRunRequest;
import io.kfpci.client.KfpApi.RecurringRun;
import io.kfpci.client.KfpClient;
import io.kfpci.client.KfpConnection;
import io.kfpci.client.PipelinePackage;
import io.kfpci.emulator.EmulatorStartException;
import io.kfpci.emulator.EmulatorState;
import io.kfpci.emulator.KfpEmulator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The reconciler: its decision as a pure function of what the server has, then the whole loop
 * against the KFP API emulator (created, unchanged, disabled and enabled in place, replaced when
 * the cron, a parameter or the concurrency changes, every duplicate of the name replaced by one).
 */
class SchedulesTest {
  // Kept with kfp-cli's tests, which have the KFP emulator (kfp-core builds and benchmarks alone);
  // the pipeline is the one kfp-core's ScheduleDeclarationTest uses.
  private static byte[] fixture(String name) {
    try {
      return java.nio.file.Files.readAllBytes(java.nio.file.Path.of(System.getProperty("kfpci.repo.root", ".."))
          .resolve("kfp-core/src/test/resources/schedule/ScheduleDeclarationTest").resolve(name));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final KfpApi.PipelineVersionReference VERSION = new KfpApi.PipelineVersionReference("p1", "v1");

  private static CreateRecurringRunRequest want(String cron, Map<String, JsonNode> params, long concurrency,
      boolean noCatchup) {
    return new CreateRecurringRunRequest("nightly", null, "e1", VERSION, new KfpApi.RuntimeConfig(params, null), null,
        concurrency, new KfpApi.Trigger(new KfpApi.CronSchedule(null, null, cron), null), "ENABLE", noCatchup);
  }

  private static RecurringRun have(String id, KfpApi.Trigger trigger, Map<String, JsonNode> params, Long concurrency,
      Boolean noCatchup, KfpApi.PipelineVersionReference version, String status) {
    return new RecurringRun(id, "nightly", null, version, null,
        params == null ? null : new KfpApi.RuntimeConfig(params, null), null, concurrency, trigger, null, status,
        noCatchup, null, "e1", null, null, null);
  }

  private static KfpApi.Trigger cron(String cron) {
    return new KfpApi.Trigger(new KfpApi.CronSchedule(null, null, cron), null);
  }

  private static RecurringRun same(String id, String status) {
    return have(id, cron("0 0 2 * * *"), Map.of(), 1L, false, VERSION, status);
  }

  @Test
  void noneIsCreatedAnIdenticalOneKeptOrFlippedInPlace() {
    CreateRecurringRunRequest want = want("0 0 2 * * *", Map.of(), 1, false);
    assertThat(Schedules.decide(List.of(), want, true)).isEqualTo(ScheduleAction.CREATED);
    assertThat(Schedules.decide(List.of(same("r1", "ENABLED")), want, true)).isEqualTo(ScheduleAction.UNCHANGED);
    assertThat(Schedules.decide(List.of(same("r1", "DISABLED")), want, false)).isEqualTo(ScheduleAction.UNCHANGED);
    assertThat(Schedules.decide(List.of(same("r1", "ENABLED")), want, false)).isEqualTo(ScheduleAction.DISABLED);
    assertThat(Schedules.decide(List.of(same("r1", "DISABLED")), want, true)).isEqualTo(ScheduleAction.ENABLED);
    // Two of the name, even both identical: one is left in their place.
    assertThat(Schedules.decide(List.of(same("r1", "ENABLED"), same("r2", "ENABLED")), want, true))
        .isEqualTo(ScheduleAction.REPLACED);
  }

  @Test
  void everyDifferenceButTheEnabledStateIsAReplacement() {
    CreateRecurringRunRequest want = want("0 0 2 * * *", Map.of("epochs", IntNode.valueOf(5)), 1, true);
    RecurringRun base = have("r", cron("0 0 2 * * *"), Map.of("epochs", IntNode.valueOf(5)), null, true, VERSION, "ENABLED");
    // An absent max_concurrency is KFP's 1; an absent runtime config is no parameters.
    assertThat(Schedules.sameDefinition(base, want)).isTrue();
    assertThat(Schedules.sameDefinition(have("r", cron("0 0 3 * * *"), Map.of("epochs", IntNode.valueOf(5)), 1L, true,
        VERSION, "ENABLED"), want)).as("cron").isFalse();
    assertThat(Schedules.sameDefinition(have("r", new KfpApi.Trigger(null, new KfpApi.PeriodicSchedule(null, null, 60L)),
        Map.of("epochs", IntNode.valueOf(5)), 1L, true, VERSION, "ENABLED"), want)).as("periodic").isFalse();
    assertThat(Schedules.sameDefinition(have("r", null, Map.of("epochs", IntNode.valueOf(5)), 1L, true, VERSION,
        "ENABLED"), want)).as("no trigger").isFalse();
    assertThat(Schedules.sameDefinition(have("r", cron("0 0 2 * * *"), Map.of("epochs", IntNode.valueOf(6)), 1L, true,
        VERSION, "ENABLED"), want)).as("parameter").isFalse();
    assertThat(Schedules.sameDefinition(have("r", cron("0 0 2 * * *"), null, 1L, true, VERSION, "ENABLED"), want))
        .as("parameters absent").isFalse();
    assertThat(Schedules.sameDefinition(have("r", cron("0 0 2 * * *"), Map.of("epochs", IntNode.valueOf(5)), 2L, true,
        VERSION, "ENABLED"), want)).as("concurrency").isFalse();
    assertThat(Schedules.sameDefinition(have("r", cron("0 0 2 * * *"), Map.of("epochs", IntNode.valueOf(5)), 1L, null,
        VERSION, "ENABLED"), want)).as("catch-up").isFalse();
    assertThat(Schedules.sameDefinition(have("r", cron("0 0 2 * * *"), Map.of("epochs", IntNode.valueOf(5)), 1L, true,
        new KfpApi.PipelineVersionReference("p1", "v2"), "ENABLED"), want)).as("version").isFalse();
    assertThat(Schedules.sameDefinition(have("r", cron("0 0 2 * * *"), Map.of("epochs", IntNode.valueOf(5)), 1L, true,
        null, "ENABLED"), want)).as("no version").isFalse();
    assertThat(Schedules.sameDefinition(have("r", cron("0 0 2 * * *"), Map.of("epochs", IntNode.valueOf(5)), 1L, true,
        VERSION, "DISABLED"), want)).as("the enabled state is not the definition").isTrue();
  }

  private static KfpEmulator start() {
    try {
      return KfpEmulator.builder().start();
    } catch (EmulatorStartException e) {
      if (System.getenv("CI") != null) {
        throw e;
      }
      Assumptions.abort("skipped: " + e.getMessage());
      throw e;
    }
  }

  private static ScheduleDeclaration declaration(String cron, Map<String, JsonNode> params, long concurrency,
      boolean enabled) throws Exception {
    PipelinePackage pkg = PipelinePackage.of("nightly.yaml", fixture("nightly.yaml"));
    return ScheduleDeclaration.builder().name("nightly").cron(CronExpression.parse(cron)).experiment("retraining")
        .pipeline(pkg, "v-" + pkg.hash8()).parameters(params).maxConcurrency(concurrency).enabled(enabled)
        .catchup(false).build();
  }

  @Test
  void reconcilingMakesTheServerMatchAndChangesNothingTheSecondTime() throws Exception {
    try (KfpEmulator kfp = start();
        KfpClient client = KfpClient.connect(KfpConnection.builder(kfp.baseUrl()).build())) {
      ScheduleResult created = Schedules.reconcile(client, declaration("0 2 * * *", Map.of(), 1, true));
      assertThat(created.action()).isEqualTo(ScheduleAction.CREATED);
      EmulatorState.RecurringRun onServer = kfp.state().recurringRuns().get(0);
      assertThat(onServer.id()).isEqualTo(created.recurringRunId());
      assertThat(onServer.displayName()).isEqualTo("nightly");
      assertThat(onServer.enabled()).isTrue();
      assertThat(onServer.noCatchup()).isTrue();
      assertThat(onServer.maxConcurrency()).isEqualTo("1");
      assertThat(onServer.trigger().path("cron_schedule").path("cron").asText()).isEqualTo("0 0 2 * * *");
      assertThat(kfp.state().versions()).singleElement().satisfies(v -> {
        assertThat(v.id()).isEqualTo(created.versionId());
        assertThat(v.name()).isEqualTo(created.versionName());
        assertThat(v.pipelineId()).isEqualTo(created.pipelineId());
      });

      ScheduleResult same = Schedules.reconcile(client, declaration("0 0 2 * * *", Map.of(), 1, true));
      assertThat(same.action()).isEqualTo(ScheduleAction.UNCHANGED);
      assertThat(same.recurringRunId()).isEqualTo(created.recurringRunId());

      assertThat(Schedules.reconcile(client, declaration("0 2 * * *", Map.of(), 1, false)).action())
          .isEqualTo(ScheduleAction.DISABLED);
      assertThat(kfp.state().recurringRuns()).singleElement().satisfies(r -> assertThat(r.enabled()).isFalse());
      assertThat(Schedules.reconcile(client, declaration("0 2 * * *", Map.of(), 1, true)).action())
          .isEqualTo(ScheduleAction.ENABLED);
      assertThat(kfp.state().recurringRuns()).singleElement().satisfies(r -> {
        assertThat(r.enabled()).isTrue();
        assertThat(r.id()).isEqualTo(created.recurringRunId());
      });

      ScheduleResult moved = Schedules.reconcile(client, declaration("0 0 3 * * *", Map.of(), 1, true));
      assertThat(moved.action()).isEqualTo(ScheduleAction.REPLACED);
      assertThat(moved.recurringRunId()).isNotEqualTo(created.recurringRunId());
      ScheduleResult reparam = Schedules.reconcile(client,
          declaration("0 0 3 * * *", Map.of("epochs", IntNode.valueOf(50)), 1, true));
      assertThat(reparam.action()).isEqualTo(ScheduleAction.REPLACED);
      ScheduleResult wider = Schedules.reconcile(client,
          declaration("0 0 3 * * *", Map.of("epochs", IntNode.valueOf(50)), 4, true));
      assertThat(wider.action()).isEqualTo(ScheduleAction.REPLACED);
      assertThat(kfp.state().recurringRuns()).singleElement().satisfies(r -> {
        assertThat(r.id()).isEqualTo(wider.recurringRunId());
        assertThat(r.maxConcurrency()).isEqualTo("4");
        assertThat(r.trigger().path("cron_schedule").path("cron").asText()).isEqualTo("0 0 3 * * *");
      });
      assertThat(Schedules.reconcile(client, declaration("0 0 3 * * *", Map.of("epochs", IntNode.valueOf(50)), 4, true))
          .action()).isEqualTo(ScheduleAction.UNCHANGED);
      // One pipeline version throughout: the same content is never uploaded twice.
      assertThat(kfp.state().versions()).hasSize(1);
    }
  }

  @Test
  void twoOfTheNameAreReplacedByOne() throws Exception {
    try (KfpEmulator kfp = start();
        KfpClient client = KfpClient.connect(KfpConnection.builder(kfp.baseUrl()).build())) {
      ScheduleDeclaration d = declaration("0 2 * * *", Map.of(), 1, true);
      ScheduleResult first = Schedules.reconcile(client, d);
      // A second one of the name, made behind the reconciler's back (another tool, a lost answer).
      String experimentId = client.experiment("retraining").experimentId();
      client.createRecurringRunOnce(Schedules.request(d, experimentId, new io.kfpci.client.PipelineUploader(client)
          .upload(d.pipeline(), d.pipeline().pipelineName(), d.versionName(), null)));
      assertThat(kfp.state().recurringRuns()).hasSize(2);

      ScheduleResult again = Schedules.reconcile(client, d);

      assertThat(again.action()).isEqualTo(ScheduleAction.REPLACED);
      assertThat(kfp.state().recurringRuns()).singleElement().satisfies(r -> {
        assertThat(r.id()).isEqualTo(again.recurringRunId()).isNotEqualTo(first.recurringRunId());
        assertThat(r.displayName()).isEqualTo("nightly");
      });
    }
  }
}
