package io.jenkins.plugins.kfp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kfp.view.KfpRunAction;
import io.kfpci.KfpException;
import io.kfpci.gate.GateOutcome;
import io.kfpci.gate.RuleSeverity;
import io.kfpci.report.GateResult;
import io.kfpci.report.MetricSummary;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller side of {@code kfpGate} and the freestyle gate without Jenkins: the run of the
 * build is found, rules come from the step, the form and a workspace file (read in-process as the
 * agent reads it), the core evaluates them against the build's stored summary with the baseline
 * from the last successful build's storage, and the verdicts are written back. Only the parts that
 * touch Run, FlowNode and the JUnit recorder are left to the -Pjenkins tests.
 */
class BuildGateTest {
  private static final String RUN = "jenkins-8-0a1b2c3d";
  private static final String BASELINE_RUN = "jenkins-7-99887766";

  @TempDir Path root;
  private Path build;
  private Path lastSuccessful;

  private static String summary(String runId, RuntimeState state, double accuracy, double f1, String finished) {
    List<MetricSummary> metrics = List.of(new MetricSummary("evaluate", "metrics", "test_accuracy", accuracy),
        new MetricSummary("evaluate", "metrics", "test_f1", f1));
    TaskSummary task = new TaskSummary("evaluate", "evaluate", "", "comp-evaluate", "container", null, state,
        null, null, 1, false, "", List.of(), Map.of(), List.of(), metrics, "", List.of(), 0, null);
    return RunSummaryJson.toJson(new RunSummary(1, "ml-training", runId, state, Instant.parse("2026-01-02T03:04:05Z"),
        null, Instant.parse(finished), Map.of(), new RunSummary.Location("local", "/agent/run", null), null,
        List.of(task), List.of()));
  }

  @BeforeEach
  void storeRuns() throws Exception {
    build = root.resolve("jobs/p/builds/8");
    lastSuccessful = root.resolve("jobs/p/builds/7");
    RunStorage.store(build, RUN, summary(RUN, RuntimeState.SUCCEEDED, 0.88, 0.80, "2026-01-02T04:00:00Z"), "agent");
    RunStorage.store(lastSuccessful, BASELINE_RUN,
        summary(BASELINE_RUN, RuntimeState.SUCCEEDED, 0.86, 0.83, "2026-01-01T04:00:00Z"), "agent");
  }

  private Path runDir() throws KfpException {
    return RunStorage.directory(build, RUN);
  }

