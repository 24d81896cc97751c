// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/util/Secret.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.util;

import java.io.Serializable;

public final class Secret implements Serializable {
    public String getPlainText() {
        throw new UnsupportedOperationException("facsimile");
    }
}
