// Facsimile of jenkinsci/workflow-api-plugin:src/main/java/org/jenkinsci/plugins/workflow/graph/FlowNode.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package org.jenkinsci.plugins.workflow.graph;

import hudson.model.Actionable;

public abstract class FlowNode extends Actionable {
    public String getId() {
        throw new UnsupportedOperationException("facsimile");
    }
}
