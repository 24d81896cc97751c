package io.jenkins.plugins.kfp;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import io.jenkins.plugins.kfp.freestyle.LocalPipelineBuilder;
import io.jenkins.plugins.kfp.view.KfpRunAction;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The freestyle build step: its form keeps every option, and it runs the example locally. */
@WithJenkins
class LocalPipelineBuilderTest {

  @Test
  void theFormKeepsEveryOption(JenkinsRule j) throws Exception {
    LocalPipelineBuilder builder = new LocalPipelineBuilder("examples/simple_ml_pipeline.py");
    builder.setParams("data_path=examples/data/training.csv\naccuracy_threshold=0.5");
    builder.setPipelineRoot("runs");
    builder.setEnableCaching(false);
    builder.setParallelism(2);
    builder.setTimeout(30);

    j.assertEqualDataBoundBeans(builder, j.configRoundtrip(builder));
  }

  @Test
  void runsTheExampleAndRecordsTheRunView(JenkinsRule j) throws Exception {
    FreeStyleProject project = j.createFreeStyleProject("freestyle");
    Fixtures.fillWorkspace(j.jenkins.getWorkspaceFor(project));
    LocalPipelineBuilder builder = new LocalPipelineBuilder("examples/simple_ml_pipeline.py");
    builder.setParams("data_path=examples/data/training.csv");
    project.getBuildersList().add(builder);

    FreeStyleBuild build = j.buildAndAssertSuccess(project);

    j.assertLogContains("[kfp] run: SUCCEEDED", build);
    KfpRunAction run = build.getAction(KfpRunAction.class);
    assertThat(run.getMetrics()).containsKey("accuracy");
  }
}
