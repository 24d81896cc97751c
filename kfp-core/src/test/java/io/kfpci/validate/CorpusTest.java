package io.kfpci.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.problem.Problem;
import io.kfpci.problem.Rule;
import io.kfpci.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The KFP SDK's own compiled pipelines: every valid one passes, every invalid one fails precisely. */
class CorpusTest {

  /** The file names the loader reads as pipelines; anything else in valid/ is skipped, and reported. */
  private static final List<String> PIPELINE_SUFFIXES = List.of(".yaml", ".yml", ".json", ".zip", ".tar.gz", ".tgz");

  /** The invalid files the tests below check, one each: a new file there must get its test. */
  private static final List<String> INVALID_CHECKED = List.of("empty_file.yaml", "invalid_yaml.yaml", "no_name.yaml",
      "empty_zip.zip", "wrong_format.png", "invalid-zip.zip");

  private static List<Path> corpusFiles(String subdirectory) throws IOException {
    try (Stream<Path> files = Files.list(RepoPaths.requireSharedCorpus().resolve(subdirectory))) {
      return files.sorted().toList();
    }
  }

  private static boolean isPipelineFile(Path file) {
    String name = file.getFileName().toString();
    return Files.isRegularFile(file) && PIPELINE_SUFFIXES.stream().anyMatch(name::endsWith);
  }

  static Stream<Path> validFiles() throws IOException {
    return corpusFiles("valid").stream().filter(CorpusTest::isPipelineFile);
  }

  @Test
  void everyCorpusFileIsCheckedOrReportedAsSkipped(TestReporter reporter) throws IOException {
    List<Path> all = corpusFiles("valid");
    List<String> skipped = all.stream().filter(f -> !isPipelineFile(f)).map(f -> f.getFileName().toString()).toList();
    String line = "valid/: " + (all.size() - skipped.size()) + " pipeline files checked, " + skipped.size()
        + " skipped (not a pipeline file)" + (skipped.isEmpty() ? "" : ": " + String.join(", ", skipped));
    reporter.publishEntry("corpus", line);
    System.out.println("CorpusTest " + line);

    assertThat(validFiles().count() + skipped.size()).isEqualTo(all.size());
    assertThat(corpusFiles("invalid")).extracting(f -> f.getFileName().toString())
        .as("every file in invalid/ has a test below").containsExactlyInAnyOrderElementsOf(INVALID_CHECKED);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validFiles")
  void validPipelinesLoadAndValidateWithoutErrors(Path file) {
    ValidationReport report = Validator.validate(file);

    assertThat(report.problems().stream().filter(Problem::isError).map(Problem::headline))
        .as("errors in %s", file.getFileName())
        .isEmpty();
    assertThat(report.problems()).as("warnings in %s", file.getFileName()).isEmpty();
  }

  private static ValidationReport invalid(String name) {
    return Validator.validate(RepoPaths.requireSharedCorpus().resolve("invalid").resolve(name));
  }

  private static Problem only(ValidationReport report) {
    assertThat(report.problems()).hasSize(1);
    return report.problems().get(0);
  }

  @Test
  void emptyFileIsAnEmptyDocument() {
    Problem problem = only(invalid("empty_file.yaml"));

    assertThat(problem.rule()).isEqualTo(Rule.FILE_FORMAT);
    assertThat(problem.message()).isEqualTo("empty document: the file holds no pipeline spec");
    assertThat(problem.position().file()).endsWith("empty_file.yaml");
  }

  @Test
  void unknownTopLevelFieldIsNamedWithItsLineAndTheClosestField() {
    Problem problem = only(invalid("invalid_yaml.yaml"));

    assertThat(problem.rule()).isEqualTo(Rule.UNKNOWN_FIELD);
    assertThat(problem.message())
        .isEqualTo("unknown field 'components_1' in PipelineSpec; did you mean 'components'?");
    assertThat(problem.position().line()).isEqualTo(lineOf("invalid/invalid_yaml.yaml", "components_1:"));
    assertThat(problem.position().column()).isEqualTo(1);
    assertThat(problem.jsonPath()).isEqualTo("$.components_1");
  }

  @Test
  void emptyPipelineNameIsReportedAtItsLine() {
    Problem problem = only(invalid("no_name.yaml"));

    assertThat(problem.rule()).isEqualTo(Rule.PIPELINE_NAME);
    assertThat(problem.message()).isEqualTo("pipelineInfo.name is empty");
    assertThat(problem.jsonPath()).isEqualTo("$.pipelineInfo.name");
    assertThat(problem.position().line()).isEqualTo(lineOf("invalid/no_name.yaml", "  name:"));
  }

  @Test
  void textWithAZipNameIsAnUnsupportedFormat() {
    Problem problem = only(invalid("empty_zip.zip"));

    assertThat(problem.rule()).isEqualTo(Rule.FILE_FORMAT);
    assertThat(problem.message()).startsWith("unsupported pipeline file format: 'empty_zip.zip'");
  }

  @Test
  void pngIsAnUnsupportedFormat() {
    Problem problem = only(invalid("wrong_format.png"));

    assertThat(problem.rule()).isEqualTo(Rule.FILE_FORMAT);
    assertThat(problem.message()).startsWith("unsupported pipeline file format: 'wrong_format.png'");
    assertThat(problem.hint()).contains(".zip or .tar.gz");
  }

  @Test
  void zipMemberWithUnknownFieldIsReportedInsideTheArchive() {
    Problem problem = only(invalid("invalid-zip.zip"));

    assertThat(problem.rule()).isEqualTo(Rule.UNKNOWN_FIELD);
    assertThat(problem.message()).contains("'components_1'").contains("did you mean 'components'?");
    assertThat(problem.position().file()).endsWith("invalid-zip.zip!invalid_yaml.yaml");
    assertThat(problem.position().line()).isGreaterThan(0);
  }

  private static int lineOf(String relative, String prefix) {
    try {
      List<String> lines = Files.readAllLines(RepoPaths.requireSharedCorpus().resolve(relative));
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).startsWith(prefix)) {
          return i + 1;
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new AssertionError("no line starting with '" + prefix + "' in " + relative);
  }
}
