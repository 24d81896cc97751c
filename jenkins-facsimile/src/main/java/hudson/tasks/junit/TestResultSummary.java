// Facsimile of jenkinsci/junit-plugin:src/main/java/hudson/tasks/junit/TestResultSummary.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.tasks.junit;

import java.io.Serializable;

public class TestResultSummary implements Serializable {}
