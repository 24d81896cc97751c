// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/model/Action.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;

public interface Action extends ModelObject {
    @CheckForNull
    String getIconFileName();

    @Override
    @CheckForNull
    String getDisplayName();

    @CheckForNull
    String getUrlName();
}
