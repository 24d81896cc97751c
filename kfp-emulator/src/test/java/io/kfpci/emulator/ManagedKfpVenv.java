package io.kfpci.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The managed venv with the pinned kfp SDK that kfp-core's VenvManager creates for the compiler (in
 * $KFPCI_CACHE_DIR, else $XDG_CACHE_HOME/kfpci, else ~/.cache/kfpci). This module cannot depend on
 * kfp-core (kfp-core's tests use it), so it finds that venv by its ready marker (a line kfp==VERSION)
 * instead of asking VenvManager, and makes its own from the same lock when there is none yet.
 */
final class ManagedKfpVenv {
  private ManagedKfpVenv() {}

  static Path cacheDirectory(Map<String, String> env) {
    String explicit = env.get("KFPCI_CACHE_DIR");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "kfpci");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "kfpci");
  }

  /**
   * The venv's python: the compiler's managed venv when kfp-core's tests or kfpci made it, else one of
   * our own made here from kfp-core's lock (the same exact pins, installed with --no-deps), so the
   * test does not depend on the order Maven builds the modules in.
   */
  static Path python() throws IOException, InterruptedException {
    String version = System.getProperty("kfp.sdk.version");
    if (version == null || version.isBlank()) {
      throw new AssertionError("the kfp.sdk.version system property is not set (the root pom's surefire"
          + " configuration passes it)");
    }
    Path venvs = cacheDirectory(System.getenv()).resolve("venvs");
    Optional<Path> managed = find(venvs, version);
    if (managed.isPresent()) {
      return managed.get();
    }
    return ownVenv(venvs, version);
  }

  private static Path ownVenv(Path venvs, String version) throws IOException, InterruptedException {
    Path repo = Path.of(System.getProperty("kfpci.repo.root", "..")).toAbsolutePath().normalize();
    Path lockFile = repo.resolve("kfp-core/src/main/resources-filtered/io/kfpci/python/kfp-lock.txt");
    if (!Files.isRegularFile(lockFile)) {
      throw new AssertionError("no managed kfp venv under " + venvs + " and no kfp lock at " + lockFile
          + " to make one");
    }
    List<String> pins = Files.readAllLines(lockFile, StandardCharsets.UTF_8).stream().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    if (!pins.contains("kfp==" + version)) {
      throw new AssertionError(lockFile + " does not pin kfp==" + version);
    }
    Path dir = venvs.resolve("kfp-emulator-sdk-" + version + "-" + Integer.toHexString(pins.hashCode()));
    Path python = dir.resolve("bin/python");
    Path ready = dir.resolve(".ready");
    Files.createDirectories(venvs);
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(
            venvs.resolve(dir.getFileName() + ".lock"), java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock ignored = channel.lock()) {
      if (Files.isRegularFile(ready)) {
        return python;
      }
      String interpreter = System.getenv().getOrDefault("KFPCI_PYTHON", "python3");
      run(List.of(interpreter, "-m", "venv", "--clear", dir.toString()), dir.getParent());
      Path requirements = dir.resolve("requirements.txt");
      Files.write(requirements, pins, StandardCharsets.UTF_8);
      run(List.of(python.toString(), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
          "-r", requirements.toString()), dir);
      Files.writeString(ready, String.join("\n", pins), StandardCharsets.UTF_8);
      return python;
    }
  }

  private static void run(List<String> command, Path directory) throws IOException, InterruptedException {
    Path log = Files.createTempFile("kfp-emulator-venv", ".log");
    try {
      Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      process.getOutputStream().close();
      if (!process.waitFor(15, java.util.concurrent.TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not end within 15 minutes");
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n"
            + Files.readString(log));
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }

  static Optional<Path> find(Path venvs, String version) {
    if (!Files.isDirectory(venvs)) {
      return Optional.empty();
    }
    try (Stream<Path> dirs = Files.list(venvs)) {
      return dirs.filter(d -> d.getFileName().toString().startsWith("kfp-" + version + "-"))
          .filter(d -> Files.isExecutable(d.resolve("bin/python")))
          .filter(d -> lists(d.resolve(".kfpci-ready"), "kfp==" + version))
          // Prefer the compiler's own venv over ones topped up with components' packages.
          .sorted(Comparator.comparing((Path d) -> lists(d.resolve(".kfpci-ready"), "--then")))
          .map(d -> d.resolve("bin/python")).findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean lists(Path marker, String line) {
    try {
      List<String> lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
      return lines.stream().map(String::strip).anyMatch(line::equals);
    } catch (IOException e) {
      return false;
    }
  }
}
