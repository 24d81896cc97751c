package io.kfpci.compile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfpci.python.PythonSettings;
import io.kfpci.python.VenvManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compile cache with the real kfp compiler (shared managed venv) and a cache of its own: a hit
 * returns the IR of the earlier compile without running Python, and any change to what the compile
 * read (the pipeline, a local module, a data file, the directory it imports from), to the function
 * or to the kfp version is a miss.
 */
class CompileCacheTest {
  private static final VenvManager VENVS = new VenvManager(PythonSettings.defaults());

  @TempDir Path work;
  @TempDir Path cacheDir;

  private Path project;
  private CompileCache cache;
  private KfpCompiler compiler;

  @BeforeEach
  void project() throws Exception {
    project = Files.createDirectories(work.resolve("project"));
    cache = new CompileCache(cacheDir.resolve("compiled"), 10, 1 << 20);
    compiler = new KfpCompiler(VENVS, cache);
    Files.createDirectories(project.resolve("lib"));
    Files.writeString(project.resolve("lib/__init__.py"), "");
    Files.writeString(project.resolve("lib/settings.py"), "GREETING = 'hello'\n");
    Files.writeString(project.resolve("pipeline.py"), pipeline("'world'"));
  }

  /** A pipeline importing a local package; its default greeting comes from lib/settings.py. */
  private static String pipeline(String defaultName) {
    return """
        from kfp import dsl
        from lib import settings

        @dsl.component(base_image="python:3.11")
        def say(text: str) -> str:
            return text

        @dsl.pipeline(name="greeter")
        def greeter(name: str = %s):
            say(text=settings.GREETING)
            say(text=name)

        @dsl.pipeline(name="other")
        def other(name: str = "other"):
            say(text=name)
        """.formatted(defaultName);
  }

  private CompileResult compile(String function) throws Exception {
    return compiler.compile(CompileRequest.builder(project.resolve("pipeline.py")).function(function)
        .output(work.resolve("out.yaml")).compileCache(true).build());
  }

  private String ir() throws Exception {
    return Files.readString(work.resolve("out.yaml"));
  }

