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
    for (String bad : List.of("", ".", "..", "a/b", "/abs", "..\\x", "tab\there", "x".repeat(256))) {
      assertThatThrownBy(() -> RunPaths.segment(bad, "task name")).isInstanceOf(UnsafePathException.class)
          .hasMessageStartingWith("task name '");
    }
    assertThatThrownBy(() -> RunPaths.segment("nl\nx", "output parameter name"))
        .hasMessage("output parameter name 'nl\\u000ax' contains a control character");
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
        .hasMessage("task name 'loop[0]/../../x' is not a plain name: '..' names a directory above its own; use a"
            + " plain name");
  }

  @Test
  void artifactUrisAreRemoteOrInsideTheBase() throws Exception {
    Path base = Files.createDirectories(root.resolve("run"));
    RunPaths.artifactUri("s3://bucket/key", base, "uri");
    RunPaths.artifactUri(base.resolve("t/model").toString(), base, "uri");
    RunPaths.artifactUri("file://" + base.resolve("t/model"), base, "uri");
    for (String bad : List.of("/etc/passwd", "file:///etc/passwd", "relative/path", "file:/etc/passwd",
        base + "/../escape")) {
      assertThatThrownBy(() -> RunPaths.artifactUri(bad, base, "uri")).isInstanceOf(UnsafePathException.class);
    }
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
        + " name '\\.\\./up' contains a path separator .* \\(at \\$\\.root\\.dag\\.tasks\\['\\.\\./up'\\]\\)");
    assertThat(problems.get(1)).matches(".*:" + param + ":\\d+: output parameter name of component 'comp-0'"
        + " '/abs/out' contains a path separator .* \\(at \\$\\.components\\['comp-0'\\]\\.outputDefinitions"
        + "\\.parameters\\['/abs/out'\\]\\)");
    assertThat(problems.get(2)).matches(".*:" + artifact + ":\\d+: output artifact name of component 'comp-0'"
        + " 'executor_input\\.json' is the name of a file the runner keeps in the task directory; rename the output"
        + " \\(at .*\\)");
  }
}
