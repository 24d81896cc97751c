// Facsimile of jenkinsci/jenkins:core/src/main/java/jenkins/model/RunAction2.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package jenkins.model;

import hudson.model.Action;
import hudson.model.Run;

public interface RunAction2 extends Action {
    void onAttached(Run<?, ?> r);

    void onLoad(Run<?, ?> r);
}
