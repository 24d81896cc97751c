package io.kfpci.compile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfpci.files.AtomicFiles;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.process.ProcessResult;
import io.kfpci.process.ProcessTimeoutException;
import io.kfpci.process.Processes;
import io.kfpci.python.PythonEnvironmentException;
import io.kfpci.python.Venv;
import io.kfpci.python.VenvManager;
import io.kfpci.validate.ValidationReport;
import io.kfpci.validate.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles Python KFP DSL files to IR YAML with the real kfp compiler, in a managed venv holding
 * the pinned kfp and kfp-kubernetes, then loads and validates the result. Thread-safe; the venv
 * is created on first use and shared. A request may ask for the {@link CompileCache}, which skips
 * the compiler when nothing the previous compile of the same pipeline read has changed.
 */
public final class KfpCompiler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCRIPT = "kfpci_compile.py";

  private final VenvManager venvs;
  private final CompileCache cache;

  /** A compiler whose cache lives under the venv cache directory (~/.cache/kfpci/compiled). */
  public KfpCompiler(VenvManager venvs) {
    this(venvs, CompileCache.in(venvs.settings().cacheDirectory()));
  }

  public KfpCompiler(VenvManager venvs, CompileCache cache) {
    this.venvs = venvs;
    this.cache = cache;
  }

  /** The requirements of the compiler venv for one kfp version. */
  public static List<String> compilerRequirements(String kfpVersion) {
    return List.of("kfp==" + kfpVersion, "kfp-kubernetes==" + kfpVersion);
  }

  /**
   * The compiler venv: from the shipped lock when it pins this kfp version (the default), else
   * resolved by pip from {@link #compilerRequirements}.
   */
  public Venv compilerVenv(String kfpVersion) throws PythonEnvironmentException, InterruptedException {
    List<String> lock = shippedLock();
    if (lock.contains("kfp==" + kfpVersion)) {
      return venvs.ensureLocked(lock);
    }
    return venvs.ensure(compilerRequirements(kfpVersion));
  }

  /**
   * The shipped lock of the pinned kfp SDK and its whole dependency closure (exact pins, installed
   * with --no-deps); empty when the build carries none. The local runner bases component venvs on it.
   */
  public static List<String> shippedLock() {
    try (InputStream in = VenvManager.class.getResourceAsStream("kfp-lock.txt")) {
      if (in == null) {
        return List.of();
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
          .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public CompileResult compile(CompileRequest request)
      throws CompileException, PythonEnvironmentException, InvalidPipelineException, InterruptedException, IOException {
    Path source = request.source().toAbsolutePath().normalize();
    if (!Files.isRegularFile(source)) {
      throw new CompileException(request.source(), 0, "no such file", "");
    }
    Venv venv = compilerVenv(request.kfpVersion());
    byte[] scriptContent = scriptContent();
    Path script = installScript(scriptContent);
    Path output = request.output().toAbsolutePath().normalize();
    Files.createDirectories(output.getParent());
    CompileCache.Key key = new CompileCache.Key(source, request.function().orElse(""), request.kfpVersion(),
        venv.directory().toAbsolutePath().normalize(), CompileCache.sha256(scriptContent));
    if (request.compileCache()) {
      Optional<CompileCache.Hit> hit = cache.lookup(key, output);
      if (hit.isPresent()) {
        writeIr(output, hit.get().ir());
        PipelineDocument document = PipelineLoader.load(output);
        return new CompileResult(request.output(), hit.get().function(), hit.get().kfpVersion(), document,
            Validator.validate(document), "IR from the compile cache: " + hit.get().entry() + "\n", true);
      }
    }
    Path resultFile = Files.createTempFile("kfpci-compile-", ".json");
    try {
      ProcessResult run;
      try {
        run = Processes.run(List.of(venv.python().toString(), script.toString(), source.toString(),
                request.function().orElse(""), output.toString(), resultFile.toString()),
            source.getParent(), Map.of("PYTHONDONTWRITEBYTECODE", "1"), request.timeout(),
            "compiling " + request.source());
      } catch (ProcessTimeoutException e) {
        throw new CompileException(request.source(), 0, e.getMessage()
            + " (a pipeline module should not do work at import time)", "");
      }
      JsonNode result = Files.size(resultFile) == 0 ? null : JSON.readTree(resultFile.toFile());
      if (result == null) {
        throw new CompileException(request.source(), 0, "the compiler exited with code " + run.exitCode()
            + " and no result: " + run.tail(10), run.stderr());
      }
      if (!result.path("ok").asBoolean()) {
        throw new CompileException(request.source(), result.path("line").asInt(0),
            result.path("message").asText("compilation failed"), result.path("traceback").asText(""));
      }
      PipelineDocument document = PipelineLoader.load(output);
      ValidationReport report = Validator.validate(document);
      String note = "";
      if (request.compileCache()) {
        try {
          cache.store(key, result, Files.readString(output, StandardCharsets.UTF_8), output);
        } catch (IOException e) {
          // The compile itself succeeded; a cache we cannot write only costs the next compile.
          note = "compile cache not written (" + cache.directory() + "): " + e.getMessage() + "\n";
        }
      }
      return new CompileResult(request.output(), result.path("function").asText(),
          result.path("kfp_version").asText(), document, report, run.stdout() + run.stderr() + note, false);
    } finally {
      Files.deleteIfExists(resultFile);
    }
  }

  /** Writes cached IR where the compiler would have, readable like the compiler's own output. */
  private static void writeIr(Path output, String ir) throws IOException {
    AtomicFiles.write(output, ir);
    try {
      Files.setPosixFilePermissions(output, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: it keeps its default mode.
    }
  }

  private static byte[] scriptContent() throws IOException {
    try (InputStream in = KfpCompiler.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IOException(SCRIPT + " is missing from the kfp-core jar");
      }
      return in.readAllBytes();
    }
  }

  /** The helper script, copied once per content into the cache so Python can run it. */
  private Path installScript(byte[] content) throws IOException {
    String hash = Integer.toHexString(java.util.Arrays.hashCode(content));
    Path dir = venvs.settings().cacheDirectory().resolve("scripts");
    Path target = dir.resolve("kfpci_compile-" + hash + ".py");
    if (!Files.isRegularFile(target)) {
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, "kfpci_compile", ".tmp");
      Files.write(temp, content);
      Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }
}
