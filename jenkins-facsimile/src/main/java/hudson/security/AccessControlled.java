// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/security/AccessControlled.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson.security;

import edu.umd.cs.findbugs.annotations.NonNull;
import org.springframework.security.access.AccessDeniedException;

public interface AccessControlled {
    default void checkPermission(@NonNull Permission permission) throws AccessDeniedException {
        throw new UnsupportedOperationException("facsimile");
    }

    default boolean hasPermission(@NonNull Permission permission) {
        throw new UnsupportedOperationException("facsimile");
    }
}
