package io.kfpci.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kfpci.ir.PipelineLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one path check: names as plain segments, containment with links, artifact URIs, the preflight. */
class RunPathsTest {
  @TempDir Path root;

  @Test
  void aSegmentIsAPlainName() throws Exception {
    assertThat(RunPaths.segment("train-model", "task name")).isEqualTo("train-model");
    assertThat(RunPaths.segment("for-loop-2[3]", "task name")).isEqualTo("for-loop-2[3]");
    assertThat(RunPaths.segment("20260821-101500-3f9a0c", "run id")).isEqualTo("20260821-101500-3f9a0c");
    assertThat(RunPaths.segment("a.b c", "task name")).isEqualTo("a.b c");
    for (String bad : List.of("", ".", "..", "a/b", "/abs", "..\\x", "tab\there", "x".repeat(256), "a:b", "C:",
        ". .", "...", " ", "é".repeat(128))) {
      assertThatThrownBy(() -> RunPaths.segment(bad, "task name")).isInstanceOf(UnsafePathException.class)
          .hasMessageStartingWith("task name '");
    }
    assertThatThrownBy(() -> RunPaths.segment("nl\nx", "output parameter name"))
        .hasMessage("output parameter name 'nl\\u000Ax' cannot be used as a file name: it contains the control"
            + " character \\u000A");
    assertThatThrownBy(() -> RunPaths.segment("model:v1", "task name"))
        .hasMessage("task name 'model:v1' cannot be used as a file name: it contains ':' (a drive letter or stream"
            + " name on Windows)");
    assertThatThrownBy(() -> RunPaths.segment(". .", "pipeline name"))
        .hasMessage("pipeline name '. .' cannot be used as a file name: a name made only of dots and spaces names"
            + " the directory itself or its parent");
    assertThatThrownBy(() -> RunPaths.segment(null, "run id"))
        .hasMessage("run id '' cannot be used as a file name: it is empty");
    assertThatThrownBy(() -> RunPaths.segment("bidi\u202E:name", "task name")).as("printed escaped")
        .hasMessage("task name 'bidi\\u202E:name' cannot be used as a file name: it contains ':' (a drive letter or"
            + " stream name on Windows)");
  }

  /** The run time and the validator (KFP013) refuse exactly the same names: one rule. */
  @Test
  void theRunTimeRefusesExactlyWhatValidationRefuses() {
    for (String name : List.of("ok", "loop[2]", "a.b", ".hidden", "a b", "", ".", "..", ". .", " ", "a:b", "C:",
        "a/b", "a\\b", "nul\u0000", "del\u007F", "x".repeat(255), "x".repeat(256), "é".repeat(127),
        "é".repeat(128))) {
      boolean validatorRefuses = io.kfpci.files.SafePaths.problem(name).isPresent();
      boolean runTimeRefuses;
      try {
        RunPaths.segment(name, "task name");
        runTimeRefuses = false;
      } catch (UnsafePathException e) {
        runTimeRefuses = true;
      }
      assertThat(runTimeRefuses).as("'%s'", name).isEqualTo(validatorRefuses);
    }
  }

  @Test
  void insideRefusesTheBaseItselfPathsAboveItAndLinksLeadingOut() throws Exception {
    Path base = Files.createDirectories(root.resolve("run"));
    Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
    assertThat(RunPaths.inside(base, base.resolve("a/b/../c"), "f", "v")).isEqualTo(base.resolve("a/c"));
    assertThatThrownBy(() -> RunPaths.inside(base, base.resolve("a/.."), "f", "v"))
        .hasMessage("f 'v' leads outside " + base + " (to " + base + "); names from the pipeline must stay inside"
            + " the run directory");
    Files.createSymbolicLink(base.resolve("link"), elsewhere);
    assertThatThrownBy(() -> RunPaths.inside(base, base.resolve("link/file"), "f", "v"))
        .hasMessage("f 'v' leads outside " + base + " through the link " + base.resolve("link")
            + "; names from the pipeline must stay inside the run directory");
    assertThat(RunPaths.inside(base, base.resolve("link"), "f", "v")).as("a link itself is replaced, never followed")
        .isEqualTo(base.resolve("link"));
    assertThatThrownBy(() -> RunPaths.nodePath(base, "loop[0]/../../x", "task name"))
        .hasMessage("task name 'loop[0]/../../x' is not a plain name: its part '..' cannot be used as a file name: a"
            + " name made only of dots and spaces names the directory itself or its parent");
    assertThatThrownBy(() -> RunPaths.nodePath(base, "loop[0]/a:b", "task name"))
        .hasMessage("task name 'loop[0]/a:b' is not a plain name: its part 'a:b' cannot be used as a file name: it"
            + " contains ':' (a drive letter or stream name on Windows)");
    assertThat(RunPaths.nodePath(base, "for-loop-2[0]/condition-1/inner[3]/task", "task name"))
        .isEqualTo(base.resolve("for-loop-2[0]/condition-1/inner[3]/task"));
  }

