// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/ExtensionList.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson;

import edu.umd.cs.findbugs.annotations.NonNull;

public class ExtensionList<T> {
    @NonNull
    public static <U> U lookupSingleton(Class<U> type) {
        throw new UnsupportedOperationException("facsimile");
    }
}
