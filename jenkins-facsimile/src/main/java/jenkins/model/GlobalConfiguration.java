// Facsimile of jenkinsci/jenkins:core/src/main/java/jenkins/model/GlobalConfiguration.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package jenkins.model;

import hudson.model.Describable;
import hudson.model.Descriptor;
import net.sf.json.JSONObject;
import org.kohsuke.stapler.StaplerRequest2;

public abstract class GlobalConfiguration extends Descriptor<GlobalConfiguration> implements Describable<GlobalConfiguration> {
    protected GlobalConfiguration() {
        throw new UnsupportedOperationException("facsimile");
    }

    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        throw new UnsupportedOperationException("facsimile");
    }
}
