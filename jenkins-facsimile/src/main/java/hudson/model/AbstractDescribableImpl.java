// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/model/AbstractDescribableImpl.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.model;

public abstract class AbstractDescribableImpl<T extends AbstractDescribableImpl<T>> implements Describable<T> {}
