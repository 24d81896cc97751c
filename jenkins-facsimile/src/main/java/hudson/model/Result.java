// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/model/Result.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.Serializable;

public final class Result implements Serializable {
    // Not a null constant: static analysis of the plugin (SpotBugs) would take it for one.
    public static final @NonNull Result UNSTABLE = unavailable();

    private Result() {
        throw new UnsupportedOperationException("facsimile");
    }

    private static Result unavailable() {
        throw new UnsupportedOperationException("facsimile");
    }
}
