package io.kfpci.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.local.Engine;
import io.kfpci.python.PythonSettings;
import io.kfpci.python.VenvManager;
import io.kfpci.report.RuntimeState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's own path checks at run time, with the validator and the preflight out of the way:
 * the pipeline is loaded and handed to the coordinator directly, as a pipeline the checks before
 * the run missed would be. Names from the pipeline and URIs a task reports never make the runner
 * create, write or delete anything outside the run; a task writing a relative path writes into its
 * own task directory.
 */
class RuntimePathSafetyTest {
  @TempDir Path root;
  private Path runDir;
  private Path outside;
  private final List<String> console = new ArrayList<>();

  @BeforeEach
  void directories() throws Exception {
    runDir = Files.createDirectories(root.resolve("p/r"));
    outside = Files.createDirectories(root.resolve("outside"));
  }

  /** Runs the pipeline with the coordinator, no validation and no preflight; the final state. */
  private RunState runUnchecked(IrFixtures.Task... tasks) throws Exception {
    Path file = IrFixtures.write(root.resolve("src"), "paths", List.of(), tasks);
    PipelineDocument document = PipelineLoader.load(file);
    Plan plan = new Plan(document);
    RunDirectory directory = new RunDirectory(runDir, console::add);
    Executions executions = new Executions(new Executions.Settings(plan, directory, "r", Instant.now(), Engine.LOCAL,
        true, false, root, new PythonEnvironments(new VenvManager(PythonSettings.defaults())), null, false));
    Map<String, Node> nodes = new LinkedHashMap<>();
    plan.initialNodes().forEach(n -> nodes.put(n.id(), n));
    RunState initial = new RunState("r", RuntimeState.PENDING, Instant.now(), null, null, null, false,
        Map.<String, JsonNode>of(), nodes);
    try {
      return new Coordinator(plan, initial, executions, directory, 2, s -> { }, Clock.systemUTC()).run();
    } finally {
      directory.close();
    }
  }

  private Path victim(Path at) throws Exception {
    Files.createDirectories(at.getParent());
    return Files.writeString(at, "keep me", StandardCharsets.UTF_8);
  }

  @Test
  void anOutputParameterNamedWithDotDotNeverDeletesTheFileItNames() throws Exception {
    Path victim = victim(root.resolve("victim"));
    RunState end = runUnchecked(new IrFixtures.Task("t", "../../../victim", null, List.of("sh", "-c", "true")));

    assertThat(end.require("t").state()).isEqualTo(RuntimeState.FAILED);
    assertThat(end.require("t").error()).isEqualTo("task 't' failed: output parameter name of component 'comp-0'"
        + " (task 't') '../../../victim' contains a path separator ('/' or '\\'); it must be a plain name, since it"
        + " names a file or directory of the run");
    assertThat(victim).hasContent("keep me");
  }

  @Test
  void anAbsoluteOutputParameterOrArtifactNameNeverDeletesTheFileItNames() throws Exception {
    Path victim = victim(outside.resolve("absolute-victim"));
    RunState end = runUnchecked(
        new IrFixtures.Task("param", victim.toString(), null, List.of("sh", "-c", "true")),
        new IrFixtures.Task("artifact", null, victim.toString(), List.of("sh", "-c", "true")),
        new IrFixtures.Task("dots", null, "..", List.of("sh", "-c", "true")));

    assertThat(end.require("param").error()).isEqualTo("task 'param' failed: output parameter name of component"
        + " 'comp-0' (task 'param') '" + victim + "' contains a path separator ('/' or '\\'); it must be a plain"
        + " name, since it names a file or directory of the run");
    assertThat(end.require("artifact").error()).isEqualTo("task 'artifact' failed: output artifact name of"
        + " component 'comp-1' (task 'artifact') '" + victim + "' contains a path separator ('/' or '\\'); it must"
        + " be a plain name, since it names a file or directory of the run");
    assertThat(end.require("dots").error()).isEqualTo("task 'dots' failed: output artifact name of component"
        + " 'comp-2' (task 'dots') '..' names a directory above its own; use a plain name");
    assertThat(victim).hasContent("keep me");
    assertThat(end.state()).isEqualTo(RuntimeState.FAILED);
  }

  @Test
  void anOutputNamedLikeARunnerFileIsRefused() throws Exception {
    RunState end = runUnchecked(new IrFixtures.Task("t", "task.log", null, List.of("sh", "-c", "true")));

    assertThat(end.require("t").error()).isEqualTo("task 't' failed: output parameter name of component 'comp-0'"
        + " (task 't') 'task.log' is the name of a file the runner keeps in the task directory; rename the output");
  }

