// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/tasks/Builder.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.tasks;

import hudson.model.Describable;

public abstract class Builder implements BuildStep, Describable<Builder> {}
