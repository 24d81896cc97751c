package io.kfpci.python;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * A second JVM for {@link VenvManagerTest}: announces itself, asks for the plain venv of the cache
 * given as argument, then prints the identity of the venv it got. Lives in the test sources; the
 * test starts it with its own class path.
 */
public final class VenvProbe {
  private VenvProbe() {}

  public static void main(String[] args) throws Exception {
    VenvManager venvs = new VenvManager(PythonSettings.builder().cacheDirectory(Path.of(args[0])).build());
    System.out.println("starting");
    System.out.flush();
    Venv venv = venvs.ensure(List.of());
    System.out.println("ready " + identity(venv));
  }

  /**
   * The venv's config file as the file system knows it (inode and modification time to the
   * nanosecond): a venv made again gets another one.
   */
  static String identity(Venv venv) throws java.io.IOException {
    BasicFileAttributes config = Files.readAttributes(venv.directory().resolve("pyvenv.cfg"),
        BasicFileAttributes.class);
    return venv.directory() + " " + config.fileKey() + " " + config.lastModifiedTime().toInstant();
  }
}
