package io.kfpci.ir.internal;

import io.kfpci.ir.PipelineLoader;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.problem.Problem;
import io.kfpci.problem.Rule;
import io.kfpci.problem.SourcePosition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Turns a pipeline package into the text of its pipeline file, detecting the format like the KFP
 * API server (server/util.go ReadPipelineFile): zip by its "PK" magic, tar.gz by "1F 8B", otherwise
 * YAML or JSON by file name. Archive members are read with the same 32 MiB bound, so a
 * decompression bomb is cut off instead of filling memory.
 */
public final class PackageReader {
  private static final String PREFERRED_ENTRY = "pipeline.yaml";
  private static final String SUPPORTED =
      "a pipeline package is .yaml, .yml or .json text, or a .zip or .tar.gz archive holding pipeline.yaml";

  /** The pipeline file found in a package. {@code name} is what problems cite. */
  public record Entry(String name, byte[] content, Syntax syntax) {}

  public enum Syntax {
    YAML,
    JSON
  }

  private PackageReader() {}

  /**
   * Reads a pipeline file from disk. Only a regular file is read (a symbolic link to one is fine):
   * a device such as /dev/zero would never end and a FIFO would block until someone writes to it,
   * so both are refused before they are opened. What is read goes through a bounded read, so a
   * file that grows, or a /proc file whose size says 0, still stops at 32 MiB.
   */
  public static Entry read(Path file) throws IOException, InvalidPipelineException {
    String name = file.toString();
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    if (!attributes.isRegularFile()) {
      String kind = attributes.isDirectory() ? "a directory" : "a device, FIFO or socket";
      throw fail(name, "not a regular file: it is " + kind + ", and a pipeline is read only from a file",
          "give the path of a compiled pipeline (.yaml, .json, .zip or .tar.gz)");
    }
    long size = attributes.size();
    if (size > PipelineLoader.MAX_FILE_BYTES) {
      throw tooLarge(name, size + " bytes");
    }
    byte[] content;
    try (InputStream in = Files.newInputStream(file)) {
      content = in.readNBytes((int) PipelineLoader.MAX_FILE_BYTES + 1);
    }
    if (content.length > PipelineLoader.MAX_FILE_BYTES) {
      throw tooLarge(name, "more than " + PipelineLoader.MAX_FILE_BYTES + " bytes once read");
    }
    return read(name, content);
  }

  private static InvalidPipelineException tooLarge(String name, String size) {
    return fail(name, "the file is " + size + "; the limit is "
        + PipelineLoader.MAX_FILE_BYTES + " bytes (32 MiB), as on the KFP API server",
        "split large constants out of the pipeline, or pass them as run parameters");
  }

  public static Entry read(String name, byte[] content) throws InvalidPipelineException {
    if (content.length > PipelineLoader.MAX_FILE_BYTES) {
      throw fail(name, "the file is " + content.length + " bytes; the limit is 32 MiB", "");
    }
    if (startsWith(content, 0x50, 0x4B, 0x03, 0x04)) {
      return readZip(name, content);
    }
    if (startsWith(content, 0x50, 0x4B, 0x05, 0x06)) {
      // A zip with no entries is only its end-of-directory record, which has its own magic.
      throw fail(name, "the zip archive holds no file", SUPPORTED);
    }
    if (startsWith(content, 0x1F, 0x8B)) {
      return readTarGz(name, content);
    }
    Syntax syntax = syntaxByName(name);
    if (syntax == null) {
      throw fail(name, "unsupported pipeline file format: '" + baseName(name)
          + "' is neither YAML nor JSON by name, and not a zip or gzip archive by content", SUPPORTED);
    }
    return new Entry(name, content, syntax);
  }

