// Facsimile of jenkinsci/credentials-plugin:src/main/java/com/cloudbees/plugins/credentials/domains/DomainRequirement.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package com.cloudbees.plugins.credentials.domains;

public class DomainRequirement {}