  @Test
  void aTaskNamedWithDotDotOrAnAbsolutePathGetsNoDirectoryOutsideTheRun() throws Exception {
    Path absolute = outside.resolve("abs-task");
    RunState end = runUnchecked(IrFixtures.Task.shell("../escaped", "echo x > made-here"),
        IrFixtures.Task.shell(absolute.toString(), "echo x > made-here"));

    assertThat(end.require("../escaped").state()).isEqualTo(RuntimeState.FAILED);
    assertThat(end.require("../escaped").error()).isEqualTo("task '../escaped' failed: task name '../escaped' is not"
        + " a plain name: '..' names a directory above its own; use a plain name");
    assertThat(end.require(absolute.toString()).error()).isEqualTo("task '" + absolute + "' failed: task name '"
        + absolute + "' is not a plain name: '' is empty; it names a file or directory of the run");
    assertThat(root.resolve("p/escaped")).doesNotExist();
    assertThat(absolute).doesNotExist();
    try (var files = Files.walk(root)) {
      assertThat(files.filter(f -> f.getFileName().toString().equals("made-here")).toList()).isEmpty();
    }
  }

  @Test
  void aComponentWritingARelativePathWritesIntoItsOwnTaskDirectory() throws Exception {
    String name = "relative-" + System.nanoTime() + ".txt";
    RunState end = runUnchecked(IrFixtures.Task.shell("writer", "echo written > " + name + "; pwd"));

    assertThat(end.require("writer").state()).isEqualTo(RuntimeState.SUCCEEDED);
    assertThat(runDir.resolve("writer").resolve(name)).hasContent("written");
    assertThat(Path.of(name).toAbsolutePath()).as("nothing in the caller's directory").doesNotExist();
    assertThat(console).contains("[writer] " + runDir.resolve("writer").toRealPath());
  }

  private RunState reporting(String uri) throws Exception {
    String output = "{\"artifacts\":{\"model\":{\"artifacts\":[{\"name\":\"model\",\"uri\":\"" + uri + "\"}]}}}";
    return runUnchecked(new IrFixtures.Task("report", null, "model", List.of("sh", "-c",
        "echo data > \"$1\"; printf '%s' '" + output + "' > \"$0\"", "{{$.outputs.output_file}}",
        "{{$.outputs.artifacts['model'].path}}")));
  }

  @Test
  void anArtifactUriInExecutorOutputPointingOutsideTheRunIsRefused() throws Exception {
    Path stolen = victim(outside.resolve("stolen"));

    RunState absolute = reporting(stolen.toString());
    assertThat(absolute.require("report").state()).isEqualTo(RuntimeState.FAILED);
    assertThat(absolute.require("report").error()).isEqualTo("task 'report' failed: artifact URI of output 'model'"
        + " in executor_output.json '" + stolen + "' leads outside " + runDir + " (to " + stolen + "); names from the"
        + " pipeline must stay inside the run directory");

    RunState fileUri = reporting("file://" + runDir.resolve("../../outside/stolen"));
    assertThat(fileUri.require("report").error()).isEqualTo("task 'report' failed: artifact URI of output 'model'"
        + " in executor_output.json 'file://" + runDir.resolve("../../outside/stolen") + "' leads outside " + runDir
        + " (to " + stolen + "); names from the pipeline must stay inside the run directory");

    RunState relative = reporting("../../outside/stolen");
    assertThat(relative.require("report").error()).isEqualTo("task 'report' failed: artifact URI of output 'model'"
        + " in executor_output.json '../../outside/stolen' is neither a remote URI (scheme://...) nor an absolute"
        + " path inside " + runDir);

    RunState remote = reporting("gs://bucket/model");
    assertThat(remote.require("report").state()).as("a remote URI is not a path here").isEqualTo(RuntimeState.SUCCEEDED);
    assertThat(remote.require("report").outputArtifacts().get("model").get(0).uri()).isEqualTo("gs://bucket/model");
    assertThat(stolen).hasContent("keep me");
  }

  @Test
  void anOutputArtifactLeftAsALinkToAFileOutsideTheRunIsRefused() throws Exception {
    Path secret = victim(outside.resolve("credentials"));
    RunState end = runUnchecked(new IrFixtures.Task("link", null, "model", List.of("sh", "-c",
        "ln -s '" + secret + "' \"$0\"", "{{$.outputs.artifacts['model'].path}}")));

    assertThat(end.require("link").error()).isEqualTo("task 'link' failed: output artifact 'model' '"
        + runDir.resolve("link/model") + "' is a link to " + secret.toRealPath() + ", outside the run directory");
  }
}
