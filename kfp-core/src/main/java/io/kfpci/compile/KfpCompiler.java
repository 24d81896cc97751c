package io.kfpci.compile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Compiles Python KFP DSL files to IR YAML with the real kfp compiler, in a managed venv holding
 * the pinned kfp and kfp-kubernetes, then loads and validates the result. Thread-safe; the venv
 * is created on first use and shared.
 */
public final class KfpCompiler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCRIPT = "kfpci_compile.py";

  private final VenvManager venvs;

  public KfpCompiler(VenvManager venvs) {
    this.venvs = venvs;
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
    Path script = installScript();
    Path output = request.output().toAbsolutePath().normalize();
    Files.createDirectories(output.getParent());
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
      return new CompileResult(request.output(), result.path("function").asText(),
          result.path("kfp_version").asText(), document, report, run.stdout() + run.stderr());
    } finally {
      Files.deleteIfExists(resultFile);
    }
  }

  /** The helper script, copied once per content into the cache so Python can run it. */
  private Path installScript() throws IOException {
    byte[] content;
    try (InputStream in = KfpCompiler.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IOException(SCRIPT + " is missing from the kfp-core jar");
      }
      content = in.readAllBytes();
    }
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
