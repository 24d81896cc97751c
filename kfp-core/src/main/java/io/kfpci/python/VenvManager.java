package io.kfpci.python;

import io.kfpci.process.ProcessResult;
import io.kfpci.process.ProcessTimeoutException;
import io.kfpci.process.Processes;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Creates virtual environments once per distinct requirement set and reuses them across builds.
 * A venv is keyed by the interpreter version and the sorted requirements; it is usable only once
 * its ready marker exists, so a build killed mid-install leaves nothing half-made behind. Creation
 * is serialised by a file lock (two builds on one agent share the cache) and by an in-process lock
 * (file locks are per JVM). pip honours PIP_INDEX_URL / PIP_EXTRA_INDEX_URL from the environment.
 * A venv is never changed after it is made; to catch anything that changed it anyway, the digest
 * of its installed distributions is recorded next to the ready marker and checked before each
 * reuse, and a venv that no longer matches is made again.
 */
public final class VenvManager {
  private static final String READY_MARKER = ".kfpci-ready";
  /**
   * Beside the ready marker: the sha256 of the sorted names of the venv's installed distributions
   * (the *.dist-info and *.egg-info entries of site-packages), as they were when the venv was made.
   * A separate file keeps the marker readable by older kfpci versions sharing the cache.
   */
  private static final String CONTENTS_MARKER = ".kfpci-contents";
  /** First line of a locked requirement set: installs with --no-deps and keys another venv. */
  private static final String LOCKED_MARK = "--no-deps";
  /** Separates the pip runs of a layered venv in its key and marker. */
  private static final String STEP_MARK = "--then";
  private static final Map<Path, ReentrantLock> IN_PROCESS_LOCKS = new ConcurrentHashMap<>();

  private final PythonSettings settings;
  private volatile String pythonVersion;

  public VenvManager(PythonSettings settings) {
    this.settings = settings;
  }

  public PythonSettings settings() {
    return settings;
  }

  /** A ready venv with these requirements (pip specifiers) and whatever they depend on. */
  public Venv ensure(List<String> requirements) throws PythonEnvironmentException, InterruptedException {
    return ensure(requirements, false);
  }

  /**
   * A ready venv installed from a complete lock (exact pins of the whole closure), with pip's
   * resolver off: the same environment on every agent, whatever the index serves next week.
   */
  public Venv ensureLocked(List<String> lockedRequirements) throws PythonEnvironmentException, InterruptedException {
    return ensure(lockedRequirements, true);
  }

  /**
   * A ready venv installed from a complete lock (as {@link #ensureLocked}), then topped up by
   * further pip installs, one per step, each resolved against what is already installed. Used for
   * lightweight Python components: the kfp runtime comes from the lock and the component's
   * {@code packages_to_install} from its own pip line. A step is a list of pip install arguments
   * (options such as {@code --no-deps} or {@code --index-url URL} included), kept in order. With no
   * steps this is exactly {@link #ensureLocked}, the same directory included.
   */
  public Venv ensureLayered(List<String> lockedRequirements, List<List<String>> extraSteps)
      throws PythonEnvironmentException, InterruptedException {
    List<String> base = prepare(lockedRequirements, true);
    List<List<String>> steps = extraSteps.stream()
        .map(step -> step.stream().map(String::strip).filter(a -> !a.isEmpty()).toList())
        .filter(step -> !step.isEmpty()).toList();
    if (steps.isEmpty()) {
      return ensurePrepared(base, List.of(base));
    }
    List<String> all = new ArrayList<>(base);
    List<List<String>> installs = new ArrayList<>(List.of(base));
    for (List<String> step : steps) {
      all.add(STEP_MARK);
      all.addAll(step);
      installs.add(step);
    }
    return ensurePrepared(List.copyOf(all), installs);
  }

  private static List<String> prepare(List<String> requirements, boolean locked) {
    List<String> sorted = requirements.stream().map(String::strip).filter(r -> !r.isEmpty())
        .distinct().sorted().toList();
    if (locked) {
      sorted = java.util.stream.Stream.concat(Stream.of(LOCKED_MARK), sorted.stream()).toList();
    }
    return sorted;
  }

  private Venv ensure(List<String> requirements, boolean locked)
      throws PythonEnvironmentException, InterruptedException {
    List<String> sorted = prepare(requirements, locked);
    return ensurePrepared(sorted, List.of(sorted));
  }

