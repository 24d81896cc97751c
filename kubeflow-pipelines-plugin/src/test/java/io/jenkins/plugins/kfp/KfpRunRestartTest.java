package io.jenkins.plugins.kfp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kfp.view.KfpRunAction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * kfpRun across a controller restart: the run keeps going while Jenkins is down, the step
 * re-attaches, the console continues from where it stopped (no line twice, none lost) and no
 * finished task runs again.
 */
class KfpRunRestartTest {
  @RegisterExtension
  private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

  @RegisterExtension
  private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

  @Test
  void theRunSurvivesARestartAndTheLogContinues() throws Throwable {
    sessions.then(j -> {
      WorkflowJob job = Fixtures.pipelineJob(j, "restart", """
          node {
            def run = kfpRun pipeline: 'fixtures/slow_pipeline.py', params: [seconds: 6]
            echo "final state ${run.state}"
          }
          """);
      WorkflowRun build = job.scheduleBuild2(0).waitForStart();
      // Restart in the middle of the second step: the first is done, the third not started.
      j.waitForMessage("two: tick 2 of 6", build);
    });
    sessions.then(j -> {
      WorkflowJob job = j.jenkins.getItemByFullName("restart", WorkflowJob.class);
      WorkflowRun build = job.getBuildByNumber(1);
      j.waitForCompletion(build);
      j.assertBuildStatusSuccess(build);
      String log = JenkinsLogs.text(build);

      assertThat(log).contains("[kfp] resuming the watch of run ").contains("final state SUCCEEDED");
      for (String step : new String[] {"one", "two", "three"}) {
        for (int tick = 1; tick <= 6; tick++) {
          // Each task's line exactly once: not repeated after the restart, not lost during it.
          assertThat(count(log, step + ": tick " + tick + " of 6")).as("%s tick %d", step, tick).isEqualTo(1);
        }
      }
      assertThat(count(log, "cleanup after slow-pipeline")).isEqualTo(1);
      KfpRunAction run = build.getAction(KfpRunAction.class);
      assertThat(run.getState()).isEqualTo("SUCCEEDED");
    });
  }

  private static int count(String text, String needle) {
    Matcher matcher = Pattern.compile(Pattern.quote(needle)).matcher(text);
    int n = 0;
    while (matcher.find()) {
      n++;
    }
    return n;
  }
}
