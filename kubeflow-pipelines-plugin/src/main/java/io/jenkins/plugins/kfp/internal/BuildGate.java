package io.jenkins.plugins.kfp.internal;

import hudson.AbortException;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.junit.JUnitResultArchiver;
import hudson.tasks.test.PipelineTestDetails;
import io.jenkins.plugins.kfp.view.KfpRunAction;
import io.kfpci.KfpException;
import io.kfpci.gate.GateOutcome;
import io.kfpci.gate.GateReportWriters;
import io.kfpci.gate.GateRule;
import io.kfpci.gate.GateRules;
import io.kfpci.gate.RuleResult;
import io.kfpci.gate.RuleSeverity;
import io.kfpci.report.RunSummaryJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.FilePathUtils;

/**
 * The {@code kfpGate} step and the freestyle gate builder: finds the run to gate in the build,
 * the baseline in the job's last successful build, lets {@link StoredGate} evaluate, records the
 * verdicts (stored summary, report page, run action, JUnit results) and maps the outcome to the
 * build: UNSTABLE for a warn rule, an {@link AbortException} for a fail rule.
 */
public final class BuildGate {
  private BuildGate() {}

  /**
   * What to gate and how.
   *
   * @param rules fail rules as written, e.g. {@code test_accuracy >= 0.85}
   * @param warnRules rules that only make the build unstable
   * @param rulesFile a rules file in the workspace, "" for none; its rules come first
   * @param runId the run of this build to gate, "" for its last {@code kfpRun}
   * @param junitFile where the JUnit XML goes in the workspace, "" for {@code kfp-reports/gate-<run id>.xml}
   */
  public record Options(List<String> rules, List<String> warnRules, String rulesFile, String runId, String junitFile) {
    public Options {
      rules = List.copyOf(rules);
      warnRules = List.copyOf(warnRules);
    }
  }

  /** The run action this gate is about: the one named, or the build's last. */
  static KfpRunAction target(List<KfpRunAction> runs, String runId) throws KfpException {
    if (runId.isEmpty()) {
      if (runs.isEmpty()) {
        throw new KfpException("kfpGate: this build has no Kubeflow run to gate; call kfpRun before kfpGate, or give"
            + " runId");
      }
      return runs.get(runs.size() - 1);
    }
    for (KfpRunAction run : runs) {
      if (run.getRunId().equals(runId)) {
        return run;
      }
    }
    throw new KfpException("kfpGate: this build has no run '" + runId + "'; its runs are "
        + runs.stream().map(KfpRunAction::getRunId).toList());
  }

  /** The rules: the file's first, then {@code rules}, then {@code warnRules}; at least one. */
  static List<GateRule> rules(Options options, List<AgentGateRules.Line> fromFile) throws KfpException {
    List<GateRule> rules = new ArrayList<>(AgentGateRules.rules(fromFile));
    for (int i = 0; i < options.rules().size(); i++) {
      rules.add(GateRules.parse(options.rules().get(i), RuleSeverity.FAIL, "rules[" + i + "]"));
    }
    for (int i = 0; i < options.warnRules().size(); i++) {
      rules.add(GateRules.parse(options.warnRules().get(i), RuleSeverity.WARN, "warnRules[" + i + "]"));
    }
    if (rules.isEmpty()) {
      throw new KfpException("kfpGate: no rules; give rules: ['test_accuracy >= 0.85'], warnRules, or rulesFile");
    }
    return rules;
  }

