// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/util/ListBoxModel.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.util;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.ArrayList;

public class ListBoxModel extends ArrayList<ListBoxModel.Option> {
    public void add(@NonNull String displayName, @NonNull String value) {
        throw new UnsupportedOperationException("facsimile");
    }

    public static final class Option {}
}
