package io.kfpci.compile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Compiled IR kept per pipeline, so an unchanged pipeline is not compiled again (each compile
 * starts Python and imports kfp; bench/local-runner measures what that costs).
 *
 * <p>An entry is found by its {@link Key} (the pipeline file's path, the function asked for, the
 * kfp version, the compiler venv and the compile script) and is valid only while everything the
 * compile read is unchanged: the compile script reports every file it opened outside the Python
 * installation (the pipeline, its local modules, data files read at import time), with the
 * SHA-256 of the content it read or "absent", and every directory it listed (the import system
 * lists the pipeline's directory, so a new module there can shadow an import). A lookup hashes
 * these again and misses on any difference. What the cache cannot see (environment variables, the
 * clock, files only stat'ed) is why it can be turned off ({@code --no-compile-cache}).
 *
 * <p>On disk: one JSON file per key in {@link #directory()} (mode 0600, written atomically, in a
 * 0700 directory), holding the manifest and the IR text. A file that cannot be read or parsed is a
 * miss, and the next store replaces it. Stores evict the least recently used entries beyond
 * {@code maxEntries} or {@code maxBytes}; a hit counts as a use. Safe for concurrent processes:
 * readers see a whole old or a whole new entry, and a race only costs a compile.
 */
public final class CompileCache {
  public static final int DEFAULT_MAX_ENTRIES = 200;
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
  static final int FORMAT = 1;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUFFIX = ".json";

  private final Path directory;
  private final int maxEntries;
  private final long maxBytes;

  /**
   * @param directory where entries live (created on the first store)
   * @param maxEntries how many entries to keep at most
   * @param maxBytes how many bytes of entries to keep at most; a larger single entry is not stored
   */
  public CompileCache(Path directory, int maxEntries, long maxBytes) {
    this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
    if (maxEntries < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("the compile cache needs room for at least one entry");
    }
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  /** The cache in {@code compiled/} under the per-user kfpci cache directory, with default bounds. */
  public static CompileCache in(Path kfpciCacheDirectory) {
    return new CompileCache(kfpciCacheDirectory.resolve("compiled"), DEFAULT_MAX_ENTRIES, DEFAULT_MAX_BYTES);
  }

  public Path directory() {
    return directory;
  }

  /**
   * What an entry is for. Any difference is another entry.
   *
   * @param source the pipeline file, absolute and normalised
   * @param function the function asked for, empty for "the only pipeline in the file"
   * @param kfpVersion the kfp version asked for
   * @param venv the compiler venv's directory (it stands for the interpreter and the installed lock)
   * @param scriptSha256 the compile script's content hash: a new script may compile differently
   */
  public record Key(Path source, String function, String kfpVersion, Path venv, String scriptSha256) {
    public Key {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(function, "function");
      Objects.requireNonNull(kfpVersion, "kfpVersion");
      Objects.requireNonNull(venv, "venv");
      Objects.requireNonNull(scriptSha256, "scriptSha256");
    }

    /** The entry's file name: a SHA-256 over every field, each ended by a NUL. */
    String digest() {
      return sha256(String.join("\0", "kfpci-compile-cache", Integer.toString(FORMAT), source.toString(), function,
          kfpVersion, venv.toString(), scriptSha256, "").getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A valid entry: the IR text and what the compiler said about it. */
  public record Hit(Path entry, String ir, String function, String kfpVersion) {}

  /** An entry as listed by {@link #entries()}. */
  public record Entry(Path file, String source, String function, String kfpVersion, Instant lastUsed) {}

  /** The entry file of a key, whether or not it exists. */
  public Path entryFile(Key key) {
    return directory.resolve(key.digest() + SUFFIX);
  }

  /**
   * The entry for {@code key} when it exists, is whole, and nothing the compile read has changed;
   * empty otherwise. {@code output} is where the IR will be written: its own name is left out of
   * directory listings (a previous compile put it there).
   */
  public Optional<Hit> lookup(Key key, Path output) {
    Path file = entryFile(key);
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > maxBytes) {
        return Optional.empty();
      }
      JsonNode entry = JSON.readTree(file.toFile());
      if (entry == null || entry.path("format").asInt() != FORMAT
          || !key.source().toString().equals(entry.path("source").asText(null))
          || !key.function().equals(entry.path("function").asText(null))
          || !key.kfpVersion().equals(entry.path("kfp_version").asText(null))
          || !entry.path("ir").isTextual() || !entry.path("reads").isArray() || !entry.path("listings").isArray()) {
        return Optional.empty();
      }
      for (JsonNode read : entry.path("reads")) {
        JsonNode expected = read.path("sha256");
        if (!read.path("path").isTextual() || !Objects.equals(fileDigest(Path.of(read.path("path").asText())),
            expected.isTextual() ? expected.asText() : null)) {
          return Optional.empty();
        }
      }
      for (JsonNode listing : entry.path("listings")) {
        JsonNode expected = listing.path("sha256");
        if (!listing.path("path").isTextual() || !Objects.equals(
            listingDigest(Path.of(listing.path("path").asText()), output),
            expected.isTextual() ? expected.asText() : null)) {
          return Optional.empty();
        }
      }
      touch(file);
      return Optional.of(new Hit(file, entry.path("ir").asText(), entry.path("resolved_function").asText(),
          entry.path("resolved_kfp_version").asText()));
    } catch (IOException | RuntimeException e) {
      // Unreadable, truncated or not ours: compile as if there were no entry, and replace it then.
      return Optional.empty();
    }
  }

  /** Marks an entry as just used, for eviction; a cache we may read but not write still hits. */
  private static void touch(Path file) {
    try {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    } catch (IOException e) {
      // Only the eviction order suffers.
    }
  }

  /**
   * Stores the outcome of a successful compile, as reported by the compile script, with its IR.
   * Returns false (and stores nothing) when the compile cannot be vouched for: the script could not
   * hash something it read, or the pipeline file itself is not among the reads.
   */
  public boolean store(Key key, JsonNode result, String ir, Path output) throws IOException {
    if (!result.path("ok").asBoolean() || !result.path("cacheable").asBoolean()) {
      return false;
    }
    ObjectNode entry = JSON.createObjectNode();
    entry.put("format", FORMAT);
    entry.put("source", key.source().toString());
    entry.put("function", key.function());
    entry.put("kfp_version", key.kfpVersion());
    entry.put("resolved_function", result.path("function").asText());
    entry.put("resolved_kfp_version", result.path("kfp_version").asText());
    ArrayNode reads = entry.putArray("reads");
    boolean sourceRead = false;
    for (JsonNode read : result.path("reads")) {
      String path = read.path("path").asText(null);
      if (path == null || !Path.of(path).isAbsolute()) {
        return false;
      }
      sourceRead |= Path.of(path).normalize().equals(key.source());
      reads.addObject().put("path", path).set("sha256", read.path("sha256"));
    }
    if (!sourceRead) {
      return false;
    }
    ArrayNode listings = entry.putArray("listings");
    for (JsonNode listing : result.path("listings")) {
      String path = listing.path("path").asText(null);
      if (path == null || !Path.of(path).isAbsolute()) {
        return false;
      }
      ObjectNode stored = listings.addObject().put("path", path);
      if (listing.path("names").isArray()) {
        List<String> names = new ArrayList<>();
        listing.path("names").forEach(n -> names.add(n.asText()));
        stored.put("sha256", namesDigest(Path.of(path), names, output));
      } else {
        stored.putNull("sha256");
      }
    }
    entry.put("ir", ir);
    String text = JSON.writeValueAsString(entry);
    if (text.length() > maxBytes) {
      return false;
    }
    createPrivateDirectory();
    AtomicFiles.write(entryFile(key), text);
    evict();
    return true;
  }

  /** The entries, most recently used first. */
  public List<Entry> entries() throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (Path file : entryFiles()) {
      try {
        JsonNode entry = JSON.readTree(file.toFile());
        entries.add(new Entry(file, entry.path("source").asText(), entry.path("function").asText(),
            entry.path("kfp_version").asText(), Files.getLastModifiedTime(file).toInstant()));
      } catch (IOException e) {
        entries.add(new Entry(file, "", "", "", Instant.EPOCH));
      }
    }
    entries.sort(Comparator.comparing(Entry::lastUsed).reversed());
    return entries;
  }

  private List<Path> entryFiles() throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)
          && !f.getFileName().toString().startsWith(".")).toList();
    }
  }

  /** Keeps the most recently used entries within both bounds, and clears temp files left by a crash. */
  private void evict() throws IOException {
    record Sized(Path file, long size, FileTime used) {}
    List<Sized> sized = new ArrayList<>();
    for (Path file : entryFiles()) {
      try {
        sized.add(new Sized(file, Files.size(file), Files.getLastModifiedTime(file)));
      } catch (NoSuchFileException e) {
        // Evicted by another process meanwhile.
      }
    }
    sized.sort(Comparator.comparing(Sized::used).reversed());
    long total = 0;
    for (int i = 0; i < sized.size(); i++) {
      total += sized.get(i).size();
      if (i >= maxEntries || total > maxBytes) {
        Files.deleteIfExists(sized.get(i).file());
      }
    }
    Instant stale = Instant.now().minusSeconds(3600);
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList()) {
        try {
          if (Files.getLastModifiedTime(file).toInstant().isBefore(stale)) {
            Files.deleteIfExists(file);
          }
        } catch (NoSuchFileException e) {
          // Renamed into place or removed meanwhile.
        }
      }
    }
  }

  private void createPrivateDirectory() throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    Files.createDirectories(directory.getParent());
    try {
      Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // Another process made it first.
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(directory);
    }
  }

  /** The content hash of a file, or null when there is no file (the compile saw none either). */
  static String fileDigest(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      return "directory";
    }
    MessageDigest digest = newDigest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    } catch (NoSuchFileException e) {
      return null;
    } catch (FileSystemException e) {
      if (!Files.exists(file)) {
        return null;
      }
      throw e;
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The hash of a directory's listing as the compile would see it now, or null when it is gone. */
  static String listingDigest(Path dir, Path output) throws IOException {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return namesDigest(dir, files.map(f -> f.getFileName().toString()).toList(), output);
    }
  }

  /**
   * The hash of a listing, leaving out names that cannot change a compile: dot files (editor
   * swap files), byte-code caches, and the IR output itself when it is written into that directory.
   */
  static String namesDigest(Path dir, List<String> names, Path output) {
    Path out = output.toAbsolutePath().normalize();
    String ownOutput = dir.toAbsolutePath().normalize().equals(out.getParent()) ? out.getFileName().toString() : null;
    TreeSet<String> kept = new TreeSet<>();
    for (String name : names) {
      if (!name.startsWith(".") && !name.equals("__pycache__") && !name.equals(ownOutput)) {
        kept.add(name);
      }
    }
    return sha256(String.join("\0", kept).getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(newDigest().digest(bytes));
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
