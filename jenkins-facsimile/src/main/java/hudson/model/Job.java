// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/model/Job.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.model;

public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable {
    public RunT getLastBuild() {
        throw new UnsupportedOperationException("facsimile");
    }

    public RunT getLastSuccessfulBuild() {
        throw new UnsupportedOperationException("facsimile");
    }
}
