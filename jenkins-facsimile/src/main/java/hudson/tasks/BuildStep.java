// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/tasks/BuildStep.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.tasks;

public interface BuildStep {}
