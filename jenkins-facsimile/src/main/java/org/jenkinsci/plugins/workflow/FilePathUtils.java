// Facsimile of jenkinsci/workflow-api-plugin:src/main/java/org/jenkinsci/plugins/workflow/FilePathUtils.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package org.jenkinsci.plugins.workflow;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.FilePath;

public class FilePathUtils {
    public static @NonNull String getNodeName(@NonNull FilePath f) throws IllegalStateException {
        throw new UnsupportedOperationException("facsimile");
    }

    public static @CheckForNull FilePath find(@NonNull String node, @NonNull String path) {
        throw new UnsupportedOperationException("facsimile");
    }

    private FilePathUtils() {}
}
