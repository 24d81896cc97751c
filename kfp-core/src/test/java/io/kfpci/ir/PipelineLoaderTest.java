package io.kfpci.ir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kfpci.ir.proto.k8s.KubernetesExecutorConfig;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.problem.Problem;
import io.kfpci.problem.Rule;
import io.kfpci.problem.SourcePosition;
import io.kfpci.testing.Fixtures;
import io.kfpci.validate.ValidationReport;
import io.kfpci.validate.Validator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Loading pipeline packages: formats, archives, positions, strictness and hostile input. */
class PipelineLoaderTest {
  private static final byte[] PIPELINE = fixture("pipeline.yaml");
  private static final byte[] NOT_A_PIPELINE = "components_1: {}\n".getBytes(UTF_8);

  private static byte[] fixture(String name) {
    return Fixtures.bytes(PipelineLoaderTest.class, name);
  }

  private static List<String> problems(String fixture) {
    return Fixtures.problems(PipelineLoaderTest.class, fixture);
  }

  /** The problems of loading {@code content} as {@code name}; the load must fail. */
  private static List<Problem> loadFailure(String name, byte[] content) {
    InvalidPipelineException e = catchThrowableOfType(InvalidPipelineException.class,
        () -> PipelineLoader.load(name, content));
    assertThat(e).as("loading %s should fail", name).isNotNull();
    return e.problems();
  }

  private static Problem onlyLoadProblem(String name, byte[] content) {
    List<Problem> problems = loadFailure(name, content);
    assertThat(problems).hasSize(1);
    return problems.get(0);
  }

  @Test
  void yamlKeepsThePositionOfEveryNode() throws InvalidPipelineException {
    PipelineDocument doc = PipelineLoader.load("pipeline.yaml", PIPELINE);

    assertThat(doc.pipelineName()).isEqualTo("hello");
    assertThat(doc.executor("exec-hello").orElseThrow().getContainer().getCommandList())
        .containsExactly("echo", "hello");
    SourceMap positions = doc.sourceMap();
    assertThat(positions.positionOf(FieldPath.of("root", "dag", "tasks", "hello", "componentRef", "name")))
        .isEqualTo(new SourcePosition("pipeline.yaml", 18, 24));
    assertThat(positions.positionOf(FieldPath.of("deploymentSpec", "executors", "exec-hello", "container",
        "command", 1))).isEqualTo(new SourcePosition("pipeline.yaml", 11, 25));
    // A field the file does not have is placed at the nearest enclosing one.
    assertThat(positions.positionOf(FieldPath.of("pipelineInfo", "description")))
        .isEqualTo(new SourcePosition("pipeline.yaml", 12, 1));
  }

  @Test
  void jsonLoadsWithPositions() {
    assertThat(problems("pipeline.json")).containsExactly(
        "error KFP011 pipeline.json:10:20 $.pipelineInfo.name: pipeline name 'Hello World' is not a valid KFP"
            + " name (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)");
    assertThat(problems("json-problems.json")).containsExactly(
        "error KFP002 json-problems.json:2:37 $.pipelineInfo.displayname: unknown field 'displayname' in"
            + " PipelineInfo; did you mean 'displayName'?",
        "error KFP003 json-problems.json:6:36 $.root.dag.tasks.hello.componentRef.name: 'name' must be a string,"
            + " not a list");
  }

  @Test
  void zipPrefersPipelineYamlOverTheFirstFile() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("README.yaml", NOT_A_PIPELINE);
    entries.put("nested/pipeline.yaml", PIPELINE);
    byte[] zip = zip(entries);

    PipelineDocument doc = PipelineLoader.load("package.zip", zip);

