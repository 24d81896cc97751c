// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/model/Descriptor.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;

public abstract class Descriptor<T extends Describable<T>> {
    protected Descriptor() {
        throw new UnsupportedOperationException("facsimile");
    }

    @NonNull
    public String getDisplayName() {
        throw new UnsupportedOperationException("facsimile");
    }

    public synchronized void save() {
        throw new UnsupportedOperationException("facsimile");
    }

    public synchronized void load() {
        throw new UnsupportedOperationException("facsimile");
    }

    public static final class FormException extends Exception {
        public FormException(String message, String formField) {
            throw new UnsupportedOperationException("facsimile");
        }
    }
}
