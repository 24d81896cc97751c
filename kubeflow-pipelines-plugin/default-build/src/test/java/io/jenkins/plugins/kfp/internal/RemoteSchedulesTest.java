package io.jenkins.plugins.kfp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kfp.PluginClassesAccess;
import io.kfpci.KfpException;
import io.kfpci.client.KfpConnection;
import io.kfpci.emulator.EmulatorState;
import io.kfpci.emulator.KfpEmulator;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code kfpSchedule} without Jenkins against the KFP API emulator: the step's fields reach
 * kfp-core's reconciler (whose every case {@code io.kfpci.schedule.SchedulesTest} covers) and its
 * outcome comes back as the step's map and console line; bad declarations are refused before any
 * call, naming the step's field.
 */
class RemoteSchedulesTest {
  private static final String TOKEN = "kfp-schedule-token-19af";

  private static KfpEmulator start() {
    return Emulators.start(KfpEmulator.builder().requireBearerToken(TOKEN));
  }

  private static RemoteSchedules.Declaration declaration(String cron, Map<String, String> params, boolean enabled)
      throws Exception {
    byte[] ir = Files.readAllBytes(PluginClassesAccess.repoRoot()
        .resolve("kfp-cli/src/test/resources/cli/RemoteCommandsTest/two-step.yaml"));
    return new RemoteSchedules.Declaration("nightly", cron, "two-step.yaml", ir, params, "nightly-exp", 1, enabled,
        true, "", "abc1234");
  }

  private static KfpConnection connect(KfpEmulator kfp) throws KfpException {
    return RemoteUpload.connection("prod", kfp.baseUrl().toString(), "", "kfp-token", () -> TOKEN, w -> {});
  }

  @Test
  void reconcilesTheRecurringRunWithItsDeclaration() throws Exception {
    try (KfpEmulator kfp = start()) {
      KfpConnection connection = connect(kfp);
      Map<String, Object> created = RemoteSchedules.apply(connection, declaration("0 2 * * *", Map.of(), true));
      assertThat(created).containsEntry("action", "created").containsEntry("name", "nightly")
          .containsEntry("cron", "0 0 2 * * *").containsEntry("enabled", true);
      EmulatorState.RecurringRun onServer = kfp.state().recurringRuns().get(0);
      assertThat(onServer.id()).isEqualTo(created.get("recurringRunId"));
      assertThat(onServer.enabled()).isTrue();
      assertThat(onServer.noCatchup()).isFalse();
      assertThat(RemoteSchedules.describe(created, "0 2 * * *", "prod")).isEqualTo("[kfp] created: recurring run nightly ("
          + created.get("recurringRunId") + ") on prod, cron '0 0 2 * * *' (from '0 2 * * *'), enabled, pipeline version '"
          + created.get("versionName") + "'");

      Map<String, Object> same = RemoteSchedules.apply(connection, declaration("0 2 * * *", Map.of(), true));
      assertThat(same).containsEntry("action", "unchanged").containsEntry("recurringRunId", created.get("recurringRunId"));

      Map<String, Object> disabled = RemoteSchedules.apply(connection, declaration("0 2 * * *", Map.of(), false));
      assertThat(disabled).containsEntry("action", "disabled").containsEntry("recurringRunId", created.get("recurringRunId"));
      assertThat(kfp.state().recurringRuns()).singleElement().satisfies(r -> assertThat(r.enabled()).isFalse());

      Map<String, Object> moved = RemoteSchedules.apply(connection, declaration("0 0 3 * * *", Map.of(), true));
      assertThat(moved).containsEntry("action", "replaced").containsEntry("cron", "0 0 3 * * *");
      assertThat(moved.get("recurringRunId")).isNotEqualTo(created.get("recurringRunId"));
      assertThat(RemoteSchedules.describe(moved, "0 0 3 * * *", "prod")).doesNotContain("(from ");
      assertThat(kfp.state().recurringRuns()).singleElement()
          .satisfies(r -> assertThat(r.id()).isEqualTo(moved.get("recurringRunId")));
      assertThat(kfp.state().versions()).singleElement().satisfies(v -> {
        assertThat(moved).containsEntry("versionId", v.id()).containsEntry("pipelineId", v.pipelineId())
            .containsEntry("versionName", v.name());
      });
    }
  }

  @Test
  void badDeclarationsAreRefusedBeforeAnyCall() throws Exception {
    try (KfpEmulator kfp = start()) {
      KfpConnection connection = connect(kfp);
      assertThatThrownBy(() -> RemoteSchedules.apply(connection, declaration("0 2 * *", Map.of(), true)))
          .isInstanceOf(KfpException.class)
          .hasMessage("cron: cron '0 2 * *' has 4 fields; give 5 (minute hour day-of-month month day-of-week) or 6"
              + " (seconds first, as KFP parses it)");
      assertThatThrownBy(() -> RemoteSchedules.apply(connection, declaration("0 2 * * *", Map.of("epochs", "3"), true)))
          .isInstanceOf(KfpException.class).hasMessageContaining("epochs");
      byte[] ir = Files.readAllBytes(PluginClassesAccess.repoRoot()
          .resolve("kfp-cli/src/test/resources/cli/RemoteCommandsTest/two-step.yaml"));
      assertThatThrownBy(() -> RemoteSchedules.apply(connection, new RemoteSchedules.Declaration("nightly", "@daily",
          "two-step.yaml", ir, Map.of(), "x", 11, true, true, "", null)))
          .isInstanceOf(KfpException.class).hasMessage("maxConcurrency must be 1 to 10 (KFP's range), not 11");
      assertThatThrownBy(() -> RemoteSchedules.apply(connection, new RemoteSchedules.Declaration(" ", "@daily",
          "two-step.yaml", ir, Map.of(), "x", 1, true, true, "", null)))
          .isInstanceOf(KfpException.class)
          .hasMessage("name is empty: the recurring run needs a name (its display name on the server)");
      assertThatThrownBy(() -> RemoteSchedules.apply(connection, new RemoteSchedules.Declaration("nightly", "@daily",
          "two-step.yaml", ir, Map.of(), "x", 1, true, true, "{nope}", null)))
          .isInstanceOf(KfpException.class).hasMessageStartingWith("versionName: ");
      assertThat(kfp.state().requests()).isEmpty();
    }
  }
}
