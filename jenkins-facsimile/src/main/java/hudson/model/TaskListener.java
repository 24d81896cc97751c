// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/model/TaskListener.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;

public interface TaskListener extends Serializable {
    @NonNull
    PrintStream getLogger();

    default void hyperlink(String url, String text) throws IOException {
        throw new UnsupportedOperationException("facsimile");
    }

    TaskListener NULL = null;
}
