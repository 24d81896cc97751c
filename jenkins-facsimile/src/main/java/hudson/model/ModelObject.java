// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/model/ModelObject.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.model;

public interface ModelObject {
    String getDisplayName();
}
