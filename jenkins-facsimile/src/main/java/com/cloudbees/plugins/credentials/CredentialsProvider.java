// Facsimile of jenkinsci/credentials-plugin:src/main/java/com/cloudbees/plugins/credentials/CredentialsProvider.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Run;

public abstract class CredentialsProvider {
    @CheckForNull
    public static <C extends IdCredentials> C findCredentialById(@NonNull String id, @NonNull Class<C> type,
            @NonNull Run<?, ?> run) {
        throw new UnsupportedOperationException("facsimile");
    }

    public static <C extends Credentials> C track(@NonNull Run build, @CheckForNull C credentials) {
        throw new UnsupportedOperationException("facsimile");
    }
}