  private static Entry readZip(String name, byte[] content) throws InvalidPipelineException {
    try (ZipInputStream zip = new BoundedZipInputStream(new ByteArrayInputStream(content))) {
      Entry first = null;
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (e.isDirectory() || isMacMetadata(e.getName())) {
          continue;
        }
        boolean preferred = baseName(e.getName()).equals(PREFERRED_ENTRY);
        if (first == null || preferred) {
          Entry candidate = member(name, e.getName(), zip);
          if (preferred) {
            return candidate;
          }
          first = candidate;
        }
      }
      if (first == null) {
        throw fail(name, "the zip archive holds no file", SUPPORTED);
      }
      return first;
    } catch (IOException e) {
      throw fail(name, "unreadable zip archive: " + e.getMessage(), SUPPORTED);
    } catch (IllegalArgumentException e) {
      // ZipInputStream's only unchecked failure: a member name that is not valid UTF-8.
      throw fail(name, "unreadable zip archive: a member name is not valid UTF-8",
          "re-create the archive with UTF-8 file names, or give the pipeline file itself");
    }
  }

  private static Entry readTarGz(String name, byte[] content) throws InvalidPipelineException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new BoundedInputStream(new GzipCompressorInputStream(
            new ByteArrayInputStream(content))))) {
      Entry first = null;
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (!e.isFile() || isMacMetadata(e.getName())) {
          continue;
        }
        boolean preferred = baseName(e.getName()).equals(PREFERRED_ENTRY);
        if (first == null || preferred) {
          Entry candidate = member(name, e.getName(), tar);
          if (preferred) {
            return candidate;
          }
          first = candidate;
        }
      }
      if (first == null) {
        throw fail(name, "the tar.gz archive holds no file", SUPPORTED);
      }
      return first;
    } catch (IOException | IllegalArgumentException e) {
      // commons-compress reports some malformed headers unchecked.
      throw fail(name, "unreadable tar.gz archive: " + e.getMessage(), SUPPORTED);
    }
  }

  /**
   * All the bytes an archive may expand to, the members skipped on the way to pipeline.yaml
   * included: skipping a member still decompresses it, so a bomb before pipeline.yaml would
   * otherwise cost minutes.
   */
  static final long MAX_EXPANDED_BYTES = 4 * PipelineLoader.MAX_FILE_BYTES;

  private static IOException tooMuch() {
    return new IOException("it expands to more than " + (MAX_EXPANDED_BYTES >> 20)
        + " MiB (a decompression bomb?)");
  }

  /** Counts what is read through it (tar's view of the decompressed gzip stream). */
  private static final class BoundedInputStream extends java.io.FilterInputStream {
    private long total;

    BoundedInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count(b < 0 ? 0 : 1);
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      count(Math.max(n, 0));
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count(skipped);
      return skipped;
    }

    private void count(long n) throws IOException {
      total += n;
      if (total > MAX_EXPANDED_BYTES) {
        throw tooMuch();
      }
    }
  }

  /** Counts the inflated bytes of every member, those closeEntry() skips included. */
  private static final class BoundedZipInputStream extends ZipInputStream {
    private long total;

    BoundedZipInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      total += Math.max(n, 0);
      if (total > MAX_EXPANDED_BYTES) {
        throw tooMuch();
      }
      return n;
    }
  }

  private static Entry member(String archive, String entryName, InputStream in)
      throws IOException, InvalidPipelineException {
    byte[] bytes = in.readNBytes((int) PipelineLoader.MAX_FILE_BYTES + 1);
    String display = archive + "!" + entryName;
    if (bytes.length > PipelineLoader.MAX_FILE_BYTES) {
      throw fail(display, "the archive member is larger than 32 MiB once decompressed", "");
    }
    Syntax syntax = syntaxByName(entryName);
    return new Entry(display, bytes, syntax == null ? Syntax.YAML : syntax);
  }

  private static Syntax syntaxByName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
      return Syntax.YAML;
    }
    if (lower.endsWith(".json")) {
      return Syntax.JSON;
    }
    return null;
  }

  private static boolean isMacMetadata(String entryName) {
    return entryName.startsWith("__MACOSX/") || baseName(entryName).startsWith("._");
  }

  private static String baseName(String path) {
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return path.substring(slash + 1);
  }

  private static boolean startsWith(byte[] content, int... magic) {
    if (content.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((content[i] & 0xFF) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  private static InvalidPipelineException fail(String file, String message, String hint) {
    return new InvalidPipelineException(List.of(Problem.error(
        Rule.FILE_FORMAT, SourcePosition.wholeFile(file), "$", message, hint)));
  }
}
