// Facsimile of jenkinsci/jenkins:core/src/main/java/hudson/FilePath.java
// Signatures only, as declared there; every body throws. See jenkins-facsimile/README.md.
package hudson;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.net.URL;

public final class FilePath implements Serializable {
    public FilePath(@CheckForNull VirtualChannel channel, @NonNull String remote) {
        throw new UnsupportedOperationException("facsimile");
    }

    public FilePath(@NonNull File localPath) {
        throw new UnsupportedOperationException("facsimile");
    }

    public @NonNull FilePath child(String relOrAbsolute) {
        throw new UnsupportedOperationException("facsimile");
    }

    public String getRemote() {
        throw new UnsupportedOperationException("facsimile");
    }

    public VirtualChannel getChannel() {
        throw new UnsupportedOperationException("facsimile");
    }

    public <T> T act(final FileCallable<T> callable) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("facsimile");
    }

    public void copyFrom(URL url) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("facsimile");
    }

    public void copyTo(FilePath target) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("facsimile");
    }

    public boolean exists() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("facsimile");
    }

    public void mkdirs() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("facsimile");
    }

    public boolean delete() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("facsimile");
    }

    public void renameTo(final FilePath target) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("facsimile");
    }

    public interface FileCallable<T> extends Serializable {
        T invoke(File f, VirtualChannel channel) throws IOException, InterruptedException;
    }
}
