// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/util/FormValidation.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.util;

import java.io.IOException;

public abstract class FormValidation extends IOException {
    public static FormValidation ok() {
        throw new UnsupportedOperationException("facsimile");
    }

    public static FormValidation ok(String message) {
        throw new UnsupportedOperationException("facsimile");
    }

    public static FormValidation warning(String message) {
        throw new UnsupportedOperationException("facsimile");
    }

    public static FormValidation error(String message) {
        throw new UnsupportedOperationException("facsimile");
    }
}
