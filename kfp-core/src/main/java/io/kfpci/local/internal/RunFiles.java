package io.kfpci.local.internal;

import io.kfpci.files.AtomicFiles;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * How the runner writes the files of a run, by one rule (docs/local-runner.md, "Files and
 * modes"): a file that holds unmasked secret values (a task's executor_input.json) and the run's
 * lock are {@link Mode#PRIVATE} (0600); every other file the runner writes (summary, logs,
 * report, spec, cache entries) holds masked values only and is {@link Mode#SHARED} (0644). The
 * mode is set explicitly, so the umask cannot widen it. A file is never written through a symbolic
 * link: a task may have left one where the runner writes (its own directory is writable to it),
 * and following it would write outside the run. Stateless.
 */
public final class RunFiles {
  /** The two modes a runner-written file may have. */
  public enum Mode {
    PRIVATE("rw-------"),
    SHARED("rw-r--r--");

    private final Set<PosixFilePermission> permissions;

    Mode(String text) {
      this.permissions = PosixFilePermissions.fromString(text);
    }

    public Set<PosixFilePermission> permissions() {
      return permissions;
    }
  }

  private RunFiles() {}

  /** Replaces {@code file} with {@code text} (UTF-8); a link in its place is removed, not followed. */
  public static void write(Path file, String text, Mode mode) throws IOException {
    try (SeekableByteChannel channel = open(file, mode, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }
  }

  /** A writer appending to {@code file}, created with {@code mode} when new. */
  public static BufferedWriter append(Path file, Mode mode) throws IOException {
    open(file, mode, StandardOpenOption.APPEND).close();
    // A java.io stream, not a channel: a channel closes for good when a thread writing to it is
    // interrupted (a canceled task's worker), and run.log is shared by all of them.
    return new BufferedWriter(new OutputStreamWriter(new FileOutputStream(file.toFile(), true),
        StandardCharsets.UTF_8));
  }

  /** Writes through a temp file and a rename (readers see old or new), then sets {@code mode}. */
  public static void writeAtomically(Path file, String text, Mode mode) throws IOException {
    AtomicFiles.write(file, text);
    setMode(file, mode);
  }

  /** Copies {@code source} over {@code target} and sets {@code mode}. */
  public static void copy(Path source, Path target, Mode mode) throws IOException {
    if (Files.isSymbolicLink(target)) {
      Files.delete(target);
    }
    Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    setMode(target, mode);
  }

  /** Sets the mode of a file the runner wrote (not a link); a file system without modes is left alone. */
  public static void setMode(Path file, Mode mode) throws IOException {
    if (Files.isSymbolicLink(file)) {
      return;
    }
    try {
      Files.setPosixFilePermissions(file, mode.permissions());
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system (e.g. Windows): the platform's own access rules apply.
    }
  }

  private static SeekableByteChannel open(Path file, Mode mode, OpenOption how) throws IOException {
    if (Files.isSymbolicLink(file)) {
      Files.delete(file);
    }
    Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, how,
        LinkOption.NOFOLLOW_LINKS);
    SeekableByteChannel channel;
    try {
      channel = Files.newByteChannel(file, options, PosixFilePermissions.asFileAttribute(mode.permissions()));
    } catch (UnsupportedOperationException e) {
      channel = Files.newByteChannel(file, options);
    }
    try {
      setMode(file, mode); // the umask may have narrowed a new file, an old file may be wider
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return channel;
  }
}
