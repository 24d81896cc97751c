package io.kfpci.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfpci.KfpException;
import io.kfpci.compile.KfpCompiler;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.python.PythonSettings;
import io.kfpci.python.Venv;
import io.kfpci.python.VenvManager;
import io.kfpci.validate.ValidationReport;
import io.kfpci.validate.Validator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads and validates every file of the shared valid corpus, round after round, in one warm JVM,
 * and in the same run times the kfp SDK loading the same files (Python in the managed compiler
 * venv). The two sides take turns, a block of rounds each, so that on a shared machine both see
 * the same load; each side's speed is its median round. Prints files per second and the ratio.
 * A benchmark, not a test: it asserts nothing about speed, only that both sides read the same
 * pipelines (a checksum of root tasks).
 *
 * <p>Usage: {@code IrThroughput [--corpus DIR] [--warmup N | --warmup-until-stable MAX] [--rounds N]
 * [--blocks N] [--label TEXT]}: warm-up rounds of kfpci (a fixed number, or rounds in chunks of 10
 * until a chunk's median is within 3% of the previous chunk's, at most MAX: long enough for the
 * optimising compiler when the JVM has it), then N blocks of N rounds on each side.
 * {@code --print-sdk-python} prints the interpreter of the SDK side and exits (run.sh uses it for
 * the cold-start measure).
 */
public final class IrThroughput {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KFPCI = "kfpci: load (strict, positioned) + validate";
  private static final com.sun.management.OperatingSystemMXBean PROCESS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private IrThroughput() {}

