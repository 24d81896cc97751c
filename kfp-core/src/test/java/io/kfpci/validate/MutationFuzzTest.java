package io.kfpci.validate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.problem.Problem;
import io.kfpci.testing.RepoPaths;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Mutants of the shared corpus (a fixed seed, so a failure replays): byte flips, truncations,
 * duplicated, deleted and swapped lines, huge numbers, deep nesting, nulls, hostile names and
 * unusual Unicode. Loading and validating each must end in a report or an
 * {@link InvalidPipelineException} whose problems are printable, and the reports must render (the
 * JUnit one as XML a parser accepts). The per-file deadline is a hang guard, not a speed claim.
 */
class MutationFuzzTest {
  private static final long SEED = 20_261_129L;
  private static final int MUTANTS = 3000;
  private static final Duration HANG_GUARD = Duration.ofSeconds(10);

  private record Seed(String name, byte[] content) {}

  private record Mutant(int index, String name, byte[] content, String how) {}

  private static List<Seed> seeds() throws IOException {
    Optional<Path> corpus = RepoPaths.sharedCorpus();
    if (corpus.isEmpty()) {
      if (System.getenv("CI") != null) {
        fail("../shared/kfp/compiled-pipelines is not beside the repository root, and CI is set: the fuzz"
            + " test must run in CI; check out the shared inputs beside the repository");
      }
      Assumptions.abort("skipped: ../shared/kfp/compiled-pipelines is not beside the repository root");
    }
    List<Seed> seeds = new ArrayList<>();
    for (String dir : List.of("valid", "invalid")) {
      try (Stream<Path> files = Files.list(corpus.get().resolve(dir))) {
        for (Path file : files.sorted().toList()) {
          seeds.add(new Seed(file.getFileName().toString(), Files.readAllBytes(file)));
        }
      }
    }
    assertThat(seeds).as("corpus files").hasSizeGreaterThan(10);
    return seeds;
  }

  @Test
  void noMutantEscapesAsAnExceptionOrHangs() throws Exception {
    List<Seed> seeds = seeds();
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    Map<String, Integer> outcomes = new java.util.TreeMap<>();
    for (int i = 0; i < MUTANTS; i++) {
      Mutant mutant = mutate(i, seeds.get(random.nextInt(seeds.size())), random);
      try {
        String outcome = Assertions.assertTimeoutPreemptively(HANG_GUARD, () -> check(mutant),
            () -> "mutant " + mutant.index() + " (" + mutant.how() + ") did not finish in " + HANG_GUARD);
        outcomes.merge(outcome, 1, Integer::sum);
      } catch (RuntimeException | AssertionError e) {
        failures.add("mutant " + mutant.index() + " of " + mutant.name() + " (" + mutant.how() + "): " + e);
      }
    }
    System.out.println("MutationFuzzTest: " + MUTANTS + " mutants, outcomes " + outcomes + ", " + failures.size()
        + " failures");
    assertThat(failures).as("mutants that escaped (seed %d)", SEED).isEmpty();
    // The mutants exercise both outcomes, or the mutations are too weak to test anything.
    assertThat(outcomes).containsKeys("invalid", "loaded");
  }

