package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** {@code kfpci validate}: exit codes 0, 1 and 2, the three formats, -o and -p. */
class ValidateCommandTest {
  @TempDir Path dir;
  private Path ok;
  private Path bad;
  private Path warning;

  @BeforeEach
  void copyFixtures() {
    ok = CliRun.fixture(ValidateCommandTest.class, "ok.yaml", dir);
    bad = CliRun.fixture(ValidateCommandTest.class, "bad.yaml", dir);
    warning = CliRun.fixture(ValidateCommandTest.class, "warning.yaml", dir);
  }

  @Test
  void validPipelineExitsZero() {
    CliRun run = CliRun.of("validate", ok.toString(), "-p", "epochs=3");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("1 file checked: 0 errors, 0 warnings\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void warningsAloneDoNotFail() {
    CliRun run = CliRun.of("validate", ok.toString(), warning.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(warning + ":18:13: warning KFP033: task 'a' binds input parameter 'unused',"
        + " which component 'comp-step' neither declares nor reads; the value is ignored\n"
        + "2 files checked: 0 errors, 1 warning\n");
  }

  @Test
  void errorsExitOneWithCompilerStyleLinesAndHints() {
    CliRun run = CliRun.of("validate", bad.toString(), ok.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEqualTo(
        bad + ":10:3: error KFP011: pipeline name 'Bad_Pipeline' is not a valid KFP name (lower-case letters,"
            + " digits, '-' and '.', starting and ending with a letter or digit)\n"
            + "    hint: for example 'bad-pipeline'\n"
            + bad + ":14:7: error KFP023: dependency cycle: a -> b -> a (each task waits for the one before it)\n"
            + "    hint: remove one of the dependencies in the cycle\n"
            + "2 files checked: 2 errors, 0 warnings\n");
    assertThat(run.err()).isEqualTo("error: 2 errors in 1 of 2 files; each is listed with its file:line and hint"
        + " (the rules: docs/validation-rules.md)\n");
  }

  @Test
  void missingFileIsAnErrorOfThatFile() {
    Path missing = dir.resolve("missing.yaml");

    CliRun run = CliRun.of("validate", missing.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEqualTo(missing + ": error KFP001: cannot read the file: no such file\n"
        + "1 file checked: 1 error, 0 warnings\n");
    assertThat(run.err()).isEqualTo("error: 1 error in 1 of 1 file; each is listed with its file:line and hint"
        + " (the rules: docs/validation-rules.md)\n");
  }

  @Test
  void jsonFormat() throws Exception {
    CliRun run = CliRun.of("validate", "--format", "json", bad.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode files = new ObjectMapper().readTree(run.out());
    assertThat(files).hasSize(1);
    assertThat(files.get(0).get("file").asText()).isEqualTo(bad.toString());
    assertThat(files.get(0).get("errors").asInt()).isEqualTo(2);
    assertThat(files.get(0).get("problems").get(1).get("rule").asText()).isEqualTo("KFP023");
    assertThat(files.get(0).get("problems").get(1).get("line").asInt()).isEqualTo(14);
  }

  @Test
  void junitReportWrittenToAFileWithTheTextSummaryOnTheConsole() throws Exception {
    Path report = dir.resolve("reports/kfp-validate.xml");

    CliRun run = CliRun.of("validate", "--format", "junit", "-o", report.toString(), bad.toString(), ok.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).endsWith("2 files checked: 2 errors, 0 warnings\nreport written to " + report + "\n");
    Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
    assertThat(xml.getElementsByTagName("testsuite").getLength()).isEqualTo(2);
    assertThat(xml.getElementsByTagName("failure").getLength()).isEqualTo(2);
  }

  @Test
  void runParametersArePreflighted() {
    CliRun run = CliRun.of("validate", ok.toString(), "-p", "epoch=3", "--param", "extra=1");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("-p epoch: error KFP110: pipeline 'cli' has no parameter 'epoch'; did you mean"
        + " 'epochs'?\n");
    assertThat(run.out()).contains(ok + ":26:7: error KFP112: required parameter 'epochs' (NUMBER_INTEGER) is"
        + " not given\n");
    assertThat(run.out()).endsWith("1 file checked: 3 errors, 0 warnings\n");

    CliRun wrongType = CliRun.of("validate", ok.toString(), "-p", "epochs=many");
    assertThat(wrongType.exitCode()).isEqualTo(1);
    assertThat(wrongType.out()).startsWith("-p epochs: error KFP111: parameter 'epochs' is NUMBER_INTEGER, but"
        + " 'many' is not a whole number\n    hint: for example -p epochs=10\n");
  }

  @Test
  void theCommandLineProcessPrintsItsWholeReport() throws Exception {
    // As ./kfpci runs it: main() in its own JVM, which ends with System.exit.
    Process kfpci = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), KfpciCommand.class.getName(), "validate", bad.toString())
        .start();
    String out = new String(kfpci.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

    assertThat(kfpci.waitFor()).isEqualTo(1);
    assertThat(out).startsWith(bad + ":10:3: error KFP011: ").endsWith("1 file checked: 2 errors, 0 warnings\n");
  }

  @Test
  void badUsageExitsWithTheUsageCode() {
    CliRun notAssignment = CliRun.of("validate", ok.toString(), "-p", "epochs");
    assertThat(notAssignment.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(notAssignment.err()).isEqualTo("error: run parameter 'epochs' is not name=value\n"
        + "Run 'kfpci validate --help' for the options.\n");

    CliRun noFile = CliRun.of("validate");
    assertThat(noFile.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noFile.err()).isEqualTo("error: Missing required parameter: 'FILE'\n"
        + "Run 'kfpci validate --help' for the options.\n");

    CliRun badFormat = CliRun.of("validate", "--format", "xml", ok.toString());
    assertThat(badFormat.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badFormat.err()).isEqualTo("error: Invalid value for option '--format': expected one of [text, json,"
        + " junit] (case-sensitive) but was 'xml'\nRun 'kfpci validate --help' for the options.\n");
    assertThat(Files.exists(dir.resolve("reports"))).isFalse();
  }
}
