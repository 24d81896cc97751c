package io.kfpci.ir;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.problem.Problem;
import io.kfpci.problem.Rule;
import io.kfpci.problem.SourcePosition;
import io.kfpci.testing.Fixtures;
import io.kfpci.validate.ReportWriters;
import io.kfpci.validate.ValidationReport;
import io.kfpci.validate.Validator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Bad input of every class gets a problem with its place, in bounded time and memory. */
class HostileInputTest {
  /** A hang guard only, never a speed claim: what it guards would otherwise never end. */
  private static final Duration HANG_GUARD = Duration.ofSeconds(20);

  private static final String PIPELINE = """
      # PIPELINE DEFINITION
      components:
        comp-hello:
          executorLabel: exec-hello
          inputDefinitions:
            parameters:
              greeting: {parameterType: STRING}
      deploymentSpec:
        executors:
          exec-hello:
            container:
              image: alpine
              command: [echo, "{{$.inputs.parameters['greeting']}}"]
      pipelineInfo:
        name: hello
      root:
        dag:
          tasks:
            hello:
              componentRef: {name: comp-hello}
              inputs:
                parameters:
                  greeting: {runtimeValue: {constant: hi}}
              taskInfo: {name: hello}
      schemaVersion: 2.1.0
      """;

  private static List<String> problems(String name, String text) {
    return problems(name, text.getBytes(UTF_8));
  }

  private static List<String> problems(String name, byte[] content) {
    try {
      return Fixtures.lines(Validator.validate(PipelineLoader.load(name, content)).problems());
    } catch (InvalidPipelineException e) {
      return Fixtures.lines(e.problems());
    }
  }

  @Test
  void theBasePipelineIsValid() {
    assertThat(problems("hello.yaml", PIPELINE)).isEmpty();
  }

  @Test
  void overflowingNumbersAreProblemsAtTheirLine() {
    String escape = PIPELINE.replace("['greeting']}}", "['greeting'].json_escape[2147483648]}}");
    assertThat(problems("escape.yaml", escape)).containsExactly(
        "error KFP071 escape.yaml:13:25 $.deploymentSpec.executors['exec-hello'].container.command[1]: malformed"
            + " placeholder '{{$.inputs.parameters['greeting'].json_escape[2147483648]}}' in component 'comp-hello':"
            + " json_escape[2147483648] is beyond the limit of 8 (each level escapes the value once more, so it"
            + " grows exponentially)");
    // Any count beyond the bound, not only one that overflows an int.
    assertThat(problems("escape.yaml", PIPELINE.replace("['greeting']}}", "['greeting'].json_escape[9]}}")))
        .singleElement().asString().contains("json_escape[9] is beyond the limit of 8");
    assertThat(problems("escape.yaml", PIPELINE.replace("['greeting']}}", "['greeting'].json_escape[1]}}")))
        .isEmpty();

    String accelerator = PIPELINE.replace("        image: alpine\n", "        image: alpine\n"
        + "        resources:\n"
        + "          accelerator: {resourceCount: \"99999999999999999999\", resourceType: nvidia.com/gpu}\n");
    assertThat(problems("gpu.yaml", accelerator)).containsExactly(
        "error KFP090 gpu.yaml:14:25 $.deploymentSpec.executors['exec-hello'].container.resources.accelerator"
            + ".resourceCount: accelerator count '99999999999999999999' of component 'comp-hello' is too large: it must"
            + " be below 1000000");
    // A quantity whose exponent would expand to 10^8 digits is refused, not computed.
    String cpu = PIPELINE.replace("        image: alpine\n", "        image: alpine\n"
        + "        resources: {resourceCpuLimit: \"1e99999999\"}\n");
    assertThat(Assertions.assertTimeoutPreemptively(HANG_GUARD, () -> problems("cpu.yaml", cpu))).containsExactly(
        "error KFP090 cpu.yaml:13:21 $.deploymentSpec.executors['exec-hello'].container.resources.resourceCpuLimit:"
            + " cpu limit '1e99999999' of component 'comp-hello' is not a Kubernetes quantity");
    assertThat(problems("gpu.yaml", accelerator.replace("resourceCount: \"99999999999999999999\"",
        "count: 99999999999999999999"))).containsExactly(
        "error KFP003 gpu.yaml:14:25 $.deploymentSpec.executors['exec-hello'].container.resources.accelerator"
            + ".count: 'count' must be an integer that fits int64, not number 99999999999999999999");
  }

