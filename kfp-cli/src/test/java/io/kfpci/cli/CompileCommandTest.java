package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.python.PythonSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kfpci compile} with the real kfp in the shared managed venv. */
class CompileCommandTest {
  @TempDir Path dir;

  @Test
  void compilesValidatesAndSaysWhereTheIrWent() throws Exception {
    Path source = CliRun.fixture(CompileCommandTest.class, "hello.py", dir);
    Path output = dir.resolve("out/hello.yaml");

    CliRun run = CliRun.of("compile", source.toString(), "-o", output.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("compiled " + source + " (hello_pipeline) -> " + output + " with kfp "
        + PythonSettings.DEFAULT_KFP_VERSION + "\n1 file checked: 0 errors, 0 warnings\n");
    assertThat(Files.readString(output)).contains("name: hello-pipeline");
  }

  @Test
  void failingCompileShowsFileLineAndMessageAndTheTracebackOnlyWhenVerbose() {
    Path source = CliRun.fixture(CompileCommandTest.class, "broken.py", dir);

    CliRun quiet = CliRun.of("compile", source.toString());

    assertThat(quiet.exitCode()).isEqualTo(1);
    assertThat(quiet.err()).isEqualTo("error: " + source + ":5: NameError: name 'load_steps' is not defined\n"
        + "(run with --verbose for the Python traceback)\n");
    assertThat(quiet.out()).isEmpty();

    CliRun verbose = CliRun.of("compile", "--verbose", source.toString());

    assertThat(verbose.exitCode()).isEqualTo(1);
    assertThat(verbose.err()).startsWith("error: " + source + ":5: NameError: name 'load_steps' is not defined\n"
        + "Traceback (most recent call last):\n");
    assertThat(verbose.err()).contains("broken.py\", line 5").endsWith("NameError: name 'load_steps' is not defined\n");
  }
}
