// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/EnvVars.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson;

import java.util.TreeMap;

public class EnvVars extends TreeMap<String, String> {
    public String expand(String s) {
        throw new UnsupportedOperationException("facsimile");
    }
}
