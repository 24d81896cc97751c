// Facsimile of jenkinsci/jenkins:core/src/main/java/jenkins/MasterToSlaveFileCallable.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package jenkins;

import hudson.FilePath;

public abstract class MasterToSlaveFileCallable<T> implements FilePath.FileCallable<T> {}
