package io.kfpci.local.internal;

import io.kfpci.files.AtomicFiles;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.compile.KfpCompiler;
import io.kfpci.process.ProcessResult;
import io.kfpci.process.ProcessTimeoutException;
import io.kfpci.process.Processes;
import io.kfpci.python.PythonEnvironmentException;
import io.kfpci.python.Venv;
import io.kfpci.python.VenvManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Managed venvs for lightweight Python components. Each component's venv is the kfp lock (kfp's
 * runtime and its pinned dependencies, the same set the compiler uses) plus the pip lines of the
 * component that the lock does not already satisfy; one venv per distinct set, created once and
 * shared by every task and run. Because the venv was built from exactly those lines, the
 * component's own install layer is dropped and its program runs straight away with the venv first
 * on PATH. Thread-safe: concurrent tasks wanting the same set wait for one creation.
 */
public final class PythonEnvironments {
  private static final String CHECK_SCRIPT = "requirements_check.py";
  private static final String CHECKS_DIR = ".kfpci-satisfied";

  private final VenvManager venvs;
  private final List<String> lock;
  private final Map<List<String>, Prepared> prepared = new ConcurrentHashMap<>();

  public PythonEnvironments(VenvManager venvs) {
    this.venvs = venvs;
    this.lock = KfpCompiler.shippedLock();
  }

  /**
   * A component ready to run: the command without its install layer (or unchanged, when it has
   * none we can read), and the venv whose bin directory goes first on PATH.
   *
   * @param skippedLines the pip lines that were satisfied by the venv and not run
   */
  public record Prepared(List<String> command, Venv venv, List<PipLines.PipLine> skippedLines) {}

  public Prepared prepare(List<String> command) throws PythonEnvironmentException, InterruptedException {
    Prepared known = prepared.get(command);
    if (known != null) {
      return known;
    }
    synchronized (this) {
      known = prepared.get(command);
      if (known == null) {
        known = create(command);
        prepared.put(List.copyOf(command), known);
      }
      return known;
    }
  }

  /** The venv for a component that needs exactly these packages (and kfp): what tests compare in. */
  public Venv venvFor(List<String> packages) throws PythonEnvironmentException, InterruptedException {
    requireLock();
    return packages.isEmpty() ? venvs.ensureLocked(lock) : venvs.ensureLayered(lock, List.of(packages));
  }

