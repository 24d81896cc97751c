package io.jenkins.plugins.kfp.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.junit.pipeline.JUnitResultsStepExecution;
import hudson.tasks.test.PipelineTestDetails;
import io.jenkins.plugins.kfp.Messages;
import io.jenkins.plugins.kfp.internal.BuildGate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code kfpGate}: quality-gate rules over a run of this build (its last {@code kfpRun} by
 * default), with {@code baseline} read from the job's last successful build. Writes the verdicts
 * into the run's stored summary and run view, records them as JUnit test results, makes the build
 * UNSTABLE when only warn rules did not hold and fails when a fail rule did not. Returns
 * {@code [outcome: 'PASSED'|'UNSTABLE', baseline: ..., rules: [[rule:, verdict:, ...], ...]]}.
 */
public class KfpGateStep extends Step {
  /** The name Pipeline scripts call this step by. */
  public static final String FUNCTION_NAME = "kfpGate";

  private List<String> rules = List.of();
  private List<String> warnRules = List.of();
  private String rulesFile = "";
  private String runId = "";
  private String junitFile = "";

  @DataBoundConstructor
  public KfpGateStep() {}

  public List<String> getRules() {
    return rules;
  }

  @DataBoundSetter
  public void setRules(List<String> rules) {
    this.rules = rules == null ? List.of() : List.copyOf(rules);
  }

  public List<String> getWarnRules() {
    return warnRules;
  }

  @DataBoundSetter
  public void setWarnRules(List<String> warnRules) {
    this.warnRules = warnRules == null ? List.of() : List.copyOf(warnRules);
  }

  public String getRulesFile() {
    return rulesFile;
  }

  @DataBoundSetter
  public void setRulesFile(String rulesFile) {
    this.rulesFile = Objects.requireNonNullElse(rulesFile, "").strip();
  }

  public String getRunId() {
    return runId;
  }

  @DataBoundSetter
  public void setRunId(String runId) {
    this.runId = Objects.requireNonNullElse(runId, "").strip();
  }

  public String getJunitFile() {
    return junitFile;
  }

  @DataBoundSetter
  public void setJunitFile(String junitFile) {
    this.junitFile = Objects.requireNonNullElse(junitFile, "").strip();
  }

  BuildGate.Options options() {
    return new BuildGate.Options(rules, warnRules, rulesFile, runId, junitFile);
  }

  @Override
  public StepExecution start(StepContext context) {
    return new Execution(context, options());
  }

  static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final long serialVersionUID = 1L;
    private final transient BuildGate.Options options;

    Execution(StepContext context, BuildGate.Options options) {
      super(context);
      this.options = options;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
      FlowNode node = getContext().get(FlowNode.class);
      List<FlowNode> blocks = JUnitResultsStepExecution.getEnclosingStagesAndParallels(node);
      PipelineTestDetails details = new PipelineTestDetails();
      details.setNodeId(node.getId());
      details.setEnclosingBlocks(JUnitResultsStepExecution.getEnclosingBlockIds(blocks));
      details.setEnclosingBlockNames(JUnitResultsStepExecution.getEnclosingBlockNames(blocks));
      return BuildGate.perform(getContext().get(Run.class), getContext().get(FilePath.class),
          getContext().get(Launcher.class), getContext().get(TaskListener.class), details, options);
    }
  }

  @Extension
  public static class DescriptorImpl extends StepDescriptor {
    @Override
    public String getFunctionName() {
      return FUNCTION_NAME;
    }

    @NonNull
    @Override
    public String getDisplayName() {
      return Messages.KfpGateStep_DisplayName();
    }

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
      return Set.of(FilePath.class, Run.class, Launcher.class, TaskListener.class, FlowNode.class);
    }
  }
}
