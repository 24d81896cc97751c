// Facsimile of jenkinsci/junit-plugin:src/main/java/hudson/tasks/test/PipelineTestDetails.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.tasks.test;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.Serializable;
import java.util.List;

public class PipelineTestDetails implements Serializable {
    public void setNodeId(@NonNull String nodeId) {
        throw new UnsupportedOperationException("facsimile");
    }

    public void setEnclosingBlocks(@NonNull List<String> enclosingBlocks) {
        throw new UnsupportedOperationException("facsimile");
    }

    public void setEnclosingBlockNames(@NonNull List<String> enclosingBlockNames) {
        throw new UnsupportedOperationException("facsimile");
    }
}
