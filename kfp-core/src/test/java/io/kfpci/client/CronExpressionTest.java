package io.kfpci.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CronExpressionTest {

  @Test
  void fiveFieldsGetASecondsFieldFirst() {
    CronExpression c = CronExpression.parse("0 0 * * *");
    assertThat(c.kfp()).isEqualTo("0 0 0 * * *");
    assertThat(c.converted()).isTrue();
  }

  @Test
  void sixFieldsAreKeptAsKfpParsesThem() {
    CronExpression c = CronExpression.parse("0 0 9 ? * 2-6");
    assertThat(c.kfp()).isEqualTo("0 0 9 ? * 2-6");
    assertThat(c.converted()).isFalse();
  }

  @Test
  void namesStepsListsAndDescriptorsAreAccepted() {
    assertThat(CronExpression.parse("*/15 9-17 * JAN,jul MON-FRI").kfp()).isEqualTo("0 */15 9-17 * JAN,jul MON-FRI");
    assertThat(CronExpression.parse("@daily").kfp()).isEqualTo("@daily");
    assertThat(CronExpression.parse("@every 1h30m").kfp()).isEqualTo("@every 1h30m");
    assertThat(CronExpression.parse("  0  2 * * * ").kfp()).isEqualTo("0 0 2 * * *");
  }

  @Test
  void invalidExpressionsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> CronExpression.parse("0 0 * *"))
        .hasMessage("cron '0 0 * *' has 4 fields; give 5 (minute hour day-of-month month day-of-week) or 6 (seconds first, as KFP parses it)");
    assertThatThrownBy(() -> CronExpression.parse("0 24 * * *"))
        .hasMessage("cron '0 24 * * *': hours field '24': 24 is out of range 0-23");
    assertThatThrownBy(() -> CronExpression.parse("61 0 0 * * *"))
        .hasMessage("cron '61 0 0 * * *': seconds field '61': 61 is out of range 0-59");
    assertThatThrownBy(() -> CronExpression.parse("0 0 * * FOO"))
        .hasMessage("cron '0 0 * * FOO': day of week field 'FOO': 'FOO' is not a number or a name like SUN");
    assertThatThrownBy(() -> CronExpression.parse("*/0 * * * *"))
        .hasMessage("cron '*/0 * * * *': minutes field '*/0': the step '0' must be a positive number");
    assertThatThrownBy(() -> CronExpression.parse("0 5-2 * * *"))
        .hasMessage("cron '0 5-2 * * *': hours field '5-2': the range 5-2 runs backwards");
    assertThatThrownBy(() -> CronExpression.parse("? * * * *"))
        .hasMessage("cron '? * * * *': minutes field '?': '?' is not a number");
    assertThatThrownBy(() -> CronExpression.parse("@sometimes"))
        .hasMessageStartingWith("cron '@sometimes': unknown descriptor");
    assertThatThrownBy(() -> CronExpression.parse(" ")).hasMessage("the cron expression is empty");
  }
}
