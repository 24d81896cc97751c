package io.kfpci.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfpci.KfpException;
import io.kfpci.compile.KfpCompiler;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.process.ProcessResult;
import io.kfpci.process.Processes;
import io.kfpci.python.PythonSettings;
import io.kfpci.python.Venv;
import io.kfpci.python.VenvManager;
import io.kfpci.validate.ValidationReport;
import io.kfpci.validate.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads and validates every file of the shared valid corpus, round after round, in one warm JVM,
 * and in the same run times the kfp SDK loading the same files (Python in the managed compiler
 * venv). Prints files per second for both and their ratio. A benchmark, not a test: it asserts
 * nothing about speed, only that both sides read the same pipelines (a checksum of root tasks).
 *
 * <p>Usage: {@code IrThroughput [--corpus DIR] [--warmup N] [--rounds N]}.
 */
public final class IrThroughput {
  private static final ObjectMapper JSON = new ObjectMapper();

  private IrThroughput() {}

  public static void main(String[] args) throws Exception {
    Path corpus = null;
    int warmup = 20;
    int rounds = 30;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--corpus" -> corpus = Path.of(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("usage: IrThroughput [--corpus DIR] [--warmup N] [--rounds N]");
      }
    }
    if (corpus == null) {
      corpus = repoRoot().resolve("../shared/kfp/compiled-pipelines/valid").normalize();
    }
    List<Path> files = corpusFiles(corpus);
    List<byte[]> contents = new ArrayList<>();
    long bytes = 0;
    for (Path f : files) {
      byte[] content = Files.readAllBytes(f);
      contents.add(content);
      bytes += content.length;
    }
    System.out.printf(Locale.ROOT, "corpus: %d files, %,d bytes (%s)%n", files.size(), bytes, corpus);
    System.out.printf(Locale.ROOT, "rounds: %d warm-up, %d measured, on each side%n", warmup, rounds);

    List<String> names = files.stream().map(f -> f.getFileName().toString()).toList();
    long problems = 0;
    for (int i = 0; i < files.size(); i++) {
      problems += loadAndValidate(names.get(i), contents.get(i)).report().problems().size();
    }
    if (problems != 0) {
      throw new IllegalStateException(problems + " problems in the valid corpus; run CorpusTest");
    }
    for (int r = 0; r < warmup; r++) {
      oneRound(names, contents);
    }
    double[] javaRounds = new double[rounds];
    long javaChecksum = 0;
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      javaChecksum += oneRound(names, contents);
      javaRounds[r] = (System.nanoTime() - start) / 1e9;
    }
    Result kfpci = new Result("kfpci: load (strict, positioned) + validate", files.size(), javaRounds, javaChecksum);

    List<Result> sdk = runSdk(files, Math.max(1, warmup / 10), rounds);
    System.out.println();
    kfpci.print();
    for (Result peer : sdk) {
      peer.print();
      if (peer.checksum() != kfpci.checksum()) {
        throw new IllegalStateException("the SDK read " + peer.checksum() + " root tasks, kfpci "
            + kfpci.checksum() + ": the two sides did not load the same pipelines");
      }
    }
    System.out.println();
    for (Result peer : sdk) {
      System.out.printf(Locale.ROOT, "ratio kfpci / %s: %.1fx%n", peer.name(),
          kfpci.filesPerSecond() / peer.filesPerSecond());
    }
    System.out.println("(target: at least 5x the SDK's own loader, while doing far more checks)");
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

  private static List<Result> runSdk(List<Path> files, int warmup, int rounds)
      throws IOException, InterruptedException, KfpException {
    Venv venv = new KfpCompiler(new VenvManager(PythonSettings.defaults()))
        .compilerVenv(PythonSettings.DEFAULT_KFP_VERSION);
    Path script = Files.createTempFile("kfpci-sdk-load-", ".py");
    try (InputStream in = IrThroughput.class.getResourceAsStream("sdk_load.py")) {
      Files.write(script, in.readAllBytes());
      List<String> command = new ArrayList<>(List.of(venv.python().toString(), script.toString(),
          String.valueOf(warmup), String.valueOf(rounds)));
      files.forEach(f -> command.add(f.toString()));
      System.out.println("timing the kfp SDK " + PythonSettings.DEFAULT_KFP_VERSION + " on the same files...");
      ProcessResult run = Processes.run(command, null, Map.of(), Duration.ofMinutes(60), "the kfp SDK load");
      if (!run.succeeded()) {
        throw new IllegalStateException("the SDK side failed: " + run.tail(20));
      }
      List<Result> results = new ArrayList<>();
      for (String line : run.stdout().strip().split("\n")) {
        JsonNode r = JSON.readTree(line);
        double[] seconds = new double[r.get("round_seconds").size()];
        for (int i = 0; i < seconds.length; i++) {
          seconds[i] = r.get("round_seconds").get(i).asDouble();
        }
        results.add(new Result("kfp SDK: " + r.get("loader").asText(), r.get("files").asInt(), seconds,
            r.get("checksum").asLong()));
      }
      return results;
    } finally {
      Files.deleteIfExists(script);
    }
  }

  /** One side's measured rounds. */
  private record Result(String name, int files, double[] roundSeconds, long checksum) {
    double filesPerSecond() {
      return files * roundSeconds.length / Arrays.stream(roundSeconds).sum();
    }

    double medianRoundMillis() {
      double[] sorted = roundSeconds.clone();
      Arrays.sort(sorted);
      return sorted[sorted.length / 2] * 1000;
    }

    void print() {
      System.out.printf(Locale.ROOT, "%-52s %9.1f files/s   median round %8.1f ms%n", name, filesPerSecond(),
          medianRoundMillis());
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
