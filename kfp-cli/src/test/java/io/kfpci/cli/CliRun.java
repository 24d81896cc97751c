package io.kfpci.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One in-process run of the kfpci command line, with what it printed. */
record CliRun(int exitCode, String out, String err) {

  /**
   * Runs in this JVM through the same entry as {@code main}: the same buffered, escaping writers and
   * the same final flush, so output that main would lose is lost here too.
   */
  static CliRun of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = KfpciCommand.execute(ConsoleWriter.of(out, StandardCharsets.UTF_8),
        ConsoleWriter.of(err, StandardCharsets.UTF_8), args);
    return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Runs {@code kfpci} as its own process, as the launcher and CI do: {@code java -cp} of the built
   * classes with {@link KfpciCommand} as main class, in {@code workingDirectory}, stdin closed.
   */
  static CliRun process(Path workingDirectory, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), KfpciCommand.class.getName()));
    command.addAll(List.of(args));
    try {
      Path stdout = Files.createTempFile("kfpci-out", ".txt");
      Path stderr = Files.createTempFile("kfpci-err", ".txt");
      try {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        // The messages under test must not depend on a KFP endpoint configured on this machine.
        builder.environment().keySet().removeIf(name -> name.startsWith("KF_PIPELINES_"));
        Process kfpci = builder.start();
        // A bound, not a timing assertion: a hung kfpci fails here instead of hanging the build.
        if (!kfpci.waitFor(10, TimeUnit.MINUTES)) {
          kfpci.destroyForcibly();
          throw new AssertionError("kfpci " + String.join(" ", args) + " did not end within 10 minutes");
        }
        return new CliRun(kfpci.exitValue(), Files.readString(stdout), Files.readString(stderr));
      } finally {
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Copies the fixture {@code cli/<TestClass>/<name>} into {@code dir}. */
  static Path fixture(Class<?> test, String name, Path dir) {
    String resource = "/cli/" + test.getSimpleName() + "/" + name;
    try (InputStream in = test.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test fixture " + resource);
      }
      Path file = dir.resolve(name);
      Files.write(file, in.readAllBytes());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository root: the build passes it (root pom, surefire); else the module's parent. */
  static Path repoRoot() {
    return Path.of(System.getProperty("kfpci.repo.root", "..")).toAbsolutePath().normalize();
  }

  /** A pipeline of the local runner's tests, kfp-core/src/test/resources/local/pipelines/NAME.py. */
  static Path testPipeline(String name) {
    return repoRoot().resolve("kfp-core/src/test/resources/local/pipelines").resolve(name + ".py");
  }
}
