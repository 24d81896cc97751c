// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/model/Computer.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.model;

import java.util.concurrent.ExecutorService;

public abstract class Computer extends Actionable {
    // Not a null constant: static analysis of the plugin (SpotBugs) would take it for one.
    public static final ExecutorService threadPoolForRemoting = unavailable();

    private static ExecutorService unavailable() {
        throw new UnsupportedOperationException("facsimile");
    }
}