  @Test
  void artifactUrisAreRemoteOrInsideTheBase() throws Exception {
    Path base = Files.createDirectories(root.resolve("run"));
    RunPaths.artifactUri("s3://bucket/key", base, "uri");
    RunPaths.artifactUri("gs://bucket/a:b/. ./key", base, "uri"); // a remote key is not a path here
    RunPaths.artifactUri(base.resolve("t/model").toString(), base, "uri");
    RunPaths.artifactUri(base.resolve("loop[2]/t/model").toString(), base, "uri");
    RunPaths.artifactUri("file://" + base.resolve("t/model"), base, "uri");
    for (String bad : List.of("/etc/passwd", "file:///etc/passwd", "relative/path", "file:/etc/passwd",
        base + "/../escape", base + "/t/a:b", base + "/t/. ./x", "C:\\x", "C:/x", "c://x", "C:", base + "/./t/x",
        base + "/t/../t/x", "file://" + base + "/t/model:v1")) {
      assertThatThrownBy(() -> RunPaths.artifactUri(bad, base, "uri")).as(bad).isInstanceOf(UnsafePathException.class);
    }
    assertThatThrownBy(() -> RunPaths.artifactUri(base + "/t/out:stream", base, "uri"))
        .hasMessage("uri '" + base + "/t/out:stream' is not a plain path inside " + base + ": its part 'out:stream'"
            + " cannot be used as a file name: it contains ':' (a drive letter or stream name on Windows)");
    assertThatThrownBy(() -> RunPaths.artifactUri(base + "/t/. ./x", base, "uri"))
        .hasMessage("uri '" + base + "/t/. ./x' is not a plain path inside " + base + ": its part '. .' cannot be"
            + " used as a file name: a name made only of dots and spaces names the directory itself or its parent");
    assertThatThrownBy(() -> RunPaths.artifactUri("c://x", base, "uri"))
        .hasMessage("uri 'c://x' names a Windows drive; a local artifact must be an absolute path inside " + base);
    assertThatThrownBy(() -> RunPaths.artifactUri(base + "/t/../t/x", base, "uri"))
        .hasMessage("uri '" + base + "/t/../t/x' has a '.' or '..' part; a local artifact must be a plain absolute"
            + " path inside " + base);
  }

  @Test
  void thePreflightNamesEachBadNameWithItsLineAndJsonPath() throws Exception {
    String yaml = IrFixtures.yaml("ok-name", List.of(),
        List.of(new IrFixtures.Task("../up", "/abs/out", "executor_input.json", List.of("true")),
            IrFixtures.Task.shell("fine", "true")));
    Path file = Files.writeString(root.resolve("bad.yaml"), yaml);
    List<String> lines = Arrays.asList(yaml.split("\n"));

    List<String> problems = RunPaths.pipelineProblems(PipelineLoader.load(file));

    int param = lines.indexOf("        '/abs/out':") + 1;
    int artifact = lines.indexOf("        'executor_input.json':") + 1;
    int task = lines.indexOf("      '../up':") + 1;
    assertThat(problems).hasSize(3);
    assertThat(problems.get(0)).matches(java.util.regex.Pattern.quote(file.toString()) + ":" + task + ":\\d+: task"
        + " name '\\.\\./up' cannot be used as a file name: it contains '/', a path separator \\(at \\$\\.root\\.dag\\.tasks\\['\\.\\./up'\\]\\)");
    assertThat(problems.get(1)).matches(".*:" + param + ":\\d+: output parameter name of component 'comp-0'"
        + " '/abs/out' cannot be used as a file name: it contains '/', a path separator \\(at \\$\\.components\\['comp-0'\\]\\.outputDefinitions"
        + "\\.parameters\\['/abs/out'\\]\\)");
    assertThat(problems.get(2)).matches(".*:" + artifact + ":\\d+: output artifact name of component 'comp-0'"
        + " 'executor_input\\.json' is the name of a file the runner keeps in the task directory; rename the output"
        + " \\(at .*\\)");
  }
}
