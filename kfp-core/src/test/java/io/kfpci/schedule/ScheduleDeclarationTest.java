package io.kfpci.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import io.kfpci.client.CronExpression;
import io.kfpci.client.PipelinePackage;
import io.kfpci.testing.Fixtures;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A declaration is refused before any call, naming the field in the builder's terms and apart. */
class ScheduleDeclarationTest {
  private static ScheduleDeclaration.Builder valid() throws Exception {
    return ScheduleDeclaration.builder().name("nightly").cron(CronExpression.parse("0 2 * * *"))
        .pipeline(PipelinePackage.of("nightly.yaml", Fixtures.bytes(ScheduleDeclarationTest.class, "nightly.yaml")), "v1");
  }

  @Test
  void theDefaultsAreKfps() throws Exception {
    ScheduleDeclaration d = valid().build();
    assertThat(d.experiment()).isEqualTo("Default");
    assertThat(d.maxConcurrency()).isEqualTo(1);
    assertThat(d.enabled()).isTrue();
    assertThat(d.catchup()).isTrue();
    assertThat(d.parameters()).isEmpty();
    assertThat(d.cron().kfp()).isEqualTo("0 0 2 * * *");
    assertThat(d.versionName()).isEqualTo("v1");
  }

  @Test
  void theParametersAreCopied() throws Exception {
    Map<String, com.fasterxml.jackson.databind.JsonNode> given = new HashMap<>(Map.of("epochs", IntNode.valueOf(5)));
    ScheduleDeclaration d = valid().parameters(given).build();
    given.put("epochs", IntNode.valueOf(6));
    assertThat(d.parameters()).containsExactly(Map.entry("epochs", IntNode.valueOf(5)));
  }

  @Test
  void aBadFieldIsNamedWithItsReason() throws Exception {
    assertThatThrownBy(() -> valid().maxConcurrency(11).build())
        .isInstanceOfSatisfying(InvalidScheduleException.class, e -> {
          assertThat(e.field()).isEqualTo(InvalidScheduleException.Field.MAX_CONCURRENCY);
          assertThat(e.reason()).isEqualTo("must be 1 to 10 (KFP's range), not 11");
        })
        .hasMessage("maxConcurrency must be 1 to 10 (KFP's range), not 11");
    assertThatThrownBy(() -> valid().maxConcurrency(0).build())
        .hasMessage("maxConcurrency must be 1 to 10 (KFP's range), not 0");
    assertThat(valid().maxConcurrency(10).build().maxConcurrency()).isEqualTo(10);
    assertThatThrownBy(() -> valid().name(" ").build())
        .isInstanceOfSatisfying(InvalidScheduleException.class,
            e -> assertThat(e.field()).isEqualTo(InvalidScheduleException.Field.NAME))
        .hasMessage("name is empty: the recurring run needs a name (its display name on the server)");
    assertThatThrownBy(() -> valid().experiment("").build())
        .isInstanceOfSatisfying(InvalidScheduleException.class,
            e -> assertThat(e.field()).isEqualTo(InvalidScheduleException.Field.EXPERIMENT))
        .hasMessage("experiment is empty: give the display name of the experiment the recurring run belongs to");
  }
}