  public static void main(String[] args) throws Exception {
    Path corpus = null;
    int warmup = 20;
    int rounds = 6;
    int blocks = 5;
    int warmupUntilStable = 0;
    String label = "";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--corpus" -> corpus = Path.of(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--warmup-until-stable" -> warmupUntilStable = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--blocks" -> blocks = Integer.parseInt(args[++i]);
        case "--label" -> label = args[++i];
        case "--print-sdk-python" -> {
          System.out.println(sdkVenv().python());
          return;
        }
        default -> throw new IllegalArgumentException("usage: IrThroughput [--corpus DIR] [--warmup N |"
            + " --warmup-until-stable MAX] [--rounds N] [--blocks N] [--label TEXT] | --print-sdk-python");
      }
    }
    if (corpus == null) {
      String shared = System.getenv("KFPCI_SHARED_DIR");
      corpus = (shared != null && !shared.isBlank() ? Path.of(shared) : repoRoot().resolve("../shared"))
          .resolve("kfp/compiled-pipelines/valid").toAbsolutePath().normalize();
    }
    List<Path> files = corpusFiles(corpus);
    List<String> names = files.stream().map(f -> f.getFileName().toString()).toList();
    List<byte[]> contents = new ArrayList<>();
    long bytes = 0;
    for (Path f : files) {
      byte[] content = Files.readAllBytes(f);
      contents.add(content);
      bytes += content.length;
    }
    System.out.println("== " + (label.isEmpty() ? "IR throughput" : label));
    System.out.println("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
        + ", flags " + ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("-XX") || a.startsWith("-Xm") || a.startsWith("-Xshare")).toList());
    System.out.printf(Locale.ROOT, "corpus: %d files, %,d bytes (%s)%n", files.size(), bytes, corpus);

    long problems = 0;
    for (int i = 0; i < files.size(); i++) {
      problems += loadAndValidate(names.get(i), contents.get(i)).report().problems().size();
    }
    if (problems != 0) {
      throw new IllegalStateException(problems + " problems in the valid corpus; run CorpusTest");
    }
    if (warmupUntilStable > 0) {
      warmup = warmUntilStable(names, contents, warmupUntilStable);
    } else {
      for (int r = 0; r < warmup; r++) {
        oneRound(names, contents);
      }
    }
    System.out.printf(Locale.ROOT, "%d warm-up rounds%s, then %d turns of %d rounds on each side%n", warmup,
        warmupUntilStable > 0 ? " (until the median round moved less than 3% between chunks of 10)" : "",
        blocks, rounds);

    Map<String, Result> results = new LinkedHashMap<>();
    Process sdk = startSdk(files);
    try (BufferedReader sdkOut = new BufferedReader(new InputStreamReader(sdk.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter sdkIn = new PrintWriter(sdk.getOutputStream(), true, StandardCharsets.UTF_8)) {
      JsonNode ready = JSON.readTree(readLine(sdkOut, sdk));
      int loaders = ready.get("ready").size();
      for (int b = 0; b < blocks; b++) {
        Result kfpci = results.computeIfAbsent(KFPCI, n -> new Result(n, files.size()));
        for (int r = 0; r < rounds; r++) {
          measureRound(names, contents, kfpci);
        }
        sdkIn.println(rounds);
        for (int l = 0; l < loaders; l++) {
          JsonNode r = JSON.readTree(readLine(sdkOut, sdk));
          Result peer = results.computeIfAbsent("kfp SDK: " + r.get("loader").asText(),
              n -> new Result(n, files.size()));
          for (int i = 0; i < r.get("round_seconds").size(); i++) {
            peer.add(r.get("round_seconds").get(i).asDouble(), r.get("round_cpu_seconds").get(i).asDouble());
          }
          peer.checksum += r.get("checksum").asLong();
        }
      }
    } finally {
      sdk.destroy();
    }

    System.out.println();
    Result kfpci = results.get(KFPCI);
    results.values().forEach(Result::print);
    System.out.println();
    for (Result peer : results.values()) {
      if (peer == kfpci) {
        continue;
      }
      if (peer.checksum != kfpci.checksum) {
        throw new IllegalStateException("the SDK read " + peer.checksum + " root tasks, kfpci "
            + kfpci.checksum + ": the two sides did not load the same pipelines");
      }
      System.out.printf(Locale.ROOT, "ratio kfpci / %s: wall %.1fx, CPU %.1fx%n", peer.name,
          kfpci.filesPerSecond() / peer.filesPerSecond(), kfpci.filesPerCpuSecond() / peer.filesPerCpuSecond());
    }
    System.out.println("(both sides read the same " + kfpci.checksum + " root tasks; target: at least 5x the"
        + " SDK's own loader, while doing far more checks)");
  }

  /**
   * Warm-up rounds in chunks of 10 until a chunk's median round is within 3% of the previous one's
   * (the JIT has settled), or {@code max} rounds. Returns the rounds run.
   */
  private static int warmUntilStable(List<String> names, List<byte[]> contents, int max)
      throws InvalidPipelineException {
    double previous = Double.NaN;
    int done = 0;
    while (done + 10 <= max) {
      List<Double> chunk = new ArrayList<>();
      for (int r = 0; r < 10; r++) {
        long start = System.nanoTime();
        oneRound(names, contents);
        chunk.add((System.nanoTime() - start) / 1e9);
      }
      done += 10;
      double median = chunk.stream().sorted().toList().get(5);
      if (!Double.isNaN(previous) && Math.abs(median - previous) / previous < 0.03) {
        return done;
      }
      previous = median;
    }
    return done;
  }

  private record Loaded(PipelineDocument document, ValidationReport report) {}

  private static Loaded loadAndValidate(String name, byte[] content) throws InvalidPipelineException {
    PipelineDocument doc = PipelineLoader.load(name, content);
    return new Loaded(doc, Validator.validate(doc));
  }

  /** One pass over the corpus; returns the root task count so the work cannot be optimised away. */
  private static long oneRound(List<String> names, List<byte[]> contents) throws InvalidPipelineException {
    long tasks = 0;
    for (int i = 0; i < names.size(); i++) {
      Loaded loaded = loadAndValidate(names.get(i), contents.get(i));
      tasks += loaded.document().spec().getRoot().getDag().getTasksCount() + loaded.report().problems().size();
    }
    return tasks;
  }

  /** Times one round into {@code result}: wall time, and CPU time of the whole process. */
  private static void measureRound(List<String> names, List<byte[]> contents, Result result)
      throws InvalidPipelineException {
    long startCpu = PROCESS.getProcessCpuTime();
    long start = System.nanoTime();
    result.checksum += oneRound(names, contents);
    result.add((System.nanoTime() - start) / 1e9, (PROCESS.getProcessCpuTime() - startCpu) / 1e9);
  }

  private static Process startSdk(List<Path> files) throws IOException, InterruptedException, KfpException {
    Venv venv = sdkVenv();
    Path script = Files.createTempFile("kfpci-sdk-load-", ".py");
    script.toFile().deleteOnExit();
    try (InputStream in = IrThroughput.class.getResourceAsStream("sdk_load.py")) {
      Files.write(script, in.readAllBytes());
    }
    List<String> command = new ArrayList<>(List.of(venv.python().toString(), script.toString()));
    files.forEach(f -> command.add(f.toString()));
    System.out.println("the kfp SDK " + PythonSettings.DEFAULT_KFP_VERSION + " takes turns on the same files");
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** The managed compiler venv: the pinned kfp, as the compiler and the local runner use it. */
  private static Venv sdkVenv() throws KfpException, InterruptedException {
    return new KfpCompiler(new VenvManager(PythonSettings.defaults())).compilerVenv(PythonSettings.DEFAULT_KFP_VERSION);
  }

  private static String readLine(BufferedReader in, Process process) throws IOException {
    String line = in.readLine();
    if (line == null) {
      throw new IllegalStateException("the SDK side stopped (exit code "
          + (process.isAlive() ? "none yet" : String.valueOf(process.exitValue())) + ")");
    }
    return line;
  }

  /** One side's measured rounds. Only the main thread touches it. */
  private static final class Result {
    final String name;
    final int files;
    final List<Double> roundSeconds = new ArrayList<>();
    final List<Double> roundCpuSeconds = new ArrayList<>();
    long checksum;

    Result(String name, int files) {
      this.name = name;
      this.files = files;
    }

    void add(double seconds, double cpuSeconds) {
      roundSeconds.add(seconds);
      roundCpuSeconds.add(cpuSeconds);
    }

    private static double median(List<Double> values) {
      List<Double> sorted = values.stream().sorted().toList();
      return sorted.get(sorted.size() / 2);
    }

    /** Files per second at the median round: robust to rounds slowed by other work on the machine. */
    double filesPerSecond() {
      return files / median(roundSeconds);
    }

    /**
     * Files per CPU second of the whole process (JIT and GC threads included on the Java side):
     * what the work costs, whatever else the machine runs.
     */
    double filesPerCpuSecond() {
      return files / median(roundCpuSeconds);
    }

    void print() {
      System.out.printf(Locale.ROOT, "%-50s %7.1f files/s (median round %7.1f ms)   %7.1f files/CPU-s%n",
          name, filesPerSecond(), median(roundSeconds) * 1000, filesPerCpuSecond());
    }
  }

  private static List<Path> corpusFiles(Path corpus) throws IOException {
    if (!Files.isDirectory(corpus)) {
      throw new IllegalArgumentException("no corpus at " + corpus + "; pass --corpus DIR");
    }
    try (Stream<Path> list = Files.list(corpus)) {
      return list.filter(f -> f.toString().matches(".*\\.(yaml|yml|json)$")).sorted().toList();
    }
  }

  /** KFPCI_HOME, else the first directory holding mvnw from the working directory upwards. */
  private static Path repoRoot() {
    String home = System.getenv("KFPCI_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home).toAbsolutePath();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw"))) {
        return dir;
      }
    }
    throw new IllegalStateException("run from the kfpci checkout, or set KFPCI_HOME");
  }
}