  @Test
  void aZipMemberNameThatIsNotUtf8IsAProblemOfTheArchive() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes, ISO_8859_1)) { // no UTF-8 flag, Latin-1 bytes
      zip.putNextEntry(new ZipEntry("pipéline.yaml"));
      zip.write(PIPELINE.getBytes(UTF_8));
      zip.closeEntry();
    }

    assertThat(problems("package.zip", bytes.toByteArray())).containsExactly(
        "error KFP001 package.zip $: unreadable zip archive: a member name is not valid UTF-8");
  }

  @Test
  void aBombSkippedOnTheWayToPipelineYamlIsCutOff() throws IOException {
    // Every member is under 32 MiB, but skipping them still inflates them: 5 x 30 MiB of zeros.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("a.yaml"));
      zip.write(PIPELINE.getBytes(UTF_8));
      byte[] zeros = new byte[30 << 20];
      for (int i = 0; i < 5; i++) {
        zip.putNextEntry(new ZipEntry("zeros-" + i + ".bin"));
        zip.write(zeros);
      }
      zip.putNextEntry(new ZipEntry("pipeline.yaml"));
      zip.write(PIPELINE.getBytes(UTF_8));
      zip.closeEntry();
    }

    assertThat(problems("bomb.zip", bytes.toByteArray())).containsExactly(
        "error KFP001 bomb.zip $: unreadable zip archive: it expands to more than 128 MiB (a decompression bomb?)");
  }

  @Test
  void aLongLineOrCommentLoadsWholeAndCorrect() throws InvalidPipelineException {
    // How the time grows with the line (linear, not the quadratic it once was) is measured by
    // bench/ir-throughput (LongLines); here only that an 8 MiB line loads, its value whole.
    for (String kind : List.of("plain", "comment")) {
      load(kind, 8 << 20);
    }
  }

  private static void load(String kind, int size) throws InvalidPipelineException {
    String line = kind.equals("plain")
        ? "  description: " + "x".repeat(size) + "\n"
        : "  # " + "x".repeat(size) + "\n";
    String text = PIPELINE.replace("  name: hello\n", "  name: hello\n" + line);
    PipelineDocument doc = Assertions.assertTimeoutPreemptively(HANG_GUARD,
        () -> PipelineLoader.load("long.yaml", text.getBytes(UTF_8)));
    assertThat(doc.spec().getPipelineInfo().getDescription()).hasSize(kind.equals("plain") ? size : 0);
  }

  @Test
  void aFifoADeviceAndADirectoryAreRefusedPromptlyAndTheBatchGoesOn(@TempDir Path dir) throws Exception {
    Path zero = dir.resolve("zero.yaml");
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero on this system");
    Files.createSymbolicLink(zero, Path.of("/dev/zero"));
    Path fifo = dir.resolve("fifo.yaml");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, PIPELINE);
    Path folder = Files.createDirectory(dir.resolve("folder.yaml"));

    List<ValidationReport> reports = Assertions.assertTimeoutPreemptively(HANG_GUARD, () -> {
      List<ValidationReport> all = new ArrayList<>();
      for (Path file : List.of(zero, fifo, folder, good)) {
        all.add(Validator.validate(file));
      }
      return all;
    });

    String refused = " $: not a regular file: it is a device, FIFO or socket, and a pipeline is read only from a file";
    assertThat(Fixtures.lines(reports.get(0).problems())).containsExactly("error KFP001 " + zero + refused);
    assertThat(Fixtures.lines(reports.get(1).problems())).containsExactly("error KFP001 " + fifo + refused);
    assertThat(Fixtures.lines(reports.get(2).problems())).containsExactly("error KFP001 " + folder
        + " $: not a regular file: it is a directory, and a pipeline is read only from a file");
    assertThat(reports.get(3).problems()).isEmpty();
    assertThat(junit(reports).getElementsByTagName("testsuite").getLength()).isEqualTo(4);
  }

  @Test
  void invalidUtf8AndForbiddenCharactersAreReportedAtTheirRealLineAndColumn() {
    byte[] latin1 = PIPELINE.replace("name: hello", "name: héllo").getBytes(ISO_8859_1);
    assertThat(problems("latin1.yaml", latin1)).containsExactly(
        "error KFP001 latin1.yaml:15:10 $: the file is not valid UTF-8: byte 0xE9 at line 15, column 10 does not"
            + " start a valid character");
    // Multi-byte characters before it count as one column each.
    byte[] afterUnicode = PIPELINE.replace("name: hello", "name: ééé\u00FF").getBytes(UTF_8);
    afterUnicode[indexOf(afterUnicode, (byte) 0xC3, 3)] = (byte) 0xFF;
    assertThat(problems("bad.yaml", afterUnicode)).singleElement().asString()
        .startsWith("error KFP001 bad.yaml:15:11 $: the file is not valid UTF-8: byte 0xFF at line 15, column 11");
    assertThat(problems("bell.yaml", PIPELINE.replace("image: alpine", "image: alp\u0007ine"))).containsExactly(
        "error KFP001 bell.yaml:12:19 $: the character U+0007 at line 12, column 19 is not allowed in YAML");
  }

  /** The index of the n-th (1-based) occurrence of {@code b}. */
  private static int indexOf(byte[] bytes, byte b, int n) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b && --n == 0) {
        return i;
      }
    }
    throw new AssertionError("no occurrence " + n);
  }

  @Test
  void protobufLevelErrorsCarryTheirLineAndPath() {
    assertThat(problems("null.yaml", PIPELINE.replace("  comp-hello:\n", "  comp-null: null\n  comp-hello:\n")))
        .containsExactly("error KFP003 null.yaml:3:3 $.components['comp-null']: 'comp-null' must be an object"
            + " (ComponentSpec), not null");
    assertThat(problems("list.yaml", PIPELINE.replace("command: [echo,", "command: [null,"))).containsExactly(
        "error KFP003 list.yaml:13:19 $.deploymentSpec.executors['exec-hello'].container.command[0]: '0' must be a"
            + " string, not null");
    // A Struct value is a double: an integer beyond its range would become infinity.
    assertThat(problems("big.yaml", PIPELINE.replace("constant: hi", "constant: 1" + "0".repeat(400))))
        .containsExactly("error KFP003 big.yaml:23:39 $.root.dag.tasks.hello.inputs.parameters.greeting.runtimeValue"
            + ".constant: 'constant' must be a number within the range of a double, not number"
            + " 1000000000000000000000000000000000000...");
    assertThat(problems("inf.yaml", PIPELINE.replace("        image: alpine\n", "        image: alpine\n"
        + "        resources: {cpuLimit: \"Infinity\"}\n"))).containsExactly(
        "error KFP090 inf.yaml:13:21 $.deploymentSpec.executors['exec-hello'].container.resources.cpuLimit: cpu"
            + " limit Infinity of component 'comp-hello' is not a finite number");
    assertThat(problems("oneof.yaml", PIPELINE.replace("    executorLabel: exec-hello\n",
        "    executorLabel: exec-hello\n    dag: {}\n"))).containsExactly(
        "error KFP003 oneof.yaml:5:5 $.components['comp-hello'].dag: 'dag' and 'executorLabel' cannot both be set:"
            + " ComponentSpec takes one of dag, executorLabel");
  }

  @Test
  void anEnumNumberThatNamesNoConstantIsAnError() {
    assertThat(problems("enum.yaml", PIPELINE.replace("parameterType: STRING", "parameterType: 42")))
        .containsExactly("error KFP003 enum.yaml:7:20 $.components['comp-hello'].inputDefinitions.parameters"
            + ".greeting.parameterType: 42 is not a ParameterTypeEnum value");
    // A number that does name a constant is what protojson accepts: 3 is STRING.
    assertThat(problems("enum.yaml", PIPELINE.replace("parameterType: STRING", "parameterType: 3"))).isEmpty();
  }

  @Test
  void controlCharactersNeverReachTheTextOrJunitReportRaw() throws Exception {
    String hostile = "\u001B[2J\u001B[31mred\u0007\u202Eevil\u0000";
    String text = PIPELINE.replace("componentRef: {name: comp-hello}",
        "componentRef: {name: \"" + hostile.replace("\u001B", "\\e").replace("\u0007", "\\a")
            .replace("\u202E", "\\u202E").replace("\u0000", "\\0") + "\"}");
    ValidationReport report = Validator.validate(PipelineLoader.load("ctl\u0001.yaml", text.getBytes(UTF_8)));
    List<ValidationReport> reports = List.of(report, new ValidationReport("name\u0002with\u0003controls.yaml",
        List.of(Problem.error(Rule.FILE_FORMAT, SourcePosition.wholeFile("x\u0004.yaml"), "$", "bad \u0005\uFFFE",
            "\u0006"))));

    String console = ReportWriters.text(reports);
    assertThat(console).doesNotContainPattern("[\\x00-\\x09\\x0B-\\x1F\\x7F\\u202E\\uFFFE]")
        .contains("error KFP020: task 'hello' refers to component '\\u001B[2J\\u001B[31mred\\u0007\\u202Eevil\\u0000'");

    Document junit = junit(reports);
    Element failure = (Element) junit.getElementsByTagName("failure").item(0);
    assertThat(failure.getAttribute("message")).isEqualTo("task 'hello' refers to component"
        + " '\\u001B[2J\\u001B[31mred\\u0007\\u202Eevil\\u0000', which is not in components");
    assertThat(((Element) junit.getElementsByTagName("testsuite").item(1)).getAttribute("name"))
        .isEqualTo("kfp-validate.name\\u0002with\\u0003controls.yaml");
  }

  private static Document junit(List<ValidationReport> reports) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(ReportWriters.junit(reports).getBytes(UTF_8)));
  }

  @Test
  void theContentOfAFileThatIsNotAPipelineIsNeverQuoted(@TempDir Path dir) throws IOException {
    String secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";
    List<String> files = List.of(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = " + secret + "\n",
        "TOKEN=" + secret + "\n",
        "machine example.com login me password " + secret + "\n",
        "password: " + secret + "\n",
        "{\"token\": \"" + secret + "\"}\n",
        secret + ": x\n  - y\n",
        "x: &a " + secret + "\ny: *a\n",
        "- " + secret + "\n",
        "root: " + secret + "\n",
        "components: " + secret + "\nroot: [" + secret + "\n");
    Path credentials = dir.resolve("credentials");
    for (String content : files) {
      for (String name : List.of("pipeline.yaml", "pipeline.json")) {
        Files.writeString(credentials, content);
        Path link = dir.resolve(name);
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, credentials);

        List<Problem> found = Validator.validate(link).problems();

        assertThat(found).as("%s holding %s", name, content).isNotEmpty();
        for (Problem p : found) {
          assertThat(p.message() + " " + p.hint() + " " + p.jsonPath()).as("%s holding %s", name, content)
              .doesNotContain(secret).doesNotContain("AKIA").doesNotContain("password").doesNotContain("'token'")
              .doesNotContain("TOKEN").doesNotContain("example.com");
        }
      }
    }
    // A /proc file says its size is 0; it is read through the bounded read, and its text stays unprinted.
    Path environ = Path.of("/proc/self/environ");
    if (Files.isReadable(environ) && System.getenv("PATH") != null) {
      Path link = dir.resolve("environ.yaml");
      Files.createSymbolicLink(link, environ);
      List<Problem> found = Validator.validate(link).problems();
      assertThat(found).isNotEmpty().allSatisfy(p -> assertThat(p.message() + p.hint() + p.jsonPath())
          .doesNotContain(System.getenv("PATH")).doesNotContain("PATH="));
    }
    Files.writeString(credentials, "TOKEN=" + secret + "\n");
    assertThat(Fixtures.lines(Validator.validate(dir.resolve("pipeline.yaml")).problems())).containsExactly(
        "error KFP001 " + dir.resolve("pipeline.yaml") + ":1:1 $: not a KFP pipeline: the first document is a single"
            + " string value, not a mapping of PipelineSpec fields (its content is not quoted)");
  }

  @Test
  void placeholderScanningIsLinearInTheNumberOfOpenings() {
    // Each unclosed "{{$" used to start a scan to the end of the string: quadratic.
    String many = "{{$".repeat(200_000) + "}";
    Placeholders.Scan scan = Assertions.assertTimeoutPreemptively(HANG_GUARD, () -> Placeholders.scan(many));
    assertThat(scan.placeholders()).isEmpty();
    assertThat(scan.malformed()).singleElement().satisfies(m -> assertThat(m.reason()).isEqualTo("unclosed '{{$'"));
    assertThat(catchThrowableOfType(InvalidPipelineException.class, () -> PipelineLoader.load("x.yaml",
        new byte[0]))).isNotNull();
  }
}