  /** {@code sorted} keys the venv (and is its marker); {@code installs} are the pip runs, in order. */
  private Venv ensurePrepared(List<String> sorted, List<List<String>> installs)
      throws PythonEnvironmentException, InterruptedException {
    String key = key(sorted);
    Path root = settings.cacheDirectory().resolve("venvs");
    Path directory = root.resolve(slug(sorted) + "-" + key);
    Venv venv = new Venv(directory, sorted);
    if (isReady(directory, sorted)) {
      return venv;
    }
    ReentrantLock local = IN_PROCESS_LOCKS.computeIfAbsent(directory, d -> new ReentrantLock());
    local.lockInterruptibly();
    try {
      Files.createDirectories(root);
      try (FileChannel channel = FileChannel.open(root.resolve(directory.getFileName() + ".lock"),
              StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        if (!isReady(directory, sorted)) {
          create(directory, sorted, installs);
        }
      }
      return venv;
    } catch (IOException e) {
      throw new PythonEnvironmentException("cannot prepare the Python environment in " + directory
          + ": " + e.getMessage(), e);
    } finally {
      local.unlock();
    }
  }

  private void create(Path directory, List<String> requirements, List<List<String>> installs)
      throws IOException, InterruptedException, PythonEnvironmentException {
    deleteRecursively(directory);
    ProcessResult made = run(List.of(settings.pythonExecutable(), "-m", "venv", directory.toString()),
        "creating the venv");
    if (!made.succeeded()) {
      deleteRecursively(directory);
      throw new PythonEnvironmentException("'" + settings.pythonExecutable() + " -m venv' failed: "
          + made.tail(5) + "\nOn Debian or Ubuntu, install the python3-venv package"
          + " (apt-get install python3-venv), or point KFPCI_PYTHON at another Python 3.9+.");
    }
    for (List<String> install : installs) {
      if (install.isEmpty()) {
        continue;
      }
      List<String> pip = new ArrayList<>(List.of(directory.resolve("bin/python").toString(), "-m", "pip",
          "install", "--disable-pip-version-check", "--no-input", "--quiet"));
      pip.addAll(install); // a locked set starts with --no-deps
      ProcessResult installed = run(pip, "pip install " + String.join(" ", install));
      if (!installed.succeeded()) {
        deleteRecursively(directory);
        throw new PythonEnvironmentException("pip could not install " + String.join(" ", install)
            + ":\n" + installed.tail(15)
            + "\nCheck the package versions, and PIP_INDEX_URL if this machine uses a package mirror.");
      }
    }
    Files.writeString(directory.resolve(CONTENTS_MARKER), contentsDigest(directory), StandardCharsets.UTF_8);
    Files.writeString(directory.resolve(READY_MARKER), String.join("\n", requirements), StandardCharsets.UTF_8);
  }

  /**
   * What is installed in a venv, as one digest: the sorted names of its *.dist-info and *.egg-info
   * entries (a name carries the version, so an install, upgrade or removal changes it).
   */
  public static String contentsDigest(Path venv) throws IOException {
    List<String> names = new ArrayList<>();
    Path lib = venv.resolve("lib");
    if (Files.isDirectory(lib)) {
      try (Stream<Path> versions = Files.list(lib)) {
        for (Path version : versions.sorted().toList()) {
          Path site = version.resolve("site-packages");
          if (!Files.isDirectory(site)) {
            continue;
          }
          try (Stream<Path> entries = Files.list(site)) {
            entries.map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith(".dist-info") || n.endsWith(".egg-info"))
                .forEach(n -> names.add(version.getFileName() + "/" + n));
          }
        }
      }
    }
    names.sort(null);
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(String.join("\n", names).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private ProcessResult run(List<String> command, String what)
      throws IOException, InterruptedException, PythonEnvironmentException {
    try {
      return Processes.run(command, null, Map.of("PIP_DISABLE_PIP_VERSION_CHECK", "1"),
          settings.installTimeout(), what);
    } catch (ProcessTimeoutException e) {
      throw new PythonEnvironmentException(e.getMessage(), e);
    } catch (IOException e) {
      throw new PythonEnvironmentException("cannot run '" + command.get(0) + "': " + e.getMessage()
          + ". Install Python 3.9+ or set KFPCI_PYTHON to its path.", e);
    }
  }

  /**
   * Ready: made for exactly these requirements, and still holding what was installed then. A venv
   * whose contents changed (something installed into it after it was made) is not ready, so it is
   * made again. A venv made by a kfpci that did not record its contents yet gets them recorded now.
   */
  private static boolean isReady(Path directory, List<String> requirements) {
    Path marker = directory.resolve(READY_MARKER);
    try {
      if (!Files.isRegularFile(marker) || !Files.isExecutable(directory.resolve("bin/python"))
          || !Files.readString(marker, StandardCharsets.UTF_8).equals(String.join("\n", requirements))) {
        return false;
      }
      Path contents = directory.resolve(CONTENTS_MARKER);
      String now = contentsDigest(directory);
      if (!Files.isRegularFile(contents)) {
        io.kfpci.files.AtomicFiles.write(contents, now);
        return true;
      }
      return Files.readString(contents, StandardCharsets.UTF_8).strip().equals(now);
    } catch (IOException e) {
      return false;
    }
  }

  private String key(List<String> requirements) throws PythonEnvironmentException, InterruptedException {
    String version = interpreterVersion();
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(version.getBytes(StandardCharsets.UTF_8));
      for (String r : requirements) {
        sha.update((byte) 0);
        sha.update(r.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** "Python 3.11.7 /usr/bin/python3": a venv made by another interpreter is another venv. */
  private String interpreterVersion() throws PythonEnvironmentException, InterruptedException {
    String cached = pythonVersion;
    if (cached == null) {
      try {
        ProcessResult result = run(List.of(settings.pythonExecutable(), "-c",
            "import sys; print(sys.version.split()[0], sys.executable)"), "asking Python for its version");
        if (!result.succeeded()) {
          throw new PythonEnvironmentException("'" + settings.pythonExecutable() + "' does not run: " + result.tail(5));
        }
        cached = result.stdout().strip();
        pythonVersion = cached;
      } catch (IOException e) {
        throw new PythonEnvironmentException("cannot run " + settings.pythonExecutable(), e);
      }
    }
    return cached;
  }

  private static String slug(List<String> requirements) {
    if (requirements.isEmpty()) {
      return "plain";
    }
    String first = requirements.stream().filter(r -> r.startsWith("kfp==")).findFirst()
        .orElse(requirements.get(requirements.size() - 1));
    return first.replaceAll("[^A-Za-z0-9.]+", "-").replaceAll("^-|-$", "");
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