  @Test
  void aWarnRuleThatDoesNotHoldAgainstTheBaselineMakesTheGateUnstableAndIsWrittenBack() throws Exception {
    Files.writeString(runDir().resolve(RunStorage.REPORT_FILE), "the runner's page");
    BuildGate.Options options = new BuildGate.Options(List.of("test_accuracy >= 0.85"),
        List.of("test_f1 > baseline - 0.01"), "", "", "");

    StoredGate.Evaluated gate = StoredGate.evaluate(runDir(), BuildGate.rules(options, List.of()),
        lastSuccessful.resolve(RunStorage.DIRECTORY), List.of());

    assertThat(gate.report().outcome()).isEqualTo(GateOutcome.UNSTABLE);
    Map<String, Object> result = StoredGate.result(gate.report());
    assertThat(result.get("outcome")).isEqualTo("UNSTABLE");
    assertThat((String) result.get("baseline")).startsWith("run " + BASELINE_RUN + " in ");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rules = (List<Map<String, Object>>) result.get("rules");
    assertThat(rules).hasSize(2);
    assertThat(rules.get(0)).containsEntry("rule", "test_accuracy >= 0.85").containsEntry("severity", "fail")
        .containsEntry("verdict", "passed").containsEntry("metric", "evaluate/metrics/test_accuracy")
        .containsEntry("value", 0.88).containsEntry("threshold", 0.85).containsEntry("baseline", null);
    assertThat(rules.get(1)).containsEntry("rule", "test_f1 > baseline - 0.01").containsEntry("severity", "warn")
        .containsEntry("verdict", "warned").containsEntry("value", 0.80).containsEntry("baseline", 0.83);
    assertThat(rules.get(0).get("message")).isEqualTo("evaluate/metrics/test_accuracy = 0.88 >= 0.85");
    assertThat(rules.get(1).get("message"))
        .isEqualTo("evaluate/metrics/test_f1 = 0.8 is not > 0.82 (baseline 0.83)");
    assertThat(StoredGate.problems(gate.report())).containsExactly(
        "test_f1 > baseline - 0.01 (warnRules[0]): warned, " + rules.get(1).get("message"));
    assertThat(BuildGate.verdictLines(gate.report().results())).containsExactly(
        "test_accuracy >= 0.85: passed, " + rules.get(0).get("message"),
        "test_f1 > baseline - 0.01: warned, " + rules.get(1).get("message"));

    // The stored summary carries the verdicts (the run view and later gates read it) ...
    RunSummary stored = RunSummaryJson.read(runDir().resolve(RunStorage.SUMMARY_FILE));
    assertThat(stored.gates()).extracting(GateResult::expression, GateResult::verdictWord)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("test_accuracy >= 0.85", "passed"),
            org.assertj.core.groups.Tuple.tuple("test_f1 > baseline - 0.01", "warned"));
    // ... and so does the report page the run view embeds.
    assertThat(runDir().resolve(RunStorage.REPORT_FILE)).content().doesNotContain("the runner's page")
        .contains("test_f1 &gt; baseline - 0.01");
  }

  @Test
  void aFailRuleThatDoesNotHoldFailsTheGate() throws Exception {
    BuildGate.Options options = new BuildGate.Options(List.of("test_accuracy >= 0.9"), List.of(), "", "", "");
    StoredGate.Evaluated gate = StoredGate.evaluate(runDir(), BuildGate.rules(options, List.of()), null, List.of());
    assertThat(gate.report().outcome()).isEqualTo(GateOutcome.FAILED);
    assertThat(StoredGate.problems(gate.report())).containsExactly(
        "test_accuracy >= 0.9 (rules[0]): failed, evaluate/metrics/test_accuracy = 0.88 is not >= 0.9");
  }

  @Test
  void theFirstBuildHasNoBaselineAndAMissingMetricIsAnError() throws Exception {
    BuildGate.Options options = new BuildGate.Options(List.of("test_f1 > baseline - 0.01", "test_auc >= 0.5"),
        List.of(), "", "", "");
    StoredGate.Evaluated gate = StoredGate.evaluate(runDir(), BuildGate.rules(options, List.of()),
        root.resolve("jobs/p/builds/none/kfp"), List.of());
    assertThat(gate.report().results()).extracting(r -> r.verdict().word()).containsExactly("no-baseline", "error");
    assertThat(gate.report().outcome()).isEqualTo(GateOutcome.FAILED);
    assertThat(StoredGate.result(gate.report())).containsEntry("baseline", null);
  }

  @Test
  void theBaselineSkipsAFailedRunOfTheLastSuccessfulBuild() throws Exception {
    Path other = root.resolve("jobs/p/builds/6");
    RunStorage.store(other, "jenkins-6-00000000",
        summary("jenkins-6-00000000", RuntimeState.FAILED, 0.10, 0.10, "2026-01-01T05:00:00Z"), "agent");
    BuildGate.Options options = new BuildGate.Options(List.of("test_f1 >= baseline"), List.of(), "", "", "");
    StoredGate.Evaluated gate = StoredGate.evaluate(runDir(), BuildGate.rules(options, List.of()),
        other.resolve(RunStorage.DIRECTORY), List.of());
    assertThat(gate.report().results().get(0).verdict().word()).isEqualTo("no-baseline");
  }

  @Test
  void theRunToGateIsTheBuildsLastUnlessNamed() throws Exception {
    RunSummary first = RunSummaryJson.fromJson(summary("jenkins-8-11111111", RuntimeState.SUCCEEDED, 1, 1,
        "2026-01-02T04:00:00Z"), "test");
    RunSummary second = RunSummaryJson.fromJson(summary(RUN, RuntimeState.SUCCEEDED, 1, 1,
        "2026-01-02T04:00:00Z"), "test");
    List<KfpRunAction> runs = List.of(KfpRunAction.of("jenkins-8-11111111", first, true, "", "/ws/a"),
        KfpRunAction.of(RUN, second, true, "", "/ws/b"));

    assertThat(BuildGate.target(runs, "").getRunId()).isEqualTo(RUN);
    assertThat(BuildGate.target(runs, "jenkins-8-11111111").getRunId()).isEqualTo("jenkins-8-11111111");
    assertThatThrownBy(() -> BuildGate.target(runs, "jenkins-9-x")).isInstanceOf(KfpException.class)
        .hasMessage("kfpGate: this build has no run 'jenkins-9-x'; its runs are [jenkins-8-11111111, " + RUN + "]");
    assertThatThrownBy(() -> BuildGate.target(List.of(), "")).isInstanceOf(KfpException.class)
        .hasMessage("kfpGate: this build has no Kubeflow run to gate; call kfpRun before kfpGate, or give runId");
  }

  @Test
  void theRunActionShowsTheLastGate() throws Exception {
    KfpRunAction action = KfpRunAction.of(RUN, RunSummaryJson.fromJson(summary(RUN, RuntimeState.SUCCEEDED, 1, 1,
        "2026-01-02T04:00:00Z"), "test"), true, "", "/ws/b");
    assertThat(action.getGateOutcome()).isNull();
    assertThat(action.getGateVerdicts()).isEmpty();
    action.recordGate("PASSED", List.of("a >= 1: passed, 1 >= 1"));
    assertThat(action.getGateOutcome()).isEqualTo("PASSED");
    assertThat(action.getGateVerdicts()).containsExactly("a >= 1: passed, 1 >= 1");
  }

  @Test
  void rulesComeFromTheFileFirstThenTheStepAndNoneIsAnError() throws Exception {
    Path ws = Files.createDirectories(root.resolve("ws"));
    Files.writeString(ws.resolve("gates.yaml"), "rules:\n  - test_accuracy >= 0.8\n  - rule: test_f1 >= 0.7\n"
        + "    severity: warn\n");
    AgentGateRules.Loaded loaded = new AgentGateRules("gates.yaml").invoke(ws.toFile(), null);
    assertThat(loaded.error()).isNull();
    List<AgentGateRules.Line> lines = loaded.lines();
    String file = ws.resolve("gates.yaml").toString();
    assertThat(lines).containsExactly(new AgentGateRules.Line("test_accuracy >= 0.8", RuleSeverity.FAIL, file + ":2"),
        new AgentGateRules.Line("test_f1 >= 0.7", RuleSeverity.WARN, file + ":3"));

    BuildGate.Options options = new BuildGate.Options(List.of("test_accuracy >= 0.85"), List.of("test_f1 > 0.75"),
        "gates.yaml", "", "");
    assertThat(BuildGate.rules(options, lines)).extracting(r -> r.text() + " " + r.severity().word() + " " + r.origin())
        .containsExactly("test_accuracy >= 0.8 fail " + file + ":2", "test_f1 >= 0.7 warn " + file + ":3",
            "test_accuracy >= 0.85 fail rules[0]", "test_f1 > 0.75 warn warnRules[0]");

    assertThatThrownBy(() -> BuildGate.rules(new BuildGate.Options(List.of(), List.of(), "", "", ""), List.of()))
        .isInstanceOf(KfpException.class)
        .hasMessage("kfpGate: no rules; give rules: ['test_accuracy >= 0.85'], warnRules, or rulesFile");
    assertThatThrownBy(() -> BuildGate.rules(new BuildGate.Options(List.of("test_accuracy >> 1"), List.of(), "", "", ""),
        List.of())).isInstanceOf(KfpException.class).hasMessageStartingWith("rules[0]");
  }

  @Test
  void theReleaseExamplesRulesFileLoads() throws Exception {
    Path examples = io.jenkins.plugins.kfp.PluginClassesAccess.repoRoot().resolve("examples");
    AgentGateRules.Loaded loaded = new AgentGateRules("gates/release.yaml").invoke(examples.toFile(), null);
    assertThat(loaded.error()).isNull();
    assertThat(loaded.lines()).extracting(AgentGateRules.Line::text, AgentGateRules.Line::severity).containsExactly(
        org.assertj.core.groups.Tuple.tuple("test_accuracy >= 0.80", RuleSeverity.FAIL),
        org.assertj.core.groups.Tuple.tuple("test_f1 > baseline - 0.02", RuleSeverity.FAIL),
        org.assertj.core.groups.Tuple.tuple("gpu_visible >= 1", RuleSeverity.WARN));
    assertThat(AgentGateRules.rules(loaded.lines())).hasSize(3);
  }

  @Test
  void aBadRulesFileIsRefusedNamingFileAndLine() throws Exception {
    Path ws = Files.createDirectories(root.resolve("ws"));
    Files.writeString(ws.resolve("gates.yaml"), "rules:\n  - rule: test_f1 >= 0.7\n    severity: maybe\n");
    assertThat(new AgentGateRules("gates.yaml").invoke(ws.toFile(), null))
        .isEqualTo(new AgentGateRules.Loaded(List.of(),
            ws.resolve("gates.yaml") + ":3: severity 'maybe' is not one of fail, warn"));
    assertThat(new AgentGateRules("missing.yaml").invoke(ws.toFile(), null))
        .isEqualTo(new AgentGateRules.Loaded(List.of(),
            "rules file " + ws.resolve("missing.yaml") + " does not exist or is not a regular file"));
  }

  @Test
  void theJunitXmlIsWrittenIntoTheWorkspaceAndRulesAreReadOneALine() throws Exception {
    Path ws = Files.createDirectories(root.resolve("ws"));
    assertThat(new AgentWriteText("kfp-reports/gate-x.xml", "<testsuite/>").invoke(ws.toFile(), null))
        .isEqualTo("kfp-reports/gate-x.xml");
    assertThat(ws.resolve("kfp-reports/gate-x.xml")).hasContent("<testsuite/>");
    assertThat(BuildGate.ruleLines("a >= 1\n\n  # why\n b < 2 \r\n")).containsExactly("a >= 1", "b < 2");
  }
}