  /** "loaded" or "invalid"; anything else thrown is a failure of the loader or a rule. */
  private static String check(Mutant mutant) throws Exception {
    List<ValidationReport> reports;
    String outcome;
    try {
      PipelineDocument document = PipelineLoader.load(mutant.name(), mutant.content());
      reports = List.of(Validator.validate(document));
      outcome = "loaded";
    } catch (InvalidPipelineException e) {
      assertThat(e.problems()).as("problems of a refused file").isNotEmpty();
      reports = List.of(new ValidationReport(mutant.name(), e.problems()));
      outcome = "invalid";
    }
    for (Problem p : reports.get(0).problems()) {
      assertThat(p.position().file()).startsWith(mutant.name());
      if (p.rule() != io.kfpci.problem.Rule.FILE_FORMAT) {
        // A content error has its line and field; only whole-file problems (size, format) have none.
        assertThat(p.position().line()).as("line of %s", p.headline()).isPositive();
        assertThat(p.jsonPath()).startsWith("$");
      }
      // The schema walk must find what protojson would reject, each at its own line.
      assertThat(p.message()).as("a protojson backstop message").doesNotStartWith("not a valid ");
      assertThat(p.headline() + p.hint() + p.jsonPath()).as("printable problem")
          .doesNotContainPattern("[\\p{Cc}\\p{Cf}\\u2028\\u2029]");
    }
    ReportWriters.text(reports);
    ReportWriters.json(reports);
    DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(ReportWriters.junit(reports).getBytes(UTF_8)));
    return outcome;
  }

  private static Mutant mutate(int index, Seed seed, Random random) throws IOException {
    byte[] content = seed.content();
    StringBuilder how = new StringBuilder();
    int rounds = 1 + random.nextInt(3);
    for (int r = 0; r < rounds; r++) {
      int kind = random.nextInt(12);
      how.append(r == 0 ? "" : ", ");
      content = switch (kind) {
        case 0 -> flipBytes(content, random, how);
        case 1 -> truncate(content, random, how);
        case 2 -> lines(content, random, how, "duplicate");
        case 3 -> lines(content, random, how, "delete");
        case 4 -> lines(content, random, how, "swap");
        case 5 -> replaceValue(content, random, how, pick(random, "99999999999999999999", "-9223372036854775809",
            "1e99999", "2147483648", "-1", "0x7fffffffffffffff", ".inf", ".nan", "1" + "0".repeat(900), "null",
            "~", "[]", "{}", "7", "\"json_escape[2147483648]\""));
        case 6 -> insert(content, random, how, "[".repeat(50 + random.nextInt(200)));
        case 7 -> insert(content, random, how, pick(random, "\u202E", "\u0000", "\uFFFF", "\u0085", "\u2028",
            "\uFEFF", "\uD83D\uDE00", "\t", "\r", "\u001B[31m", "é"));
        case 8 -> insertBytes(content, random, how, pick(random, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xFF, (byte) 0xFE}, new byte[] {(byte) 0xF4, (byte) 0x90,
                (byte) 0x80, (byte) 0x80}));
        case 9 -> replaceKey(content, random, how, pick(random, "../../../../tmp/x", "/etc/passwd", "..", "C:",
            "\"a\\u0000b\"", "\"\"", "x".repeat(300)));
        case 10 -> insert(content, random, how, pick(random, "{{$.inputs.parameters['x'].json_escape[2147483648]}}",
            "{{$" .repeat(2000), "x".repeat(100_000), "# " + "c".repeat(100_000) + "\n", "&a [1]\n", "*a",
            "!!binary AAAA", "? complex\n: key\n", "- \n", "'unclosed", "\"\\x"));
        default -> truncateToBytes(content, random, how);
      };
    }
    String name = seed.name();
    if (random.nextInt(20) == 0 && !name.endsWith(".zip")) {
      content = zip(name.endsWith(".json") ? "pipeline.json" : "pipeline.yaml", content);
      name = name + ".zip";
      how.append(", zipped");
    }
    return new Mutant(index, name, content, how.toString());
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... options) {
    return options[random.nextInt(options.length)];
  }

  private static byte[] flipBytes(byte[] content, Random random, StringBuilder how) {
    byte[] out = content.clone();
    int flips = 1 + random.nextInt(8);
    for (int i = 0; i < flips && out.length > 0; i++) {
      out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
    }
    how.append(flips).append(" bit flips");
    return out;
  }

  private static byte[] truncate(byte[] content, Random random, StringBuilder how) {
    int at = content.length == 0 ? 0 : random.nextInt(content.length);
    how.append("truncated at ").append(at);
    return java.util.Arrays.copyOf(content, at);
  }

  /** A truncation that may cut a multi-byte character in two. */
  private static byte[] truncateToBytes(byte[] content, Random random, StringBuilder how) {
    for (int i = content.length - 1; i > 0; i--) {
      if ((content[i] & 0x80) != 0 && random.nextInt(4) == 0) {
        how.append("cut inside a character at ").append(i);
        return java.util.Arrays.copyOf(content, i);
      }
    }
    return truncate(content, random, how);
  }

  private static byte[] lines(byte[] content, Random random, StringBuilder how, String op) {
    List<String> lines = new ArrayList<>(List.of(new String(content, UTF_8).split("\n", -1)));
    if (lines.size() < 2) {
      how.append("no lines to ").append(op);
      return content;
    }
    int a = random.nextInt(lines.size());
    int b = random.nextInt(lines.size());
    switch (op) {
      case "duplicate" -> lines.add(a, lines.get(a));
      case "delete" -> lines.remove(a);
      default -> java.util.Collections.swap(lines, a, b);
    }
    how.append(op).append(" line ").append(a + 1);
    return String.join("\n", lines).getBytes(UTF_8);
  }

  private static byte[] replaceValue(byte[] content, Random random, StringBuilder how, String value) {
    String text = new String(content, UTF_8);
    List<Integer> colons = new ArrayList<>();
    for (int i = text.indexOf(": "); i >= 0 && colons.size() < 10_000; i = text.indexOf(": ", i + 1)) {
      colons.add(i);
    }
    if (colons.isEmpty()) {
      return insert(content, random, how, value);
    }
    int at = colons.get(random.nextInt(colons.size())) + 2;
    int end = text.indexOf('\n', at);
    end = end < 0 ? text.length() : end;
    how.append("value at ").append(at).append(" := ").append(abbreviate(value));
    return (text.substring(0, at) + value + text.substring(end)).getBytes(UTF_8);
  }

  private static byte[] replaceKey(byte[] content, Random random, StringBuilder how, String key) {
    String text = new String(content, UTF_8);
    List<Integer> keys = new ArrayList<>();
    for (int i = text.indexOf(":\n"); i >= 0 && keys.size() < 10_000; i = text.indexOf(":\n", i + 1)) {
      keys.add(i);
    }
    if (keys.isEmpty()) {
      return insert(content, random, how, key);
    }
    int end = keys.get(random.nextInt(keys.size()));
    int start = text.lastIndexOf('\n', end) + 1;
    while (start < end && text.charAt(start) == ' ') {
      start++;
    }
    how.append("key at ").append(start).append(" := ").append(abbreviate(key));
    return (text.substring(0, start) + key + text.substring(end)).getBytes(UTF_8);
  }

  private static byte[] insert(byte[] content, Random random, StringBuilder how, String text) {
    return insertBytes(content, random, how, text.getBytes(UTF_8));
  }

  private static byte[] insertBytes(byte[] content, Random random, StringBuilder how, byte[] bytes) {
    int at = content.length == 0 ? 0 : random.nextInt(content.length);
    how.append("inserted ").append(bytes.length).append(" bytes at ").append(at);
    byte[] out = new byte[content.length + bytes.length];
    System.arraycopy(content, 0, out, 0, at);
    System.arraycopy(bytes, 0, out, at, bytes.length);
    System.arraycopy(content, at, out, at + bytes.length, content.length - at);
    return out;
  }

  private static byte[] zip(String entry, byte[] content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(entry));
      zip.write(content);
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  private static String abbreviate(String s) {
    return s.length() <= 30 ? s : s.substring(0, 27) + "...";
  }
}
