// Facsimile of jenkinsci/remoting:src/main/java/hudson/remoting/VirtualChannel.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.remoting;

public interface VirtualChannel {}
