// Facsimile of jenkinsci/json-lib:src/main/java/net/sf/json/JSONObject.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package net.sf.json;

public final class JSONObject {}
