// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/console/HyperlinkNote.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.console;

public class HyperlinkNote {
    public static String encodeTo(String url, String text) {
        throw new UnsupportedOperationException("facsimile");
    }

    private HyperlinkNote() {}
}
