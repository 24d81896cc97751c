package io.jenkins.plugins.kfp.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.junit.JUnitResultArchiver;
import hudson.tasks.junit.pipeline.JUnitResultsStepExecution;
import hudson.tasks.test.PipelineTestDetails;
import io.jenkins.plugins.kfp.Messages;
import io.jenkins.plugins.kfp.internal.AgentValidate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * {@code kfpValidate}: checks a compiled pipeline (and, with {@code params}, the run parameters
 * against its inputs), records the result as JUnit test results of the build, as the
 * {@code junit} step would, and fails with every error as {@code file:line:col: error KFP0xx:
 * message}. Returns {@code [errors: 0, warnings: n, junitFile: path]}.
 */
public class KfpValidateStep extends Step {
  /** The name Pipeline scripts call this step by. */
  public static final String FUNCTION_NAME = "kfpValidate";

  private final String pipeline;
  private Map<String, Object> params = new LinkedHashMap<>();
  private List<KfpParameter> parameters = List.of();
  private String junitFile = "";

  @DataBoundConstructor
  public KfpValidateStep(String pipeline) {
    this.pipeline = pipeline == null ? "" : pipeline.strip();
  }

  public String getPipeline() {
    return pipeline;
  }

  public Map<String, Object> getParams() {
    return params;
  }

  @DataBoundSetter
  public void setParams(Map<String, Object> params) {
    this.params = params == null ? new LinkedHashMap<>() : new LinkedHashMap<>(params);
  }

  /** Run parameters as name and value entries (the Snippet Generator's form of {@code params}). */
  public List<KfpParameter> getParameters() {
    return List.copyOf(parameters);
  }

  @DataBoundSetter
  public void setParameters(List<KfpParameter> parameters) {
    this.parameters = parameters == null ? List.of() : List.copyOf(parameters);
  }

  public String getJunitFile() {
    return junitFile;
  }

  @DataBoundSetter
  public void setJunitFile(String junitFile) {
    this.junitFile = junitFile == null ? "" : junitFile.strip();
  }

  /** {@code kfp-reports/validate-<file name>.xml} unless {@code junitFile} says otherwise. */
  String effectiveJunitFile() {
    if (!junitFile.isEmpty()) {
      return junitFile;
    }
    String name = pipeline.replace('\\', '/');
    name = name.substring(name.lastIndexOf('/') + 1);
    return "kfp-reports/validate-" + name.replaceAll("[^A-Za-z0-9._-]", "_") + ".xml";
  }

  @Override
  public StepExecution start(StepContext context) {
    return new Execution(context, this);
  }

  static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final long serialVersionUID = 1L;
    private final transient KfpValidateStep step;

    Execution(StepContext context, KfpValidateStep step) {
      super(context);
      this.step = step;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
      FilePath workspace = getContext().get(FilePath.class);
      TaskListener listener = getContext().get(TaskListener.class);
      String xml = step.effectiveJunitFile();
      Map<String, String> params = KfpParameter.runParameters(step.params, step.parameters);
      listener.getLogger().println("[kfp] validating " + step.pipeline
          + (params.isEmpty() ? "" : " with run parameters " + params.keySet()));
      AgentValidate.Outcome outcome = workspace.act(new AgentValidate(step.pipeline, params, xml));
      listener.getLogger().print(outcome.report());

      FlowNode node = getContext().get(FlowNode.class);
      List<FlowNode> blocks = JUnitResultsStepExecution.getEnclosingStagesAndParallels(node);
      PipelineTestDetails details = new PipelineTestDetails();
      details.setNodeId(node.getId());
      details.setEnclosingBlocks(JUnitResultsStepExecution.getEnclosingBlockIds(blocks));
      details.setEnclosingBlockNames(JUnitResultsStepExecution.getEnclosingBlockNames(blocks));
      JUnitResultArchiver.parseAndSummarize(new JUnitResultArchiver(xml), details, getContext().get(Run.class),
          workspace, getContext().get(Launcher.class), listener);

      if (outcome.errors() > 0) {
        throw new AbortException(outcome.errors() + (outcome.errors() == 1 ? " error" : " errors") + " in "
            + step.pipeline + ":\n" + String.join("\n", outcome.errorHeadlines()));
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("errors", 0);
      result.put("warnings", (int) outcome.warnings());
      result.put("junitFile", xml);
      return result;
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
      return Messages.KfpValidateStep_DisplayName();
    }

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
      return Set.of(FilePath.class, Run.class, Launcher.class, TaskListener.class, FlowNode.class);
    }
  }
}
