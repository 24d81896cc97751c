package io.kfpci.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.report.GateResult;
import io.kfpci.report.MetricSummary;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QualityGateTest {
  static final List<MetricSummary> RUN = List.of(
      new MetricSummary("train", "training_metrics", "train_accuracy", 1.0),
      new MetricSummary("evaluate", "metrics", "test_accuracy", 0.8667),
      new MetricSummary("evaluate", "metrics", "test_f1", 0.8182),
      new MetricSummary("evaluate", "metrics", "accuracy", 0.8),
      new MetricSummary("train", "training_metrics", "accuracy", 0.99));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "test_accuracy >= 0.8667|PASSED", "test_accuracy >= 0.8668|FAILED",
      "test_accuracy > 0.8666|PASSED", "test_accuracy > 0.8667|FAILED",
      "test_accuracy <= 0.8667|PASSED", "test_accuracy <= 0.8666|FAILED",
      "test_accuracy < 0.8668|PASSED", "test_accuracy < 0.8667|FAILED",
      "test_accuracy == 0.8667|PASSED", "test_accuracy == 0.9|FAILED",
      "test_accuracy != 0.9|PASSED", "test_accuracy != 0.8667|FAILED"})
  void everyOperator(String rule, Verdict expected) throws GateException {
    RuleResult r = one(rule, RuleSeverity.FAIL, null);
    assertThat(r.verdict()).isEqualTo(expected);
    assertThat(r.measured()).isEqualTo(0.8667);
    assertThat(r.metricId()).isEqualTo("evaluate/metrics/test_accuracy");
  }

  @Test
  void messagesSayTheValueTheComparisonAndTheBaseline() throws GateException {
    assertThat(one("test_accuracy >= 0.85", RuleSeverity.FAIL, null).message())
        .isEqualTo("evaluate/metrics/test_accuracy = 0.8667 >= 0.85");
    assertThat(one("test_f1 > 0.9", RuleSeverity.FAIL, null).message())
        .isEqualTo("evaluate/metrics/test_f1 = 0.8182 is not > 0.9");
    RuleResult r = one("test_f1 > baseline - 0.01", RuleSeverity.FAIL,
        new Baseline("run r-1", "r-1", List.of(new MetricSummary("evaluate", "metrics", "test_f1", 0.84))));
    assertThat(r.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(r.baseline()).isEqualTo(0.84);
    assertThat(r.threshold()).isEqualTo(0.84 - 0.01);
    assertThat(r.message()).isEqualTo("evaluate/metrics/test_f1 = 0.8182 is not > 0.83 (baseline 0.84)");
  }

  @Test
  void aWarnRuleThatDoesNotHoldMakesTheGateUnstableAndAFailRuleFailsIt() throws GateException {
    GateReport warnOnly = QualityGate.evaluate(List.of(
        GateRules.parse("test_accuracy >= 0.85", RuleSeverity.FAIL, "--rule 1"),
        GateRules.parse("test_f1 > 0.9", RuleSeverity.WARN, "--warn 1")), "s", RUN, null);
    assertThat(warnOnly.results()).extracting(RuleResult::verdict).containsExactly(Verdict.PASSED, Verdict.WARNED);
    assertThat(warnOnly.outcome()).isEqualTo(GateOutcome.UNSTABLE);
    assertThat(warnOnly.outcome().exitCode()).isEqualTo(2);

    GateReport failing = QualityGate.evaluate(List.of(
        GateRules.parse("test_accuracy >= 0.9", RuleSeverity.FAIL, "--rule 1"),
        GateRules.parse("test_f1 > 0.9", RuleSeverity.WARN, "--warn 1")), "s", RUN, null);
    assertThat(failing.outcome()).isEqualTo(GateOutcome.FAILED);
    assertThat(failing.outcome().exitCode()).isEqualTo(1);

    GateReport passing = QualityGate.evaluate(List.of(
        GateRules.parse("test_accuracy >= 0.8", RuleSeverity.FAIL, "--rule 1")), "s", RUN, null);
    assertThat(passing.outcome()).isEqualTo(GateOutcome.PASSED);
    assertThat(passing.outcome().exitCode()).isZero();
  }

  @Test
  void anAmbiguousShortNameIsAnErrorListingTheCandidatesEvenForAWarnRule() throws GateException {
    RuleResult r = one("accuracy > 0.5", RuleSeverity.WARN, null);
    assertThat(r.verdict()).isEqualTo(Verdict.ERROR);
    assertThat(r.message()).isEqualTo("'accuracy' matches 2 metrics: evaluate/metrics/accuracy, "
        + "train/training_metrics/accuracy; name one as task/output/name");
    // Qualified, it resolves: task/name and task/output/name.
    assertThat(one("train/accuracy > 0.5", RuleSeverity.FAIL, null).measured()).isEqualTo(0.99);
    assertThat(one("evaluate/metrics/accuracy > 0.5", RuleSeverity.FAIL, null).measured()).isEqualTo(0.8);
  }

  @Test
  void aMissingMetricIsAnErrorWithADidYouMeanAndTheMetricsThereAre() throws GateException {
    RuleResult r = one("test_acuracy >= 0.8", RuleSeverity.FAIL, null);
    assertThat(r.verdict()).isEqualTo(Verdict.ERROR);
    assertThat(r.measured()).isNull();
    assertThat(r.message()).isEqualTo("no metric 'test_acuracy' in the run; did you mean 'test_accuracy'? (the run has "
        + "train/training_metrics/train_accuracy, evaluate/metrics/test_accuracy, evaluate/metrics/test_f1, "
        + "evaluate/metrics/accuracy, train/training_metrics/accuracy)");

    GateReport none = QualityGate.evaluate(List.of(GateRules.parse("acc > 1", RuleSeverity.FAIL, "r")), "s", List.of(), null);
    assertThat(none.results().get(0).message())
        .isEqualTo("no metric 'acc': the run has no metrics (did its tasks log any to a Metrics output?)");
    assertThat(none.outcome()).isEqualTo(GateOutcome.FAILED);
  }

  @Test
  void withoutABaselineABaselineRuleIsNotCheckedAndDoesNotFail() throws GateException {
    RuleResult noBaseline = one("test_f1 > baseline", RuleSeverity.FAIL, null);
    assertThat(noBaseline.verdict()).isEqualTo(Verdict.NO_BASELINE);
    assertThat(noBaseline.message()).isEqualTo(
        "no baseline to compare with (no earlier successful run was given or found); the rule was not checked");

    RuleResult metricNotInBaseline = one("test_f1 > baseline", RuleSeverity.FAIL,
        new Baseline("run r-0", "r-0", List.of(new MetricSummary("evaluate", "metrics", "other", 1))));
    assertThat(metricNotInBaseline.verdict()).isEqualTo(Verdict.NO_BASELINE);
    assertThat(metricNotInBaseline.message())
        .isEqualTo("the baseline (run r-0) has no metric evaluate/metrics/test_f1; the rule was not checked");

    GateResult stored = noBaseline.toGateResult();
    assertThat(stored.passed()).isTrue();
    assertThat(stored.verdict()).isEqualTo("no-baseline");
    assertThat(stored.severity()).isEqualTo("fail");
  }

  @Test
  void aFlatMetricsBaselineMatchesByTheRulesReference() throws GateException {
    RuleResult r = one("test_f1 >= baseline", RuleSeverity.FAIL,
        new Baseline("m.json", null, List.of(new MetricSummary("", "", "test_f1", 0.8))));
    assertThat(r.verdict()).isEqualTo(Verdict.PASSED);
    assertThat(r.baseline()).isEqualTo(0.8);
  }

  @Test
  void aThresholdThatIsNotANumberIsAnError() throws GateException {
    RuleResult r = one("test_f1 > 1 / 0 - 1 / 0", RuleSeverity.FAIL, null);
    assertThat(r.verdict()).isEqualTo(Verdict.ERROR);
    assertThat(r.message()).isEqualTo("the threshold '1 / 0 - 1 / 0' comes to NaN, not a number to compare with");
  }

  @Test
  void aRetriedTasksLaterValueWins() throws GateException {
    GateReport report = QualityGate.evaluate(List.of(GateRules.parse("acc >= 0.5", RuleSeverity.FAIL, "r")), "s",
        List.of(new MetricSummary("t", "m", "acc", 0.1), new MetricSummary("t", "m", "acc", 0.7)), null);
    assertThat(report.results().get(0).measured()).isEqualTo(0.7);
  }

  private static RuleResult one(String rule, RuleSeverity severity, Baseline baseline) throws GateException {
    return QualityGate.evaluate(List.of(GateRules.parse(rule, severity, "--rule 1")), "summary.json", RUN, baseline)
        .results().get(0);
  }
}
