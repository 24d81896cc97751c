// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/Launcher.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson;

public abstract class Launcher {}
