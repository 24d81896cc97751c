package io.kfpci.ir.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.kfpci.ir.FieldPath;
import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.SourceMap;
import io.kfpci.ir.proto.PipelineDeploymentConfig;
import io.kfpci.ir.proto.PipelineSpec;
import io.kfpci.ir.proto.PlatformSpec;
import io.kfpci.ir.proto.k8s.KubernetesExecutorConfig;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.problem.Problem;
import io.kfpci.problem.Rule;
import io.kfpci.problem.SourcePosition;
import io.kfpci.problem.Suggestions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a {@link PipelineDocument} from the documents of a pipeline file: the first non-empty one
 * is the PipelineSpec, a later one holding {@code platforms} is the PlatformSpec (as the KFP API
 * server and SDK read multi-document YAML). Every document is schema-checked before protobuf
 * parsing, so all unknown fields of a file are reported at once, each with its line.
 */
public final class DocumentAssembler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFormat.Parser PROTO_JSON = JsonFormat.parser();
  private static final String KUBERNETES_PLATFORM = "kubernetes";

  private DocumentAssembler() {}

  public static PipelineDocument assemble(PackageReader.Entry entry) throws InvalidPipelineException {
    String file = entry.name();
    List<TreeReader.ParsedDocument> documents = TreeReader.read(entry).stream()
        .filter(d -> !d.root().isNull() && !d.root().isMissingNode())
        .toList();
    if (documents.isEmpty()) {
      throw new InvalidPipelineException(List.of(Problem.error(Rule.FILE_FORMAT,
          new SourcePosition(file, 1, 1), "$", "empty document: the file holds no pipeline spec",
          "compile the pipeline with `kfpci compile pipeline.py -o pipeline.yaml` and use that file")));
    }
    Map<FieldPath, SourcePosition> canonical = new HashMap<>();
    List<Problem> problems = new ArrayList<>();

    TreeReader.ParsedDocument specDoc = documents.get(0);
    requirePipeline(specDoc, file);
    SchemaWalker specWalker = new SchemaWalker(file, specDoc.positions(), canonical);
    specWalker.typedSeparately(FieldPath.ROOT.key("deploymentSpec"));
    boolean quoteValues = clearlyAPipeline(specDoc.root());
    specWalker.quoteValues(quoteValues);
    specWalker.walkMessage(specDoc.root(), PipelineSpec.getDescriptor(), FieldPath.ROOT, FieldPath.ROOT);
    String deploymentKey = spelling(specDoc.root(), "deploymentSpec", "deployment_spec");
    JsonNode deploymentNode = specDoc.root().path(deploymentKey);
    if (deploymentNode.isObject()) {
      specWalker.walkMessage(deploymentNode, PipelineDeploymentConfig.getDescriptor(),
          FieldPath.ROOT.key(deploymentKey), FieldPath.ROOT.key("deploymentSpec"));
    }
    problems.addAll(specWalker.problems());

    JsonNode platformNode = null;
    Map<String, JsonNode> kubernetesExecutorNodes = new LinkedHashMap<>();
    for (TreeReader.ParsedDocument doc : documents.subList(1, documents.size())) {
      // A document after the first is only ever a platform spec; its paths are prefixed so that
      // problems in it are not confused with the pipeline spec's.
      FieldPath prefix = FieldPath.ROOT.key("platformSpec");
      Map<FieldPath, SourcePosition> raw = prefixed(doc.positions(), prefix);
      SchemaWalker walker = new SchemaWalker(file, raw, canonical);
      walker.quoteValues(quoteValues);
      if (!doc.root().has("platforms")) {
        problems.add(Problem.error(Rule.FILE_FORMAT, raw.getOrDefault(prefix, new SourcePosition(file, 1, 1)),
            prefix.toString(), "document " + (doc.index() + 1)
                + " is not a platform spec (it has no 'platforms' key); a pipeline file holds one pipeline spec"
                + " and at most one platform spec", "remove the extra document"));
        continue;
      }
      if (platformNode != null) {
        problems.add(Problem.error(Rule.FILE_FORMAT, raw.getOrDefault(prefix, new SourcePosition(file, 1, 1)), prefix.toString(),
            "more than one platform spec document", "merge them into one"));
        continue;
      }
      platformNode = doc.root();
      walker.walkMessage(platformNode, PlatformSpec.getDescriptor(), prefix, prefix);
      JsonNode kubernetes = platformNode.path("platforms").path(KUBERNETES_PLATFORM);
      String platformDeploymentKey = spelling(kubernetes, "deploymentSpec", "deployment_spec");
      JsonNode executors = kubernetes.path(platformDeploymentKey).path("executors");
      FieldPath kubernetesPath = prefix.key("platforms").key(KUBERNETES_PLATFORM);
      FieldPath rawExecutors = kubernetesPath.key(platformDeploymentKey).key("executors");
      FieldPath executorsPath = kubernetesPath.key("deploymentSpec").key("executors");
      for (Map.Entry<String, JsonNode> e : executors.properties()) {
        walker.walkMessage(e.getValue(), KubernetesExecutorConfig.getDescriptor(),
            rawExecutors.key(e.getKey()), executorsPath.key(e.getKey()));
        kubernetesExecutorNodes.put(e.getKey(), e.getValue());
      }
      problems.addAll(walker.problems());
    }
    if (!problems.isEmpty()) {
      throw new InvalidPipelineException(problems);
    }

    SourcePosition specAt = specDoc.positions().getOrDefault(FieldPath.ROOT, new SourcePosition(file, 1, 1));
    PipelineSpec spec = parse(specDoc.root(), PipelineSpec.newBuilder(), specAt, "$");
    PipelineDeploymentConfig deployment = deploymentNode.isObject()
        ? parse(deploymentNode, PipelineDeploymentConfig.newBuilder(),
            canonical.getOrDefault(FieldPath.of("deploymentSpec"), specAt), "$.deploymentSpec")
        : PipelineDeploymentConfig.getDefaultInstance();
    FieldPath platformPath = FieldPath.of("platformSpec");
    PlatformSpec platform = platformNode != null
        ? parse(platformNode, PlatformSpec.newBuilder(), canonical.getOrDefault(platformPath, specAt), "$.platformSpec")
        : PlatformSpec.getDefaultInstance();
    Map<String, KubernetesExecutorConfig> kubernetes = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : kubernetesExecutorNodes.entrySet()) {
      FieldPath at = platformPath.key("platforms").key(KUBERNETES_PLATFORM).key("deploymentSpec")
          .key("executors").key(e.getKey());
      kubernetes.put(e.getKey(), parse(e.getValue(), KubernetesExecutorConfig.newBuilder(),
          canonical.getOrDefault(at, specAt), at.toString()));
    }
    return new PipelineDocument(file, spec, deployment, platform, kubernetes,
        new SourceMap(file, canonical));
  }

  /**
   * The key the file uses for a field whose inner structure is a free-form Struct in the IR (so the
   * schema walk does not map it): protojson accepts the proto name as well as the JSON name.
   */
  private static String spelling(JsonNode object, String jsonName, String protoName) {
    return !object.has(jsonName) && object.has(protoName) ? protoName : jsonName;
  }

  private static Map<FieldPath, SourcePosition> prefixed(
      Map<FieldPath, SourcePosition> positions, FieldPath prefix) {
    Map<FieldPath, SourcePosition> out = new HashMap<>();
    for (Map.Entry<FieldPath, SourcePosition> e : positions.entrySet()) {
      FieldPath path = prefix;
      for (Object s : e.getKey().segments()) {
        path = s instanceof Integer i ? path.index(i) : path.key((String) s);
      }
      out.put(path, e.getValue());
    }
    return out;
  }

  /**
   * A file whose first document is not a mapping with at least one PipelineSpec field (or a near
   * miss such as 'components_1') is not a pipeline: it gets one problem that quotes nothing of it,
   * not a list of its keys and values (a credentials file given by mistake stays unprinted).
   */
  private static void requirePipeline(TreeReader.ParsedDocument doc, String file) throws InvalidPipelineException {
    JsonNode root = doc.root();
    SourcePosition at = doc.positions().getOrDefault(FieldPath.ROOT, new SourcePosition(file, 1, 1));
    Set<String> fields = new TreeSet<>();
    PipelineSpec.getDescriptor().getFields().forEach(f -> {
      fields.add(f.getJsonName());
      fields.add(f.getName());
    });
    if (root.isObject()) {
      for (String key : (Iterable<String>) () -> root.fieldNames()) {
        if (fields.contains(key) || Suggestions.closest(key, fields).isPresent()) {
          return;
        }
      }
    }
    String what = root.isObject() ? "a mapping with none of the PipelineSpec fields"
        : root.isArray() ? "a list, not a mapping of PipelineSpec fields"
        : "a single " + root.getNodeType().name().toLowerCase(Locale.ROOT) + " value, not a mapping of PipelineSpec fields";
    throw new InvalidPipelineException(List.of(Problem.error(Rule.FILE_FORMAT, at, "$",
        "not a KFP pipeline: the first document is " + what + " (its content is not quoted)",
        "a pipeline has pipelineInfo, root, components and deploymentSpec; compile one with"
            + " `kfpci compile pipeline.py -o pipeline.yaml`")));
  }

  /** Two or more PipelineSpec fields at the top: every compiled pipeline has five or more. */
  private static boolean clearlyAPipeline(JsonNode root) {
    int fields = 0;
    for (var f : PipelineSpec.getDescriptor().getFields()) {
      if (root.has(f.getJsonName()) || root.has(f.getName())) {
        fields++;
      }
    }
    return fields >= 2;
  }

  @SuppressWarnings("unchecked")
  private static <T extends Message> T parse(JsonNode node, Message.Builder builder, SourcePosition at,
      String jsonPath) throws InvalidPipelineException {
    try {
      PROTO_JSON.merge(JSON.writeValueAsString(node), builder);
      return (T) builder.build();
    } catch (InvalidProtocolBufferException | com.fasterxml.jackson.core.JsonProcessingException
        | IllegalArgumentException e) {
      // The schema walk catches what protojson rejects, each at its own line; this is the backstop
      // for anything subtler, placed at the document it concerns.
      throw new InvalidPipelineException(List.of(Problem.error(Rule.FIELD_TYPE, at, jsonPath, "not a valid "
          + builder.getDescriptorForType().getName() + ": " + e.getMessage(), "")));
    }
  }
}
