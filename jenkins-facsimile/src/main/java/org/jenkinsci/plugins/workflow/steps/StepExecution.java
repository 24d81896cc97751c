// Facsimile of jenkinsci/workflow-step-api-plugin:src/main/java/org/jenkinsci/plugins/workflow/steps/StepExecution.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.Serializable;

public abstract class StepExecution implements Serializable {
    protected StepExecution(@NonNull StepContext context) {
        throw new UnsupportedOperationException("facsimile");
    }

    public @NonNull StepContext getContext() {
        throw new UnsupportedOperationException("facsimile");
    }

    public abstract boolean start() throws Exception;

    public void stop(@NonNull Throwable cause) throws Exception {
        throw new UnsupportedOperationException("facsimile");
    }

    public void onResume() {
        throw new UnsupportedOperationException("facsimile");
    }

    public @CheckForNull String getStatus() {
        throw new UnsupportedOperationException("facsimile");
    }
}