  /** Rules written one a line (the freestyle form): blank lines and lines starting with {@code #} are skipped. */
  public static List<String> ruleLines(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  /** {@code rule: verdict, message}, as the build page lists them. */
  static List<String> verdictLines(List<RuleResult> results) {
    return results.stream().map(r -> r.rule().text() + ": " + r.verdict().word() + ", " + r.message()).toList();
  }

  /**
   * When the gate runs on the node that ran the run, its run directory gets the gated summary and
   * report page too, so {@code kfpci deploy <run dir>/summary.json} sees the verdicts (it refuses a
   * run without a passing gate). The directory is the one this controller recorded, not one an
   * agent names now.
   */
  private static void copyToRunDirectory(FilePath workspace, KfpRunAction action, Path storedDir,
      StoredGate.Evaluated evaluated) throws IOException, InterruptedException {
    if (action.getRunDirectory().isEmpty() || !FilePathUtils.getNodeName(workspace).equals(action.getNode())) {
      return;
    }
    FilePath runDir = new FilePath(workspace.getChannel(), action.getRunDirectory());
    if (!runDir.child(RunStorage.SUMMARY_FILE).exists()) {
      return;
    }
    workspace.act(new AgentWriteText(runDir.child(RunStorage.SUMMARY_FILE).getRemote(),
        RunSummaryJson.toJson(evaluated.gated())));
    Path page = storedDir.resolve(RunStorage.REPORT_FILE);
    if (java.nio.file.Files.isRegularFile(page)) {
      new FilePath(page.toFile()).copyTo(runDir.child(RunStorage.REPORT_FILE));
    }
  }

  public static Map<String, Object> perform(Run<?, ?> build, FilePath workspace, Launcher launcher,
      TaskListener listener, PipelineTestDetails details, Options options) throws IOException, InterruptedException {
    AgentGateRules.Loaded fromFile = options.rulesFile().isEmpty() ? new AgentGateRules.Loaded(List.of(), null)
        : workspace.act(new AgentGateRules(options.rulesFile()));
    if (fromFile.error() != null) {
      throw new AbortException("kfpGate: " + fromFile.error());
    }
    KfpRunAction action;
    Path storedDir;
    StoredGate.Evaluated evaluated;
    try {
      action = target(build.getActions(KfpRunAction.class), options.runId());
      List<GateRule> rules = rules(options, fromFile.lines());
      Run<?, ?> baselineBuild = build.getParent().getLastSuccessfulBuild();
      Path baselineDir = baselineBuild == null || baselineBuild == build ? null
          : baselineBuild.getRootDir().toPath().resolve(RunStorage.DIRECTORY);
      storedDir = RunStorage.directory(build.getRootDir().toPath(), action.getRunId());
      evaluated = StoredGate.evaluate(storedDir, rules, baselineDir,
          LocalRuns.history(build, action.getPipelineName()));
    } catch (KfpException e) {
      throw new AbortException(e.getMessage().startsWith("kfpGate: ") ? e.getMessage() : "kfpGate: " + e.getMessage());
    }
    String runId = action.getRunId();
    listener.getLogger().println("[kfp] quality gate over run " + runId + " (" + action.getPipelineName() + ")");
    listener.getLogger().print(GateReportWriters.table(evaluated.report()));

    String xml = options.junitFile().isEmpty() ? "kfp-reports/gate-" + runId + ".xml" : options.junitFile();
    workspace.act(new AgentWriteText(xml, GateReportWriters.junit(evaluated.report(),
        "kfpGate " + action.getPipelineName())));
    JUnitResultArchiver.parseAndSummarize(new JUnitResultArchiver(xml), details, build, workspace, launcher, listener);

    copyToRunDirectory(workspace, action, storedDir, evaluated);

    GateOutcome outcome = evaluated.report().outcome();
    action.recordGate(outcome.name(), verdictLines(evaluated.report().results()));
    build.save();
    List<String> problems = StoredGate.problems(evaluated.report());
    switch (outcome) {
      case FAILED -> throw new AbortException("quality gate failed for run " + runId + ":\n" + String.join("\n", problems));
      case UNSTABLE -> {
        listener.getLogger().println("[kfp] quality gate: UNSTABLE (a warn rule did not hold); the build is unstable");
        build.setResult(Result.UNSTABLE);
      }
      case PASSED -> listener.getLogger().println("[kfp] quality gate: PASSED");
      default -> throw new IllegalStateException("unknown gate outcome " + outcome);
    }
    return StoredGate.result(evaluated.report());
  }
}
