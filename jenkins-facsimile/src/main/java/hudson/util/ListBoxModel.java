// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/util/ListBoxModel.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.util;

import java.util.ArrayList;

public class ListBoxModel extends ArrayList<ListBoxModel.Option> {
    public static final class Option {}
}
