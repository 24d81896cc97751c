package io.jenkins.plugins.kfp;

import hudson.FilePath;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Path;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jvnet.hudson.test.JenkinsRule;

/** Jobs whose workspace holds the repository's examples and this test's fixture pipelines. */
final class Fixtures {
  private Fixtures() {}

  static Path repoRoot() {
    return Path.of(System.getProperty("kfpci.repo.root", "..")).toAbsolutePath().normalize();
  }

  /** A Pipeline job whose workspace already holds examples/ and fixtures/. */
  static WorkflowJob pipelineJob(JenkinsRule j, String name, String script) throws Exception {
    WorkflowJob job = j.createProject(WorkflowJob.class, name);
    job.setDefinition(new CpsFlowDefinition(script, true));
    fillWorkspace(j.jenkins.getWorkspaceFor(job));
    return job;
  }

  static void fillWorkspace(FilePath workspace) throws Exception {
    new FilePath(repoRoot().resolve("examples").toFile()).copyRecursiveTo("**/*.py,**/*.csv", workspace.child("examples"));
    // Shared with kfp-core's watch tests.
    new FilePath(repoRoot().resolve("kfp-core/src/test/resources/io/kfpci/monitor/slow_pipeline.py").toFile())
        .copyTo(workspace.child("fixtures").child("slow_pipeline.py"));
    for (String fixture : new String[] {"broken_pipeline.py", "broken_pipeline.yaml"}) {
      try (InputStream in = Fixtures.class.getResourceAsStream(fixture)) {
        workspace.child("fixtures").child(fixture).copyFrom(in);
      }
    }
  }

  static File buildFile(org.jenkinsci.plugins.workflow.job.WorkflowRun run, String relative) {
    return new File(run.getRootDir(), relative);
  }
}
