// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/security/Permission.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.security;

public final class Permission {}
