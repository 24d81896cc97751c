// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/AbortException.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson;

import java.io.IOException;

public final class AbortException extends IOException {
    public AbortException(String message) {
        super(message);
        throw new UnsupportedOperationException("facsimile");
    }
}
