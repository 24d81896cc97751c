package io.kfpci.local.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The exclusive lock a runner holds on its run directory from {@code prepare} to the end of the
 * run: an OS file lock on {@code <run>/.lock}, so a second runner of the same run (a second
 * {@code --resume}, in this JVM or another process) is refused instead of running tasks twice. The
 * OS drops the lock when its holder dies, however it dies, so a killed runner never blocks a
 * resume. The lock file stays (removing it would let two runners lock two different files).
 */
public final class RunLock implements AutoCloseable {
  public static final String FILE = ".lock";

  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock of {@code runDirectory}, or empty when another runner holds it. */
  public static Optional<RunLock> tryAcquire(Path runDirectory) throws IOException {
    Path file = runDirectory.resolve(FILE);
    Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileChannel channel;
    try {
      channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(RunFiles.Mode.PRIVATE.permissions()));
    } catch (UnsupportedOperationException e) {
      channel = FileChannel.open(file, options);
    }
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        return Optional.empty();
      }
      RunFiles.setMode(file, RunFiles.Mode.PRIVATE);
      return Optional.of(new RunLock(channel, lock));
    } catch (OverlappingFileLockException e) {
      channel.close(); // held by another runner in this JVM
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      channel.close();
    }
  }
}