  private Prepared create(List<String> command) throws PythonEnvironmentException, InterruptedException {
    requireLock();
    Venv base = venvs.ensureLocked(lock);
    var layer = PipLines.parse(command);
    if (layer.isEmpty()) {
      return new Prepared(command, base, List.of());
    }
    List<PipLines.PipLine> lines = layer.get().lines();
    List<List<String>> missing = unsatisfied(base, lines);
    List<List<String>> extraSteps = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!missing.get(i).isEmpty()) {
        extraSteps.add(lines.get(i).arguments());
      }
    }
    Venv venv = extraSteps.isEmpty() ? base : venvs.ensureLayered(lock, extraSteps);
    return new Prepared(layer.get().program(), venv, lines);
  }

  private void requireLock() throws PythonEnvironmentException {
    if (lock.isEmpty()) {
      throw new PythonEnvironmentException("this build carries no kfp lock (kfp-lock.txt), so it cannot make"
          + " venvs for Python components");
    }
  }

  /** Per pip line, the requirements the venv lacks; remembered in the venv, which never changes. */
  private List<List<String>> unsatisfied(Venv venv, List<PipLines.PipLine> lines)
      throws PythonEnvironmentException, InterruptedException {
    List<List<String>> requirements = lines.stream().map(PipLines.PipLine::requirements).toList();
    String request = JsonValues.write(requirements);
    Path remembered = venv.directory().resolve(CHECKS_DIR).resolve(sha256(request) + ".json");
    try {
      String answer;
      if (Files.isRegularFile(remembered)) {
        answer = Files.readString(remembered, StandardCharsets.UTF_8);
      } else {
        ProcessResult result = Processes.run(List.of(venv.python().toString(), "-c", checkScript(), request), null,
            Map.of(), Duration.ofMinutes(1), "checking installed packages");
        if (!result.succeeded()) {
          throw new PythonEnvironmentException("cannot check the packages of " + venv.directory() + ": "
              + result.tail(5));
        }
        answer = result.stdout().strip();
        AtomicFiles.write(remembered, answer);
      }
      JsonNode parsed = JsonValues.JSON.readTree(answer);
      List<List<String>> out = new ArrayList<>();
      for (JsonNode line : parsed) {
        List<String> names = new ArrayList<>();
        line.forEach(n -> names.add(n.asText()));
        out.add(names);
      }
      if (out.size() != lines.size()) {
        throw new PythonEnvironmentException("unexpected package check answer: " + answer);
      }
      return out;
    } catch (ProcessTimeoutException e) {
      throw new PythonEnvironmentException(e.getMessage(), e);
    } catch (IOException e) {
      throw new PythonEnvironmentException("cannot check the packages of " + venv.directory() + ": "
          + e.getMessage(), e);
    }
  }

  private static String checkScript() throws IOException {
    try (InputStream in = PythonEnvironments.class.getResourceAsStream(CHECK_SCRIPT)) {
      if (in == null) {
        throw new IOException(CHECK_SCRIPT + " is missing from the kfp-core jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * A private environment for one task, layered over a shared managed venv: a venv of its own
   * (pyvenv.cfg and the same base interpreter) whose site-packages first holds whatever the task
   * installs, then, through a .pth file, the shared venv's packages. A component that runs its own
   * {@code pip install} (in its command, or from Python through {@code sys.executable -m pip}),
   * or calls {@code pip} from PATH (small wrappers here run this interpreter's pip), installs into
   * the private one; pip does not uninstall what lies outside the running environment, so a
   * different version shadows the shared one instead of replacing it. Made from a few files and
   * links, without starting a process: cheap enough to give every task one. An existing
   * {@code directory} (an earlier attempt's) is replaced.
   *
   * @return the private environment's directory, for VIRTUAL_ENV; its {@code bin} goes first on PATH
   */
  public static Path privateEnvironment(Venv shared, Path directory) throws PythonEnvironmentException {
    try {
      Path sharedSite = sitePackages(shared.directory());
      Path relativeSite = shared.directory().relativize(sharedSite);
      deleteRecursively(directory);
      Path bin = Files.createDirectories(directory.resolve("bin"));
      Path site = Files.createDirectories(directory.resolve(relativeSite));
      Files.copy(shared.directory().resolve("pyvenv.cfg"), directory.resolve("pyvenv.cfg"));
      Path interpreter = shared.python().toRealPath();
      String versioned = relativeSite.getParent().getFileName().toString(); // python3.11
      for (String name : List.of("python", "python3", versioned)) {
        Files.createSymbolicLink(bin.resolve(name), interpreter);
      }
      // Single-quoted, so no character of the path means anything to the shell.
      String quoted = "'" + bin.resolve("python").toString().replace("'", "'\\''") + "'";
      String pip = "#!/bin/sh\nexec " + quoted + " -m pip \"$@\"\n";
      for (String name : List.of("pip", "pip3", versioned.replace("python", "pip"))) {
        Path wrapper = bin.resolve(name);
        Files.writeString(wrapper, pip, StandardCharsets.UTF_8);
        wrapper.toFile().setExecutable(true, false);
      }
      // "import" lines of a .pth file run at start-up: addsitedir also reads the shared .pth files.
      Files.writeString(site.resolve("kfpci_shared_venv.pth"), "import site; site.addsitedir(" + pythonString(
          sharedSite.toString()) + ")\n", StandardCharsets.UTF_8);
      return directory;
    } catch (IOException | UnsupportedOperationException e) {
      throw new PythonEnvironmentException("cannot make the task's private Python environment in " + directory
          + ": " + e.getMessage(), e);
    }
  }

  /** The site-packages directory of a venv (lib/pythonX.Y/site-packages). */
  static Path sitePackages(Path venv) throws IOException {
    try (java.util.stream.Stream<Path> libs = Files.list(venv.resolve("lib"))) {
      return libs.filter(p -> p.getFileName().toString().startsWith("python"))
          .map(p -> p.resolve("site-packages")).filter(Files::isDirectory).findFirst()
          .orElseThrow(() -> new IOException(venv + " has no lib/python*/site-packages"));
    }
  }

  private static String pythonString(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (java.util.stream.Stream<Path> walk = Files.walk(directory)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
