package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.compile.CompileCache;
import io.kfpci.python.PythonSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kfpci compile} and {@code kfpci run --local} use the compile cache in the per-user cache
 * directory (the one the managed venv lives in), and {@code --no-compile-cache} bypasses it: no
 * lookup, no entry written. Each test compiles a pipeline at a path of its own, so the entry it
 * looks for can only come from it.
 */
class CompileCacheOptionTest {
  private static final CompileCache CACHE = CompileCache.in(PythonSettings.defaults().cacheDirectory());

  @TempDir Path dir;

  private boolean hasEntryFor(Path source) throws Exception {
    return CACHE.entries().stream().anyMatch(e -> e.source().equals(source.toAbsolutePath().normalize().toString()));
  }

  @Test
  void compileReusesTheIrOfAnUnchangedPipelineUnlessToldNotTo() throws Exception {
    Path source = CliRun.fixture(CompileCommandTest.class, "hello.py", dir);
    Path output = dir.resolve("out/hello.yaml");

    CliRun bypassed = CliRun.of("compile", "--verbose", "--no-compile-cache", source.toString(), "-o", output.toString());

    assertThat(bypassed.exitCode()).as(bypassed.err()).isZero();
    assertThat(bypassed.out()).doesNotContain("IR from the compile cache");
    assertThat(hasEntryFor(source)).as("--no-compile-cache writes no entry").isFalse();

    CliRun first = CliRun.of("compile", "--verbose", source.toString(), "-o", output.toString());
    CliRun second = CliRun.of("compile", "--verbose", source.toString(), "-o", output.toString());
    CliRun bypassedAgain = CliRun.of("compile", "--verbose", "--no-compile-cache", source.toString(), "-o",
        output.toString());

    assertThat(first.out()).as(first.err()).doesNotContain("IR from the compile cache");
    assertThat(hasEntryFor(source)).isTrue();
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).startsWith("compiled " + source + " (hello_pipeline) -> " + output + " with kfp "
        + PythonSettings.DEFAULT_KFP_VERSION + "\nIR from the compile cache: " + CACHE.directory() + "/")
        .endsWith("\n1 file checked: 0 errors, 0 warnings\n");
    assertThat(bypassedAgain.out()).doesNotContain("IR from the compile cache");
  }

  @Test
  void runLocalCachesTheCompileAndNoCompileCacheTurnsItOff() throws Exception {
    Path source = CliRun.fixture(CompileCommandTest.class, "hello.py", Files.createDirectories(dir.resolve("src")));
    Path root = dir.resolve("runs");

    CliRun bypassed = CliRun.of("run", "--local", "--no-compile-cache", source.toString(), "--pipeline-root",
        root.toString(), "--quiet");

    assertThat(bypassed.exitCode()).as(bypassed.out() + bypassed.err()).isZero();
    assertThat(hasEntryFor(source)).as("--no-compile-cache writes no entry").isFalse();

    CliRun cached = CliRun.of("run", "--local", source.toString(), "--pipeline-root", root.toString(), "--quiet");

    assertThat(cached.exitCode()).as(cached.out() + cached.err()).isZero();
    assertThat(hasEntryFor(source)).isTrue();
  }
}