  @Test
  void anUnchangedPipelineIsAHitWithTheSameIr() throws Exception {
    CompileResult first = compile("greeter");
    String firstIr = ir();
    Files.delete(work.resolve("out.yaml"));

    CompileResult second = compile("greeter");

    assertThat(first.fromCache()).isFalse();
    assertThat(second.fromCache()).isTrue();
    assertThat(ir()).isEqualTo(firstIr);
    assertThat(second.function()).isEqualTo("greeter");
    assertThat(second.kfpVersion()).isEqualTo(PythonSettings.DEFAULT_KFP_VERSION);
    assertThat(second.document().pipelineName()).isEqualTo("greeter");
    assertThat(second.validation().problems()).isEmpty();
    assertThat(second.compilerOutput()).isEqualTo("IR from the compile cache: "
        + cache.directory().resolve(cache.entries().get(0).file().getFileName()) + "\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("out.yaml"))))
        .isEqualTo("rw-r--r--");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.directory())))
        .isEqualTo("rwx------");
    assertThat(cache.entries()).singleElement().satisfies(e -> {
      assertThat(e.source()).isEqualTo(project.resolve("pipeline.py").toString());
      assertThat(e.function()).isEqualTo("greeter");
      assertThat(e.kfpVersion()).isEqualTo(PythonSettings.DEFAULT_KFP_VERSION);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(e.file()))).isEqualTo("rw-------");
    });
  }

  @Test
  void theManifestListsThePipelineAndTheLocalModulesItImported() throws Exception {
    compile("greeter");

    var entry = new ObjectMapper().readTree(cache.entries().get(0).file().toFile());
    assertThat(entry.path("reads").findValuesAsText("path")).containsExactly(
        project.resolve("lib/__init__.py").toString(), project.resolve("lib/settings.py").toString(),
        project.resolve("pipeline.py").toString());
    assertThat(entry.path("listings").findValuesAsText("path")).contains(project.toString());
  }

  @Test
  void aChangedPipelineFileIsAMiss() throws Exception {
    compile("greeter");
    Files.writeString(project.resolve("pipeline.py"), pipeline("'moon'"));

    CompileResult changed = compile("greeter");

    assertThat(changed.fromCache()).isFalse();
    assertThat(ir()).contains("defaultValue: moon").doesNotContain("defaultValue: world");
    assertThat(compile("greeter").fromCache()).isTrue();
  }

  @Test
  void aChangedLocalModuleIsAMiss() throws Exception {
    compile("greeter");
    assertThat(ir()).contains("hello");
    Files.writeString(project.resolve("lib/settings.py"), "GREETING = 'goodbye'\n");

    CompileResult changed = compile("greeter");

    assertThat(changed.fromCache()).isFalse();
    assertThat(ir()).contains("goodbye").doesNotContain("hello");
  }

  @Test
  void aNewModuleThatWouldShadowAnImportIsAMiss() throws Exception {
    compile("greeter");
    // The import system lists the pipeline's directory first: a lib.py there changes nothing here
    // (the package wins), but the cache cannot know that, so it compiles again rather than guess.
    Files.writeString(project.resolve("lib.py"), "raise ImportError('shadowing')\n");

    assertThat(compile("greeter").fromCache()).isFalse();
  }

  @Test
  void anotherFunctionIsAnotherEntry() throws Exception {
    assertThat(compile("greeter").fromCache()).isFalse();

    CompileResult other = compile("other");

    assertThat(other.fromCache()).isFalse();
    assertThat(other.document().pipelineName()).isEqualTo("other");
    CompileResult greeterAgain = compile("greeter");
    assertThat(greeterAgain.fromCache()).isTrue();
    assertThat(greeterAgain.document().pipelineName()).isEqualTo("greeter");
    assertThat(cache.entries()).extracting(CompileCache.Entry::function).containsExactly("greeter", "other");
  }

  @Test
  void anotherKfpVersionIsAMiss() throws Exception {
    compile("greeter");
    CompileCache.Key stored = onlyKey("greeter", PythonSettings.DEFAULT_KFP_VERSION);
    CompileCache.Key otherVersion = onlyKey("greeter", "2.16.0");

    assertThat(cache.lookup(stored, work.resolve("out.yaml"))).isPresent();
    assertThat(cache.lookup(otherVersion, work.resolve("out.yaml"))).isEmpty();
    assertThat(cache.entryFile(otherVersion)).isNotEqualTo(cache.entryFile(stored));
  }

  /** The key the compiler uses, rebuilt from the stored entry's venv (the only one in the test). */
  private CompileCache.Key onlyKey(String function, String kfpVersion) throws Exception {
    var venv = compiler.compilerVenv(PythonSettings.DEFAULT_KFP_VERSION);
    byte[] script;
    try (var in = KfpCompiler.class.getResourceAsStream("kfpci_compile.py")) {
      script = in.readAllBytes();
    }
    return new CompileCache.Key(project.resolve("pipeline.py"), function, kfpVersion,
        venv.directory().toAbsolutePath().normalize(), CompileCache.sha256(script));
  }

  @Test
  void withoutTheCacheEveryCompileRunsTheCompilerAndStoresNothing() throws Exception {
    compile("greeter");
    Path source = project.resolve("pipeline.py");

    CompileResult uncached = compiler.compile(CompileRequest.builder(source).function("greeter")
        .output(work.resolve("out.yaml")).build());

    assertThat(uncached.fromCache()).isFalse();
    assertThat(cache.entries()).hasSize(1);
    compiler.compile(CompileRequest.builder(source).function("other").output(work.resolve("out.yaml")).build());
    assertThat(cache.entries()).extracting(CompileCache.Entry::function).containsExactly("greeter");
  }

  @Test
  void aCorruptEntryIsAMissAndIsReplaced() throws Exception {
    compile("greeter");
    Path entry = cache.entries().get(0).file();
    Files.writeString(entry, "{\"format\": 1, \"source\": \"trunc", StandardCharsets.UTF_8);

    CompileResult afterCorruption = compile("greeter");

    assertThat(afterCorruption.fromCache()).isFalse();
    assertThat(afterCorruption.document().pipelineName()).isEqualTo("greeter");
    assertThat(compile("greeter").fromCache()).isTrue();

    Files.write(entry, new byte[] {0, (byte) 0xff, 0x7b});
    assertThat(compile("greeter").fromCache()).isFalse();
  }

  @Test
  void storesEvictTheLeastRecentlyUsedEntriesBeyondTheBound() throws Exception {
    CompileCache small = new CompileCache(cacheDir.resolve("small"), 2, 1 << 20);
    KfpCompiler smallCompiler = new KfpCompiler(VENVS, small);
    Path source = project.resolve("pipeline.py");
    Path second = Files.writeString(project.resolve("second.py"), pipeline("'two'"));
    Path third = Files.writeString(project.resolve("third.py"), pipeline("'three'"));
    for (Path file : new Path[] {source, second}) {
      smallCompiler.compile(CompileRequest.builder(file).function("greeter").output(work.resolve("o.yaml"))
          .compileCache(true).build());
    }
    // Make the first entry the older one, whatever the file system's time resolution.
    for (CompileCache.Entry e : small.entries()) {
      if (e.source().equals(source.toString())) {
        Files.setLastModifiedTime(e.file(), FileTime.from(Instant.now().minusSeconds(60)));
      }
    }

    smallCompiler.compile(CompileRequest.builder(third).function("greeter").output(work.resolve("o.yaml"))
        .compileCache(true).build());

    assertThat(small.entries()).extracting(CompileCache.Entry::source)
        .containsExactlyInAnyOrder(second.toString(), third.toString());
  }

  @Test
  void boundsAreChecked() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CompileCache(cacheDir, 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the compile cache needs room for at least one entry");
  }
}