    assertThat(doc.source()).isEqualTo("package.zip!nested/pipeline.yaml");
    assertThat(doc.pipelineName()).isEqualTo("hello");
  }

  @Test
  void zipWithoutPipelineYamlUsesItsFirstFileSkippingFoldersAndMacMetadata() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("__MACOSX/._hello.yaml", NOT_A_PIPELINE);
    entries.put("dir/", new byte[0]);
    entries.put("hello.yaml", PIPELINE);
    entries.put("other.yaml", NOT_A_PIPELINE);

    PipelineDocument doc = PipelineLoader.load("package.zip", zip(entries));

    assertThat(doc.source()).isEqualTo("package.zip!hello.yaml");
  }

  @Test
  void problemsInsideAnArchiveCiteTheMember() throws Exception {
    Problem problem = onlyLoadProblem("package.zip", zip(Map.of("pipeline.yaml", NOT_A_PIPELINE)));

    assertThat(problem.rule()).isEqualTo(Rule.UNKNOWN_FIELD);
    assertThat(problem.position()).isEqualTo(new SourcePosition("package.zip!pipeline.yaml", 1, 1));
  }

  @Test
  void tarGzPrefersPipelineYamlAndReadsJsonMembersAsJson() throws Exception {
    byte[] tar = tarGz(Map.of("a.yaml", NOT_A_PIPELINE, "pipeline.yaml", PIPELINE));
    assertThat(PipelineLoader.load("package.tar.gz", tar).source()).isEqualTo("package.tar.gz!pipeline.yaml");

    byte[] json = tarGz(Map.of("spec.json", fixture("pipeline.json")));
    PipelineDocument doc = PipelineLoader.load("package.tar.gz", json);
    assertThat(doc.source()).isEqualTo("package.tar.gz!spec.json");
    assertThat(doc.pipelineName()).isEqualTo("Hello World");
  }

  @Test
  void emptyArchivesAreRejected() throws Exception {
    Problem emptyZip = onlyLoadProblem("empty.zip", zip(Map.of()));
    assertThat(emptyZip.rule()).isEqualTo(Rule.FILE_FORMAT);
    assertThat(emptyZip.message()).isEqualTo("the zip archive holds no file");
    assertThat(emptyZip.position()).isEqualTo(SourcePosition.wholeFile("empty.zip"));

    assertThat(onlyLoadProblem("folders.zip", zip(Map.of("dir/", new byte[0]))).message())
        .isEqualTo("the zip archive holds no file");
    assertThat(onlyLoadProblem("empty.tar.gz", tarGz(Map.of())).message())
        .isEqualTo("the tar.gz archive holds no file");
  }

  @Test
  void archiveMemberOver32MiBIsCutOffWhileDecompressing() throws Exception {
    // 33 MiB of zeros compresses to a few dozen KiB: the shape of a decompression bomb.
    byte[] bomb = zip(Map.of("pipeline.yaml", new byte[33 << 20]));

    Problem problem = onlyLoadProblem("bomb.zip", bomb);

    assertThat(problem.message()).isEqualTo("the archive member is larger than 32 MiB once decompressed");
    assertThat(problem.position().file()).isEqualTo("bomb.zip!pipeline.yaml");
  }

  @Test
  void fileOver32MiBIsRefusedBeforeParsing(@TempDir Path dir) throws IOException {
    Path huge = dir.resolve("huge.yaml");
    try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(PipelineLoader.MAX_FILE_BYTES + 1); // sparse: no disk space, all zero bytes
    }

    InvalidPipelineException e = catchThrowableOfType(InvalidPipelineException.class,
        () -> PipelineLoader.load(huge));

    // Zero bytes are not YAML; a size message (not a syntax error) proves nothing was parsed.
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.rule()).isEqualTo(Rule.FILE_FORMAT);
      assertThat(p.position()).isEqualTo(SourcePosition.wholeFile(huge.toString()));
      assertThat(p.message()).isEqualTo(
          "the file is 33554433 bytes; the limit is 33554432 bytes (32 MiB), as on the KFP API server");
    });
  }

  @Test
  void unsupportedFormatsAndEmptyDocumentsAreNamed() {
    Problem text = onlyLoadProblem("notes.txt", PIPELINE);
    assertThat(text.message()).isEqualTo("unsupported pipeline file format: 'notes.txt' is neither YAML nor JSON"
        + " by name, and not a zip or gzip archive by content");
    assertThat(text.hint()).isEqualTo("a pipeline package is .yaml, .yml or .json text, or a .zip or .tar.gz"
        + " archive holding pipeline.yaml");

    Problem empty = onlyLoadProblem("empty.yml", "# PIPELINE DEFINITION\n# Name: echo\n".getBytes(UTF_8));
    assertThat(empty.message()).isEqualTo("empty document: the file holds no pipeline spec");
  }

  @Test
  void missingFileIsReportedAsSuch(@TempDir Path dir) {
    Path missing = dir.resolve("missing.yaml");

    ValidationReport report = Validator.validate(missing);

    assertThat(Fixtures.lines(report.problems()))
        .containsExactly("error KFP001 " + missing + " $: cannot read the file: no such file");
  }

  @Test
  void platformSpecIsTheSecondDocument() throws InvalidPipelineException {
    PipelineDocument doc = Fixtures.load(PipelineLoaderTest.class, "with-platform.yaml");

    KubernetesExecutorConfig train = doc.kubernetesExecutors().get("exec-train");
    assertThat(train.getNodeSelector().getLabelsMap()).containsExactly(Map.entry("accelerator", "nvidia-a100"));
    assertThat(train.getTolerations(0).getEffect()).isEqualTo("NoSchedule");
    assertThat(train.getSecretAsEnv(0).getKeyToEnv(0).getEnvVar()).isEqualTo("DB_PASSWORD");
    assertThat(doc.platform().getPlatformsMap()).containsOnlyKeys("kubernetes");
    assertThat(doc.sourceMap().positionOf(FieldPath.of("platformSpec", "platforms", "kubernetes", "deploymentSpec",
        "executors", "exec-train", "tolerations", 0)))
        .isEqualTo(new SourcePosition("with-platform.yaml", 25, 13));
    assertThat(Validator.validate(doc).problems()).isEmpty();
  }

  @Test
  void aThirdDocumentIsRejected() {
    assertThat(problems("third-document.yaml")).containsExactly(
        "error KFP001 third-document.yaml:10:1 $.platformSpec: document 3 is not a platform spec (it has no"
            + " 'platforms' key); a pipeline file holds one pipeline spec and at most one platform spec");
    assertThat(problems("two-platform-specs.yaml")).containsExactly(
        "error KFP001 two-platform-specs.yaml:10:1 $.platformSpec: more than one platform spec document");
  }

  @Test
  void snakeCaseKeysAreAcceptedAndProblemsUseCanonicalPaths() {
    // deployment_spec and its executors must be found (no KFP021), in the spec and the platform spec.
    assertThat(problems("snake-case.yaml")).containsExactly(
        "error KFP011 snake-case.yaml:10:3 $.pipelineInfo.name: pipeline name 'Hello_World' is not a valid KFP"
            + " name (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)",
        "error KFP022 snake-case.yaml:16:27 $.root.dag.tasks.hello.dependentTasks[0]: task 'hello' depends on"
            + " 'helo', which is not a task of the same DAG",
        "error KFP100 snake-case.yaml:25:9"
            + " $.platformSpec.platforms.kubernetes.deploymentSpec.executors['exec-goodbye']: the platform spec"
            + " configures executor 'exec-goodbye', which deploymentSpec does not define");
  }

  @Test
  void valuesOfTheWrongTypeAreNamedWithTheirLine() {
    assertThat(problems("wrong-types.yaml")).containsExactly(
        "error KFP003 wrong-types.yaml:1:1 $.components: 'components' must be a map (object), not a list",
        "error KFP003 wrong-types.yaml:3:3 $.pipelineInfo.name: 'name' must be a string, not a list",
        "error KFP003 wrong-types.yaml:9:26 $.root.dag.tasks.hello.cachingOptions.enableCache: 'enableCache' must"
            + " be true or false, not the string \"yes\"",
        "error KFP003 wrong-types.yaml:10:26 $.root.dag.tasks.hello.iteratorPolicy.parallelismLimit:"
            + " 'parallelismLimit' must be an integer, not number 1.5",
        "error KFP003 wrong-types.yaml:11:25 $.root.dag.tasks.hello.triggerPolicy.strategy:"
            + " 'ALL_UPSTREAM_TASK_SUCCEEDED' is not a TriggerStrategy; did you mean 'ALL_UPSTREAM_TASKS_SUCCEEDED'?",
        "error KFP003 wrong-types.yaml:14:26 $.root.dag.tasks.retried.iteratorPolicy.parallelismLimit:"
            + " 'parallelismLimit' must be an integer that fits int32, not number 99999999999",
        "error KFP003 wrong-types.yaml:15:23 $.root.dag.tasks.retried.retryPolicy.backoffDuration:"
            + " 'backoffDuration' must be a Duration such as \"30s\", not the string \"soon\"",
        "error KFP003 wrong-types.yaml:18:16 $.root.inputDefinitions.parameters.epochs.parameterType:"
            + " 'NUMBER_INTEGR' is not a ParameterTypeEnum; did you mean 'NUMBER_INTEGER'?");
    assertThat(Fixtures.hints(PipelineLoaderTest.class, "wrong-types.yaml").get(4))
        .isEqualTo("use one of TRIGGER_STRATEGY_UNSPECIFIED, ALL_UPSTREAM_TASKS_SUCCEEDED, ALL_UPSTREAM_TASKS_COMPLETED");
  }

  @Test
  void everyUnknownFieldOfTheFileIsReportedWithTheClosestKnownField() {
    assertThat(problems("unknown-fields.yaml")).containsExactly(
        "error KFP002 unknown-fields.yaml:1:1 $.components_1: unknown field 'components_1' in PipelineSpec; did"
            + " you mean 'components'?",
        "error KFP002 unknown-fields.yaml:7:19 $.deploymentSpec.executors['exec-hello'].container.imagee: unknown"
            + " field 'imagee' in PipelineContainerSpec; did you mean 'image'?",
        "error KFP002 unknown-fields.yaml:14:24 $.root.dag.tasks.hello.componentRef.nmae: unknown field 'nmae' in"
            + " ComponentRef; did you mean 'name'?",
        "error KFP002 unknown-fields.yaml:22:11"
            + " $.platformSpec.platforms.kubernetes.deploymentSpec.executors['exec-hello'].nodeSelecter: unknown"
            + " field 'nodeSelecter' in KubernetesExecutorConfig; did you mean 'nodeSelector'?");
    assertThat(Fixtures.hints(PipelineLoaderTest.class, "unknown-fields.yaml").get(0))
        .isEqualTo("known fields of PipelineSpec: components, defaultPipelineRoot, deploymentSpec, pipelineInfo,"
            + " root, schemaVersion, sdkVersion");
  }

  @Test
  void duplicateKeysAreErrorsNotLastOneWins() {
    assertThat(problems("duplicate-key.yaml")).containsExactly(
        "error KFP001 duplicate-key.yaml:5:1 $.pipelineInfo: duplicate key 'pipelineInfo' (first at line 1)");
  }

  @Test
  void yamlSyntaxErrorIsOneLineWithItsPosition() {
    assertThat(problems("syntax-error.yaml")).containsExactly(
        "error KFP001 syntax-error.yaml:3:2 $: YAML syntax error: expected <block end>, but found '<block mapping"
            + " start>' (while parsing a block mapping at line 1)");
  }

  @Test
  void aliasesAreRejected() {
    assertThat(problems("alias.yaml")).containsExactly(
        "error KFP001 alias.yaml:3:16 $.pipelineInfo.displayName: YAML alias '*name' is not supported in pipeline"
            + " files");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS) // a hang guard only: expanding the bomb would never end
  void billionLaughsIsRejectedAtTheFirstAliasWithoutExpanding() {
    assertThat(problems("billion-laughs.yaml")).containsExactly(
        // Not a pipeline (no pipeline field anywhere), so the message quotes nothing of it.
        "error KFP001 billion-laughs.yaml:3:10 $: a YAML alias is not supported in pipeline files");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS) // a hang guard only
  void deeplyNestedDocumentsAreRejected() {
    String flow = "x: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";
    Problem flowProblem = onlyLoadProblem("deep.yaml", flow.getBytes(UTF_8));
    assertThat(flowProblem.message()).isEqualTo("the document is nested deeper than 64 levels");
    assertThat(flowProblem.position()).isEqualTo(new SourcePosition("deep.yaml", 1, 68));

    StringBuilder block = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      block.append("  ".repeat(i)).append('k').append(i).append(":\n");
    }
    Problem blockProblem = onlyLoadProblem("deep.yaml", block.append("  ".repeat(100)).append("v: 1\n")
        .toString().getBytes(UTF_8));
    assertThat(blockProblem.message()).isEqualTo("the document is nested deeper than 64 levels");
    assertThat(blockProblem.position().line()).isEqualTo(66);

    String json = "{\"a\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertThat(onlyLoadProblem("deep.json", json.getBytes(UTF_8)).message())
        .isEqualTo("the document is nested deeper than 64 levels");
  }

  private static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) { // in the map's order
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] tarGz(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      for (Map.Entry<String, byte[]> e : new TreeMap<>(entries).entrySet()) { // in name order
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(e.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }
}
