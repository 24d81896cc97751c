package io.jenkins.plugins.kfp.freestyle;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import io.jenkins.plugins.kfp.Messages;
import io.jenkins.plugins.kfp.internal.BuildGate;
import java.io.IOException;
import java.util.Objects;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * "Kubeflow pipeline quality gate": the {@code kfpGate} step for freestyle jobs, after a "Run
 * Kubeflow pipeline" step. Rules are written one a line; the outcome makes the build UNSTABLE or
 * fails it, as the step does.
 */
public class QualityGateBuilder extends Builder implements SimpleBuildStep {
  private final String rules;
  private String warnRules = "";
  private String rulesFile = "";
  private String runId = "";
  private String junitFile = "";

  /** @param rules fail rules, one a line; "" when every rule comes from {@code warnRules} or the file */
  @DataBoundConstructor
  public QualityGateBuilder(String rules) {
    this.rules = Objects.requireNonNullElse(rules, "");
  }

  public String getRules() {
    return rules;
  }

  public String getWarnRules() {
    return warnRules;
  }

  @DataBoundSetter
  public void setWarnRules(String warnRules) {
    this.warnRules = Objects.requireNonNullElse(warnRules, "");
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

  @Override
  public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env,
      @NonNull Launcher launcher, @NonNull TaskListener listener) throws InterruptedException, IOException {
    BuildGate.Options options = new BuildGate.Options(BuildGate.ruleLines(env.expand(rules)),
        BuildGate.ruleLines(env.expand(warnRules)), env.expand(rulesFile), env.expand(runId), env.expand(junitFile));
    // A freestyle build has no flow node: its test results belong to the build as a whole.
    BuildGate.perform(run, workspace, launcher, listener, null, options);
  }

  @Extension
  @Symbol("kfpQualityGate")
  public static class DescriptorImpl extends BuildStepDescriptor<Builder> {
    @Override
    public boolean isApplicable(Class<? extends AbstractProject> jobType) {
      return true;
    }

    @NonNull
    @Override
    public String getDisplayName() {
      return Messages.QualityGateBuilder_DisplayName();
    }
  }
}
