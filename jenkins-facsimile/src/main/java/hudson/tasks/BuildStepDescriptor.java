// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/tasks/BuildStepDescriptor.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.tasks;

import hudson.model.AbstractProject;
import hudson.model.Describable;
import hudson.model.Descriptor;

public abstract class BuildStepDescriptor<T extends BuildStep & Describable<T>> extends Descriptor<T> {
    protected BuildStepDescriptor() {
        throw new UnsupportedOperationException("facsimile");
    }

    public abstract boolean isApplicable(Class<? extends AbstractProject> jobType);
}
