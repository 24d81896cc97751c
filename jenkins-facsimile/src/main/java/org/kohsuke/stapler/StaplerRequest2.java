// Facsimile of jenkinsci/stapler:core/src/main/java/org/kohsuke/stapler/StaplerRequest2.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package org.kohsuke.stapler;

import jakarta.servlet.http.HttpServletRequest;
import net.sf.json.JSONObject;

public interface StaplerRequest2 extends HttpServletRequest {
    void bindJSON(Object bean, JSONObject src);
}
