package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.report.GateResult;
import io.kfpci.report.MetricSummary;
import io.kfpci.report.RunReportPage;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateCommandTest {
  @TempDir Path dir;

  @Test
  void passingRulesExitZeroAndTheVerdictsLandInTheSummaryAndItsReport() throws Exception {
    Path summary = run("run-2", 2, RuntimeState.SUCCEEDED, 0.91);
    RunReportPage.write(RunSummaryJson.read(summary), List.of(), summary.resolveSibling("report.html"));

    CliRun r = CliRun.of("gate", summary.toString(), "--rule", "accuracy >= 0.9", "--junit", dir.resolve("gate.xml").toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        rule             severity  measured  threshold  baseline  verdict
        accuracy >= 0.9  fail      0.91      0.9        -         PASSED
        baseline: none
        gate PASSED: 1 passed, 0 failed, 0 warned, 0 without baseline
        verdicts written to %s and %s
        """.formatted(summary, summary.toAbsolutePath().resolveSibling("report.html")));
    List<GateResult> gates = RunSummaryJson.read(summary).gates();
    assertThat(gates).containsExactly(new GateResult("evaluate/metrics/accuracy", "accuracy >= 0.9", 0.91, true,
        "evaluate/metrics/accuracy = 0.91 >= 0.9", "fail", "passed", 0.9, null));
    assertThat(Files.readString(summary.resolveSibling("report.html"))).contains("data-gate=\"passed\"");
    org.w3c.dom.Element testCase = (org.w3c.dom.Element) javax.xml.parsers.DocumentBuilderFactory.newInstance()
        .newDocumentBuilder().parse(dir.resolve("gate.xml").toFile()).getElementsByTagName("testcase").item(0);
    assertThat(testCase.getAttribute("classname")).isEqualTo("kfpci gate p");
    assertThat(testCase.getAttribute("name")).isEqualTo("accuracy >= 0.9");
  }

  @Test
  void aWarnRuleMakesItUnstableWithExitTwoAndAFailRuleFailsWithExitOne() throws Exception {
    Path summary = run("run-2", 2, RuntimeState.SUCCEEDED, 0.91);

    CliRun unstable = CliRun.of("gate", summary.toString(), "--warn", "accuracy > 0.95", "--no-update-summary");
    assertThat(unstable.exitCode()).isEqualTo(2);
    assertThat(unstable.out()).contains("warned: accuracy > 0.95 (--warn 1): evaluate/metrics/accuracy = 0.91 is not > 0.95",
        "gate UNSTABLE: 0 passed, 0 failed, 1 warned, 0 without baseline");
    assertThat(RunSummaryJson.read(summary).gates()).isEmpty();

    CliRun failed = CliRun.of("gate", summary.toString(), "--rule", "accuracy > 0.95", "--warn", "accuracy > 0.99");
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.out()).contains("gate FAILED: 0 passed, 1 failed, 1 warned, 0 without baseline");
  }

  @Test
  void theBaselineIsTheLastSuccessfulRunInTheDirectory() throws Exception {
    run("run-1", 1, RuntimeState.SUCCEEDED, 0.93);
    run("run-0", 3, RuntimeState.FAILED, 0.50);
    Path summary = run("run-2", 2, RuntimeState.SUCCEEDED, 0.91);
    Path rules = Files.writeString(dir.resolve("gates.yaml"), "rules:\n  - rule: accuracy > baseline - 0.01\n    severity: warn\n");

    CliRun r = CliRun.of("gate", summary.toString(), "--rules", rules.toString(), "--baseline", dir.resolve("kfp-runs/p").toString(),
        "--output", "json");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).contains("\"outcome\" : \"unstable\"", "\"run_id\" : \"run-1\"", "\"baseline\" : 0.93",
        "\"origin\" : \"" + rules + ":2\"", "\"message\" : \"evaluate/metrics/accuracy = 0.91 is not > 0.92 (baseline 0.93)\"");
  }

  @Test
  void badRulesAndInputsSayWhatIsWrong() throws Exception {
    Path summary = run("run-2", 2, RuntimeState.SUCCEEDED, 0.91);

    CliRun badRule = CliRun.of("gate", summary.toString(), "--rule", "accuracy >= 0.9x");
    assertThat(badRule.exitCode()).isEqualTo(1);
    assertThat(badRule.err()).isEqualTo("error: --rule 1: cannot read rule 'accuracy >= 0.9x' at column 16: "
        + "extraneous input 'x' expecting <EOF>\n  accuracy >= 0.9x\n                 ^\n");

    CliRun noRules = CliRun.of("gate", summary.toString());
    assertThat(noRules.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noRules.err()).startsWith("error: no rules: give --rule 'METRIC OP THRESHOLD' (e.g. --rule 'test_accuracy >= 0.85'), --warn, or --rules FILE");

    CliRun missing = CliRun.of("gate", dir.resolve("nope.json").toString(), "--rule", "a > 1");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("error: " + dir.resolve("nope.json") + " does not exist or is not a regular file\n");

    CliRun ambiguous = CliRun.of("gate", summary.toString(), "--rule", "nothing_like_it > 1");
    assertThat(ambiguous.exitCode()).isEqualTo(1);
    assertThat(ambiguous.out()).contains("error: nothing_like_it > 1 (--rule 1): no metric 'nothing_like_it' in the run "
        + "(the run has evaluate/metrics/accuracy)");
  }

  private Path run(String runId, int day, RuntimeState state, double accuracy) throws Exception {
    Instant start = Instant.parse("2025-06-0" + day + "T10:00:00Z");
    TaskSummary evaluate = new TaskSummary("evaluate", "evaluate", "", "comp-evaluate", "container", null,
        RuntimeState.SUCCEEDED, start, start.plusSeconds(5), 1, false, "python:3.11-slim", List.of(), Map.of(),
        List.of(), List.of(new MetricSummary("evaluate", "metrics", "accuracy", accuracy)), "", List.of(), 0, null);
    RunSummary summary = new RunSummary(1, "p", runId, state, start, start, start.plusSeconds(6), Map.of(),
        new RunSummary.Location("local", "kfp-runs/p/" + runId, null), null, List.of(evaluate), List.of());
    Path file = dir.resolve("kfp-runs/p/" + runId + "/summary.json");
    RunSummaryJson.write(summary, file);
    return file;
  }
}
