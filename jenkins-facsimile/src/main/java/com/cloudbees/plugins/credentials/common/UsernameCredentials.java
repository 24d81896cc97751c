// Facsimile of jenkinsci/credentials-plugin:src/main/java/com/cloudbees/plugins/credentials/common/UsernameCredentials.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.Credentials;
import edu.umd.cs.findbugs.annotations.NonNull;

public interface UsernameCredentials extends Credentials {
    @NonNull
    String getUsername();
}
