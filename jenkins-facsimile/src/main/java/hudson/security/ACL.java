// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/security/ACL.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.security;

import org.springframework.security.core.Authentication;

public abstract class ACL {
    public static final Authentication SYSTEM2 = null;
}
