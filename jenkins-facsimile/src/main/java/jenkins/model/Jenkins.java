// Facsimile of jenkinsci/jenkins:core/src/main/java/jenkins/model/Jenkins.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package jenkins.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.ItemGroup;
import hudson.model.TopLevelItem;
import hudson.security.AccessControlled;
import hudson.security.Permission;

public class Jenkins implements ItemGroup<TopLevelItem>, AccessControlled {
    public static final Permission ADMINISTER = null;

    @NonNull
    public static Jenkins get() throws IllegalStateException {
        throw new UnsupportedOperationException("facsimile");
    }
}
