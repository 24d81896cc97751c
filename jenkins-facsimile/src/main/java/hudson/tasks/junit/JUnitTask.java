// Facsimile of jenkinsci/junit-plugin:src/main/java/hudson/tasks/junit/JUnitTask.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.tasks.junit;

public interface JUnitTask {}
