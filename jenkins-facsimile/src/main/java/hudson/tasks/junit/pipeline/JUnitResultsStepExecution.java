// Facsimile of jenkinsci/junit-plugin:src/main/java/hudson/tasks/junit/pipeline/JUnitResultsStepExecution.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.tasks.junit.pipeline;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.List;
import org.jenkinsci.plugins.workflow.graph.FlowNode;

public class JUnitResultsStepExecution {
    @NonNull
    public static List<FlowNode> getEnclosingStagesAndParallels(FlowNode node) {
        throw new UnsupportedOperationException("facsimile");
    }

    @NonNull
    public static List<String> getEnclosingBlockIds(@NonNull List<FlowNode> nodes) {
        throw new UnsupportedOperationException("facsimile");
    }

    @NonNull
    public static List<String> getEnclosingBlockNames(@NonNull List<FlowNode> nodes) {
        throw new UnsupportedOperationException("facsimile");
    }
}
