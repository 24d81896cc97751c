package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every subcommand's failure paths through the real program: {@code kfpci} in its own JVM (java -cp
 * of the built classes, main class {@link KfpciCommand}), as the launcher and CI run it. Each case
 * asserts the exit code ({@link ExitCodes}) and the message on stderr: a failing command always
 * says what failed and what to do. In-process tests cannot catch output the real program loses
 * (buffered writers never flushed before System.exit), so these run the real thing.
 */
class CliProcessTest {
  private static final String RUN_HELP = "Run 'kfpci run --help' for the options.\n";
  private static final String CANNOT_RUN_1 = "error: the pipeline cannot run (1 error above); nothing ran. Fix the"
      + " pipeline or the -p parameters; 'kfpci validate FILE -p NAME=VALUE' checks both without running anything.\n";

  @TempDir Path dir;
  private Path ok;
  private Path bad;

  @BeforeEach
  void fixtures() {
    ok = CliRun.fixture(ValidateCommandTest.class, "ok.yaml", dir);
    bad = CliRun.fixture(ValidateCommandTest.class, "bad.yaml", dir);
  }

  private CliRun kfpci(String... args) {
    return CliRun.process(dir, args);
  }

  @Test
  void runWithoutTheRequiredParameterOfTheExampleSaysWhichAndHow() {
    // The first report: this printed nothing and exited 1.
    Path example = CliRun.repoRoot().resolve("examples/ml_training_pipeline.py");

    CliRun run = kfpci("run", "--local", example.toString(), "--pipeline-root", dir.resolve("runs").toString());

    assertThat(run.err()).isEqualTo(example + ": error KFP112: required parameter 'data_path' (STRING) is not given\n"
        + "    hint: pass -p data_path=VALUE\n" + CANNOT_RUN_1);
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.out()).isEmpty();
    assertThat(dir.resolve("runs")).doesNotExist();
  }

  @Test
  void runWithAMistypedParameterSuggestsTheRightOne() {
    CliRun run = kfpci("run", "--local", ok.toString(), "-p", "epoch=3", "--pipeline-root", dir.resolve("runs").toString());

    assertThat(run.err()).startsWith("-p epoch: error KFP110: pipeline 'cli' has no parameter 'epoch'; did you mean"
        + " 'epochs'?\n").contains(ok + ":26:7: error KFP112: required parameter 'epochs' (NUMBER_INTEGER) is not given\n")
        .endsWith("error: the pipeline cannot run (2 errors above); nothing ran. Fix the pipeline or the -p parameters;"
            + " 'kfpci validate FILE -p NAME=VALUE' checks both without running anything.\n");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(dir.resolve("runs")).doesNotExist();
  }

  @Test
  void validateOfAnInvalidPipelineSaysSoOnStderrToo() {
    CliRun json = kfpci("validate", "--format", "json", bad.toString());

    assertThat(json.out()).startsWith("[").contains("\"rule\" : \"KFP023\"");
    assertThat(json.err()).isEqualTo("error: 2 errors in 1 of 1 file; each is listed with its file:line and hint"
        + " (the rules: docs/validation-rules.md)\n");
    assertThat(json.exitCode()).isEqualTo(ExitCodes.FAILED);
  }

  @Test
  void runOfAnInvalidPipelinePrintsItsProblems() {
    CliRun run = kfpci("run", "--local", bad.toString());

    assertThat(run.err()).isEqualTo(bad + ":10:3: error KFP011: pipeline name 'Bad_Pipeline' is not a valid KFP name"
        + " (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)\n"
        + "    hint: for example 'bad-pipeline'\n"
        + bad + ":14:7: error KFP023: dependency cycle: a -> b -> a (each task waits for the one before it)\n"
        + "    hint: remove one of the dependencies in the cycle\n"
        + "error: the pipeline cannot run (2 errors above); nothing ran. Fix the pipeline or the -p parameters;"
        + " 'kfpci validate FILE -p NAME=VALUE' checks both without running anything.\n");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(dir.resolve("kfp-runs")).doesNotExist();
  }

  @Test
  void runOfAFileInTheWrongFormatNamesFileAndLine() throws Exception {
    Path notYaml = CliRun.fixture(CliProcessTest.class, "not_yaml.yaml", dir);

    CliRun run = kfpci("run", "--local", notYaml.toString());

    // Not yet a pipeline, so the message quotes none of the file (it could be a credentials file).
    assertThat(run.err()).isEqualTo(notYaml + ":3:1: error KFP001: YAML syntax error: the text is not YAML (the text is"
        + " not quoted: the file does not look like a KFP pipeline)\n" + CANNOT_RUN_1);
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
  }

  @Test
  void aMissingInputFileIsTheSameCodeInEveryCommand() {
    Path missing = dir.resolve("missing.yaml");

    CliRun run = kfpci("run", "--local", missing.toString());
    assertThat(run.err()).isEqualTo("error: no such pipeline file: " + missing + "\n");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);

    CliRun validate = kfpci("validate", missing.toString());
    assertThat(validate.out()).isEqualTo(missing + ": error KFP001: cannot read the file: no such file\n"
        + "1 file checked: 1 error, 0 warnings\n");
    assertThat(validate.err()).isEqualTo("error: 1 error in 1 of 1 file; each is listed with its file:line and hint"
        + " (the rules: docs/validation-rules.md)\n");
    assertThat(validate.exitCode()).isEqualTo(ExitCodes.FAILED);

    CliRun compile = kfpci("compile", dir.resolve("missing.py").toString());
    assertThat(compile.err()).isEqualTo("error: " + dir.resolve("missing.py") + ": no such file\n");
    assertThat(compile.exitCode()).isEqualTo(ExitCodes.FAILED);

    CliRun report = kfpci("report", dir.resolve("summary.json").toString());
    assertThat(report.err()).isEqualTo("error: " + dir.resolve("summary.json")
        + ": no such run summary; a run writes it as summary.json in its run directory\n");
    assertThat(report.exitCode()).isEqualTo(ExitCodes.FAILED);

    CliRun demo = kfpci("demo", "--home", dir.toString());
    assertThat(demo.err()).isEqualTo("error: " + dir.resolve("examples/ml_training_pipeline.py") + ": cannot find the"
        + " demo's examples/ml_training_pipeline.py; run the demo from the kfpci checkout, or pass --home with the"
        + " checkout's directory\n");
    assertThat(demo.exitCode()).isEqualTo(ExitCodes.FAILED);
  }

  @Test
  void filesInTheWrongFormatAreErrorsNamingFileAndPlace() throws Exception {
    Path summary = Files.writeString(dir.resolve("summary.json"), "{\"format_version\": 1,\n \"run_id\": }");
    CliRun report = kfpci("report", summary.toString());
    assertThat(report.err()).isEqualTo("error: " + summary + ": not a valid run summary: line 2, column 12:"
        + " Unexpected character ('}' (code 125)): expected a value\n");
    assertThat(report.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(dir.resolve("report.html")).doesNotExist();

    Path notPython = Files.writeString(dir.resolve("pipeline.py"), "def broken(:\n");
    CliRun compile = kfpci("compile", notPython.toString(), "-o", dir.resolve("p.yaml").toString());
    assertThat(compile.err()).startsWith("error: " + notPython + ":1: SyntaxError: ");
    assertThat(compile.exitCode()).isEqualTo(ExitCodes.FAILED);

    CliRun help = kfpci("help", "rnu");
    assertThat(help.err()).isEqualTo("error: Unknown subcommand 'rnu'.\nRun 'kfpci --help' for the options.\n");
    assertThat(help.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void aCompileErrorInAPythonFileNamesItsLineAndOffersTheTraceback() {
    Path broken = CliRun.fixture(CompileCommandTest.class, "broken.py", dir);

    CliRun run = kfpci("run", "--local", broken.toString());
    assertThat(run.err()).isEqualTo("error: " + broken + ":5: NameError: name 'load_steps' is not defined\n"
        + "(run with --verbose for the Python traceback)\n");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);

    CliRun verbose = kfpci("run", "--local", "--verbose", broken.toString());
    assertThat(verbose.err()).startsWith("error: " + broken + ":5: NameError: name 'load_steps' is not defined\n"
        + "Traceback (most recent call last):\n").contains("broken.py\", line 5");
    assertThat(verbose.exitCode()).isEqualTo(ExitCodes.FAILED);
  }

  @Test
  void severalPipelinesWithoutFunctionAskForIt() {
    Path two = CliRun.fixture(CliProcessTest.class, "two_pipelines.py", dir);
    String expected = "error: " + two + ": the file defines several pipelines (first, second); choose one with"
        + " --function\n";

    CliRun run = kfpci("run", "--local", two.toString());
    assertThat(run.err()).isEqualTo(expected);
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);

    CliRun compile = kfpci("compile", two.toString(), "-o", dir.resolve("two.yaml").toString());
    assertThat(compile.err()).isEqualTo(expected);
    assertThat(compile.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(dir.resolve("two.yaml")).doesNotExist();
  }

  @Test
  void anExistingRunDirectoryIsRefusedWithTheWayOut() throws Exception {
    Path runDir = Files.createDirectories(dir.resolve("runs/cli/r1"));
    Files.writeString(runDir.resolve("run.log"), "an earlier run\n");

    CliRun run = kfpci("run", "--local", ok.toString(), "-p", "epochs=2", "--pipeline-root",
        dir.resolve("runs").toString(), "--run-id", "r1");

    assertThat(run.err()).isEqualTo("error: run directory " + runDir + " already exists; choose another --run-id,"
        + " or continue it with --resume " + runDir + "\n");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(Files.readString(runDir.resolve("run.log"))).isEqualTo("an earlier run\n");
  }

  @Test
  void badEngineAndBadResumeAreRefused() {
    CliRun engine = kfpci("run", "--local", ok.toString(), "-p", "epochs=2", "--engine", "dokcer");
    assertThat(engine.err()).isEqualTo("error: unknown engine 'dokcer': use local, podman or docker\n" + RUN_HELP);
    assertThat(engine.exitCode()).isEqualTo(ExitCodes.USAGE);

    CliRun resume = kfpci("run", "--resume", dir.toString());
    assertThat(resume.err()).isEqualTo("error: " + dir + " is not a local run directory (it has no spec.json and"
        + " summary.json)\n");
    assertThat(resume.exitCode()).isEqualTo(ExitCodes.FAILED);
  }

  @Test
  void aRelativePathATaskCannotFindIsExplained() throws Exception {
    Path example = CliRun.repoRoot().resolve("examples/ml_training_pipeline.py");

    CliRun run = kfpci("run", "--local", example.toString(), "-q", "-p", "data_path=data/training.csv",
        "--pipeline-root", dir.resolve("runs").toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.out()).contains("[preprocess] -- FAILED: task 'preprocess' failed with exit code 1\n",
        "  | FileNotFoundError: [Errno 2] No such file or directory: 'data/training.csv'\n");
    Path runDir;
    try (var runs = Files.list(dir.resolve("runs/ml-training-pipeline"))) {
      runDir = runs.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).findFirst()
          .orElseThrow();
    }
    assertThat(run.err()).isEqualTo("error: run " + runDir.getFileName() + " FAILED: task 'preprocess' failed with exit"
        + " code 1; the log lines above say why, " + runDir.resolve("run.log") + " has them all\n"
        + "note: -p data_path=data/training.csv is a relative path; relative paths are"
        + " resolved against the current directory " + dir.toRealPath() + ", and there is no data/training.csv there\n");
  }

  @Test
  void resumeTakesThePipelineFromTheRunNotFromTheCommandLine() {
    CliRun run = kfpci("run", "--resume", dir.toString(), ok.toString(), "-p", "epochs=2");

    assertThat(run.err()).isEqualTo("error: --resume continues the run as its spec.json says; leave out FILE and"
        + " --param\n" + RUN_HELP);
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void usageErrorsSayWhatIsWrongAndWhereTheHelpIs() {
    CliRun typo = kfpci("run", "--local", "--verbos", ok.toString());
    assertThat(typo.err()).isEqualTo("error: Unknown option: '--verbos'\nPossible solutions: --verbose\n" + RUN_HELP);
    assertThat(typo.exitCode()).isEqualTo(ExitCodes.USAGE);

    CliRun noFile = kfpci("run", "--local");
    assertThat(noFile.err()).isEqualTo("error: give a pipeline FILE to run, or --resume RUN_DIR\n" + RUN_HELP);
    assertThat(noFile.exitCode()).isEqualTo(ExitCodes.USAGE);

    CliRun notLocal = kfpci("run", ok.toString());
    assertThat(notLocal.err()).isEqualTo("error: kfpci run without --local runs on KFP: set KF_PIPELINES_ENDPOINT (or use"
        + " kfpci submit " + ok + " --endpoint URL --wait), or run here with kfpci run --local " + ok + "\n" + RUN_HELP);
    assertThat(notLocal.exitCode()).isEqualTo(ExitCodes.USAGE);

    CliRun notAssignment = kfpci("run", "--local", ok.toString(), "-p", "epochs");
    assertThat(notAssignment.err()).isEqualTo("error: run parameter 'epochs' is not name=value\n" + RUN_HELP);
    assertThat(notAssignment.exitCode()).isEqualTo(ExitCodes.USAGE);

    CliRun format = kfpci("validate", "--format", "xml", ok.toString());
    assertThat(format.err()).isEqualTo("error: Invalid value for option '--format': expected one of [text, json, junit]"
        + " (case-sensitive) but was 'xml'\nRun 'kfpci validate --help' for the options.\n");
    assertThat(format.exitCode()).isEqualTo(ExitCodes.USAGE);

    CliRun compileNoFile = kfpci("compile");
    assertThat(compileNoFile.err()).isEqualTo("error: Missing required parameter: 'FILE.py'\n"
        + "Run 'kfpci compile --help' for the options.\n");
    assertThat(compileNoFile.exitCode()).isEqualTo(ExitCodes.USAGE);

    CliRun reportNoFile = kfpci("report");
    assertThat(reportNoFile.err()).isEqualTo("error: Missing required parameter: 'SUMMARY.json'\n"
        + "Run 'kfpci report --help' for the options.\n");
    assertThat(reportNoFile.exitCode()).isEqualTo(ExitCodes.USAGE);

    CliRun demoParallelism = kfpci("demo", "--parallelism", "many");
    assertThat(demoParallelism.err()).isEqualTo("error: Invalid value for option '--parallelism': 'many' is not an int\n"
        + "Run 'kfpci demo --help' for the options.\n");
    assertThat(demoParallelism.exitCode()).isEqualTo(ExitCodes.USAGE);

    CliRun unknownCommand = kfpci("rnu");
    assertThat(unknownCommand.err()).isEqualTo("error: unknown command 'rnu'; the commands are: "
        + String.join(", ", KfpciCommand.commandLine(new java.io.PrintWriter(java.io.Writer.nullWriter()),
            new java.io.PrintWriter(java.io.Writer.nullWriter())).getSubcommands().keySet())
        + "\nRun 'kfpci --help' for the options.\n");
    assertThat(unknownCommand.exitCode()).isEqualTo(ExitCodes.USAGE);

    CliRun nothing = kfpci();
    assertThat(nothing.err()).startsWith("error: give a command, e.g. 'kfpci demo' or 'kfpci run --local FILE'\n"
        + "Usage: kfpci ");
    assertThat(nothing.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void unwritableOutputsSayWhy() throws Exception {
    Path aFile = Files.writeString(dir.resolve("a-file"), "not a directory\n");

    CliRun root = kfpci("run", "--local", ok.toString(), "-p", "epochs=2", "--pipeline-root", aFile.toString());
    assertThat(root.err()).isEqualTo("error: " + aFile.resolve("cli") + ": Not a directory\n");
    assertThat(root.exitCode()).isEqualTo(ExitCodes.FAILED);

    CliRun summary = kfpci("run", "--local", ok.toString(), "-p", "epochs=2", "--summary", dir.toString());
    assertThat(summary.err()).isEqualTo("error: " + dir + ": is a directory; --summary needs a file name\n");
    assertThat(summary.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(dir.resolve("kfp-runs")).as("nothing ran").doesNotExist();

    CliRun validate = kfpci("validate", ok.toString(), "-o", aFile.resolve("report.xml").toString());
    assertThat(validate.err()).isEqualTo("error: " + aFile + ": already exists and is not a directory\n");
    assertThat(validate.exitCode()).isEqualTo(ExitCodes.FAILED);
  }

  @Test
  void helpWorksOnEveryCommand() {
    for (String command : new String[] {"compile", "validate", "run", "demo", "report"}) {
      CliRun help = kfpci(command, "--help");
      assertThat(help.exitCode()).as(command + " --help: " + help.err()).isZero();
      assertThat(help.out()).startsWith("Usage: kfpci " + command + " ").contains("  -h, --help ",
          "Exit codes (docs/cli.md):\n  0     success\n");
      assertThat(help.err()).isEmpty();
    }
    CliRun top = kfpci("--help");
    assertThat(top.exitCode()).isZero();
    assertThat(top.out()).contains("Run 'kfpci COMMAND --help' for the options of a command");
  }

  @Test
  void controlCharactersFromInputAreEscapedOnTheConsole() {
    Path missing = dir.resolve("evil\u001b[2J\u0007.yaml");

    CliRun run = kfpci("run", "--local", missing.toString());

    assertThat(run.err()).isEqualTo("error: no such pipeline file: " + dir.resolve("evil\\x1b[2J\\x07.yaml") + "\n");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
  }
}
