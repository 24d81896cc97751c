// Facsimile of jenkinsci/credentials-plugin:src/main/java/com/cloudbees/plugins/credentials/common/StandardUsernameCredentials.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package com.cloudbees.plugins.credentials.common;

public interface StandardUsernameCredentials extends StandardCredentials, UsernameCredentials {}
