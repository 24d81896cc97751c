// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/model/Item.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.model;

import hudson.security.AccessControlled;
import hudson.security.Permission;

public interface Item extends AccessControlled {
    Permission CONFIGURE = null;
}
