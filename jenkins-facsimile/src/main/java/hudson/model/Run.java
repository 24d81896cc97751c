// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/model/Run.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.File;
import java.io.IOException;

public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable {
    public int getNumber() {
        throw new UnsupportedOperationException("facsimile");
    }

    public @CheckForNull RunT getPreviousBuild() {
        throw new UnsupportedOperationException("facsimile");
    }

    public String getDisplayName() {
        throw new UnsupportedOperationException("facsimile");
    }

    public @NonNull JobT getParent() {
        throw new UnsupportedOperationException("facsimile");
    }

    public @NonNull String getExternalizableId() {
        throw new UnsupportedOperationException("facsimile");
    }

    public @NonNull String getUrl() {
        throw new UnsupportedOperationException("facsimile");
    }

    public @NonNull File getRootDir() {
        throw new UnsupportedOperationException("facsimile");
    }

    public void setResult(@NonNull Result r) {
        throw new UnsupportedOperationException("facsimile");
    }

    public synchronized void save() throws IOException {
        throw new UnsupportedOperationException("facsimile");
    }
}
