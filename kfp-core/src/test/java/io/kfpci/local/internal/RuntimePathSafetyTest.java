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
  /** The validator's reasons (SafePaths.problem, KFP013), as the run time gives them. */
  private static final String COLON = "cannot be used as a file name: it contains ':' (a drive letter or stream"
      + " name on Windows)";
  private static final String DOTS = "cannot be used as a file name: a name made only of dots and spaces names the"
      + " directory itself or its parent";
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
        + " (task 't') '../../../victim' cannot be used as a file name: it contains '/', a path separator");
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
        + " 'comp-0' (task 'param') '" + victim + "' cannot be used as a file name: it contains '/', a path separator");
    assertThat(end.require("artifact").error()).isEqualTo("task 'artifact' failed: output artifact name of"
        + " component 'comp-1' (task 'artifact') '" + victim + "' cannot be used as a file name: it contains '/', a"
        + " path separator");
    assertThat(end.require("dots").error()).isEqualTo("task 'dots' failed: output artifact name of component"
        + " 'comp-2' (task 'dots') '..' cannot be used as a file name: a name made only of dots and spaces names the"
        + " directory itself or its parent");
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
        + " a plain name: its part '..' cannot be used as a file name: a name made only of dots and spaces names the"
        + " directory itself or its parent");
    assertThat(end.require(absolute.toString()).error()).isEqualTo("task '" + absolute + "' failed: task name '"
        + absolute + "' is not a plain name: its part '' cannot be used as a file name: it is empty");
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

  /**
   * A pipeline built in memory never meets the validator: a task or output name with ':' (a drive
   * or an NTFS stream), or made of dots and spaces, is refused by the run time's own check, which
   * is the validator's rule, and nothing is created for it.
   */
  @Test
  void namesTheValidatorRefusesAreRefusedAtRunTimeToo() throws Exception {
    RunState end = runUnchecked(IrFixtures.Task.shell("c:stream", "echo x > made-here"),
        IrFixtures.Task.shell(". .", "echo x > made-here"),
        new IrFixtures.Task("out", "data:v1", null, List.of("sh", "-c", "true")),
        new IrFixtures.Task("art", null, " ..", List.of("sh", "-c", "true")));

    assertThat(end.require("c:stream").error())
        .isEqualTo("task 'c:stream' failed: task name 'c:stream' is not a plain name: its part 'c:stream' " + COLON);
    assertThat(end.require(". .").error())
        .isEqualTo("task '. .' failed: task name '. .' is not a plain name: its part '. .' " + DOTS);
    assertThat(end.require("out").error()).isEqualTo("task 'out' failed: output parameter name of component"
        + " 'comp-2' (task 'out') 'data:v1' " + COLON);
    assertThat(end.require("art").error()).isEqualTo("task 'art' failed: output artifact name of component"
        + " 'comp-3' (task 'art') ' ..' " + DOTS);
    assertThat(end.state()).isEqualTo(RuntimeState.FAILED);
    assertThat(runDir.resolve("c:stream")).doesNotExist();
    assertThat(runDir.resolve(". .")).doesNotExist();
    try (var files = Files.walk(root)) {
      assertThat(files.filter(f -> f.getFileName().toString().equals("made-here")).toList()).isEmpty();
    }
  }

  /** What a task writes is as untrusted as the pipeline: the URIs it reports meet the same name rule. */
  @Test
  void anArtifactUriInExecutorOutputWithUnsafeNamesOrAWindowsDriveIsRefused() throws Exception {
    String colon = runDir.resolve("report/model:stream").toString();
    assertThat(reporting(colon).require("report").error()).isEqualTo("task 'report' failed: artifact URI of output"
        + " 'model' in executor_output.json '" + colon + "' is not a plain path inside " + runDir + ": its part"
        + " 'model:stream' " + COLON);

    String dots = runDir.resolve("report/. ./model").toUri().toString(); // file:///.../report/.%20./model
    assertThat(reporting(dots).require("report").error()).isEqualTo("task 'report' failed: artifact URI of output"
        + " 'model' in executor_output.json '" + dots + "' is not a plain path inside " + runDir + ": its part '. .' "
        + DOTS);

    for (String drive : List.of("C:/Users/victim/model", "c://model", "D:")) {
      assertThat(reporting(drive).require("report").error()).as(drive).isEqualTo("task 'report' failed: artifact"
          + " URI of output 'model' in executor_output.json '" + drive + "' names a Windows drive; a local artifact"
          + " must be an absolute path inside " + runDir);
    }

    String detour = runDir + "/report/../report/model";
    assertThat(reporting(detour).require("report").error()).isEqualTo("task 'report' failed: artifact URI of"
        + " output 'model' in executor_output.json '" + detour + "' has a '.' or '..' part; a local artifact must be"
        + " a plain absolute path inside " + runDir);

    RunState plain = reporting(runDir.resolve("report/model").toString());
    assertThat(plain.require("report").state()).as("the provisioned path itself").isEqualTo(RuntimeState.SUCCEEDED);
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
