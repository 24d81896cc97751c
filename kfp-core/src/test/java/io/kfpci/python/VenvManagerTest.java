package io.kfpci.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kfpci.process.ProcessResult;
import io.kfpci.process.Processes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The venv cache under concurrency, on a venv without packages (seconds to make, no package index
 * needed) in a private cache: two threads and a second JVM race to create it, and all must get the
 * one venv that was made, not one made and then replaced. Making a venv costs seconds (ensurepip),
 * so the cases share one test.
 */
class VenvManagerTest {
  @TempDir Path cache;

  private VenvManager manager() {
    return new VenvManager(PythonSettings.builder().cacheDirectory(cache).build());
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES) // a hang guard (a lock never released), not a speed check
  void twoThreadsAndASecondJvmShareOneVenvAndAHalfMadeOneIsMadeAgain() throws Exception {
    Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), VenvProbe.class.getName(), cache.toString())
        .redirectErrorStream(true).start();
    List<String> otherOutput = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
      // Start the threads once the other JVM is about to ask, so that all three overlap.
      String first = lines.readLine();
      assertThat(first).as("the second JVM's first line").isEqualTo("starting");

      Callable<String> ask = () -> VenvProbe.identity(manager().ensure(List.of()));
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<String> identities = new ArrayList<>();
      try {
        for (Future<String> f : pool.invokeAll(List.of(ask, ask))) {
          identities.add(f.get());
        }
      } finally {
        pool.shutdownNow();
      }
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        otherOutput.add(line);
      }
      assertThat(other.waitFor()).as("second JVM output: %s", otherOutput).isZero();
      assertThat(otherOutput).hasSize(1).first().asString().startsWith("ready ");
      identities.add(otherOutput.get(0).substring("ready ".length()));

      Venv venv = manager().ensure(List.of());
      assertThat(identities).containsOnly(VenvProbe.identity(venv));
      assertThat(venv.directory().getParent()).isEqualTo(cache.resolve("venvs"));
      assertThat(venv.directory().getFileName().toString()).startsWith("plain-");
      ProcessResult python = Processes.run(List.of(venv.python().toString(), "-c", "import sys; print(sys.prefix)"),
          null, Map.of(), Duration.ofMinutes(1), "python");
      assertThat(Path.of(python.stdout().strip()).toRealPath()).isEqualTo(venv.directory().toRealPath());

      // What a build killed during pip install leaves: the directory without the ready marker.
      // The next caller must make the venv again rather than use it.
      Path marker = venv.directory().resolve(".kfpci-ready");
      assertThat(marker).exists();
      Files.delete(marker);
      Venv again = manager().ensure(List.of());
      assertThat(again).isEqualTo(venv);
      assertThat(marker).exists();
      assertThat(VenvProbe.identity(again)).isNotEqualTo(identities.get(0));
    } finally {
      other.destroyForcibly();
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES) // a hang guard, not a speed check
  void aVenvChangedAfterItWasMadeIsMadeAgain() throws Exception {
    Venv venv = manager().ensure(List.of());
    Path contents = venv.directory().resolve(".kfpci-contents");
    String made = Files.readString(contents);
    assertThat(made).isEqualTo(VenvManager.contentsDigest(venv.directory())).matches("[0-9a-f]{64}");
    assertThat(manager().ensure(List.of())).isEqualTo(venv);
    String identity = VenvProbe.identity(venv);
    assertThat(VenvProbe.identity(manager().ensure(List.of()))).as("unchanged: reused").isEqualTo(identity);

    // Something installs into the shared venv behind the manager's back (here: a wheel, no index).
    Path wheel = probeWheel(cache);
    ProcessResult installed = Processes.run(List.of(venv.python().toString(), "-m", "pip", "install", "--no-index",
        "--disable-pip-version-check", "--quiet", wheel.toString()), null, Map.of(), Duration.ofMinutes(2), "pip");
    assertThat(installed.succeeded()).as(installed.tail(10)).isTrue();
    assertThat(VenvManager.contentsDigest(venv.directory())).isNotEqualTo(made);

    Venv again = manager().ensure(List.of());
    assertThat(again).isEqualTo(venv);
    assertThat(VenvProbe.identity(again)).as("changed: made again").isNotEqualTo(identity);
    assertThat(VenvManager.contentsDigest(again.directory())).isEqualTo(made);
    assertThat(Files.readString(contents)).isEqualTo(made);
    ProcessResult probe = Processes.run(List.of(again.python().toString(), "-c", "import kfpci_probe"), null,
        Map.of(), Duration.ofMinutes(1), "python");
    assertThat(probe.succeeded()).as("the installed package went with the old venv").isFalse();
  }

  /** A minimal pure-Python wheel, {@code kfpci_probe 1.0}, that pip installs without an index. */
  static Path probeWheel(Path directory) throws Exception {
    Path wheel = directory.resolve("kfpci_probe-1.0-py3-none-any.whl");
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(wheel))) {
      Map<String, String> entries = new java.util.LinkedHashMap<>();
      entries.put("kfpci_probe/__init__.py", "VALUE = 'probe'\n");
      entries.put("kfpci_probe-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: kfpci-probe\nVersion: 1.0\n");
      entries.put("kfpci_probe-1.0.dist-info/WHEEL",
          "Wheel-Version: 1.0\nGenerator: kfpci-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
      entries.put("kfpci_probe-1.0.dist-info/RECORD", "");
      for (Map.Entry<String, String> e : entries.entrySet()) {
        zip.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
        zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return wheel;
  }

  @Test
  void missingInterpreterIsAClearError() {
    VenvManager venvs = new VenvManager(PythonSettings.builder().cacheDirectory(cache)
        .pythonExecutable(cache.resolve("no-such-python").toString()).build());

    assertThatThrownBy(() -> venvs.ensure(List.of()))
        .isInstanceOf(PythonEnvironmentException.class)
        .hasMessageStartingWith("cannot run '" + cache.resolve("no-such-python") + "'")
        .hasMessageEndingWith("Install Python 3.9+ or set KFPCI_PYTHON to its path.");
  }

  @Test
  void settingsAreCheckedWhenBuiltAndTheCacheFollowsTheEnvironment() {
    assertThatThrownBy(() -> PythonSettings.builder().pythonExecutable(" ").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("pythonExecutable must not be blank");
    assertThatThrownBy(() -> PythonSettings.builder().installTimeout(Duration.ZERO).build())
        .hasMessage("installTimeout must be positive");
    assertThat(PythonSettings.defaultCacheDirectory(Map.of("KFPCI_CACHE_DIR", "/ci/cache", "XDG_CACHE_HOME", "/x")))
        .isEqualTo(Path.of("/ci/cache"));
    assertThat(PythonSettings.defaultCacheDirectory(Map.of("XDG_CACHE_HOME", "/x"))).isEqualTo(Path.of("/x/kfpci"));
    assertThat(PythonSettings.defaultCacheDirectory(Map.of()))
        .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "kfpci"));
  }
}
