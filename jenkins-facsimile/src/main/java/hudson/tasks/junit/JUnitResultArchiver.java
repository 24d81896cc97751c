// Facsimile of jenkinsci/junit-plugin:src/main/java/hudson/tasks/junit/JUnitResultArchiver.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.tasks.junit;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.test.PipelineTestDetails;
import java.io.IOException;
import org.kohsuke.stapler.DataBoundConstructor;

public class JUnitResultArchiver implements JUnitTask {
    @DataBoundConstructor
    public JUnitResultArchiver(String testResults) {
        throw new UnsupportedOperationException("facsimile");
    }

    public static TestResultSummary parseAndSummarize(@NonNull JUnitTask task, PipelineTestDetails pipelineTestDetails,
            Run<?, ?> build, FilePath workspace, Launcher launcher, TaskListener listener)
            throws InterruptedException, IOException {
        throw new UnsupportedOperationException("facsimile");
    }
}
