// Facsimile of jenkinsci/jenkins:core/src/main/java/jenkins/util/Timer.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package jenkins.util;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.concurrent.ScheduledExecutorService;

public class Timer {
    @NonNull
    public static synchronized ScheduledExecutorService get() {
        throw new UnsupportedOperationException("facsimile");
    }

    private Timer() {}
}
