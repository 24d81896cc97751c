// Facsimile of jenkinsci/stapler:core/src/main/java/org/kohsuke/stapler/StaplerResponse2.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package org.kohsuke.stapler;

import jakarta.servlet.http.HttpServletResponse;

public interface StaplerResponse2 extends HttpServletResponse {}
