package io.kfpci.local.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.ir.Placeholder;
import io.kfpci.ir.Placeholders;
import io.kfpci.ir.proto.ComponentOutputsSpec;
import io.kfpci.ir.proto.ComponentSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The KFP launcher contract for one attempt of a container task: the ExecutorInput document
 * ({@code {{$}}}) with input values and artifacts, output parameter files, output artifact URIs and
 * the executor output file; and the command line with every placeholder resolved, structural ones
 * (Concat, IfPresent) included. Output locations follow the local layout: everything a task
 * writes lives in its task directory, named after the output. Stateless.
 */
public final class ExecutorInputs {
  public static final String EXECUTOR_OUTPUT = "executor_output.json";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("\\{\\{\\$.*?}}");

  private ExecutorInputs() {}

  /**
   * Where one task runs: the run's placeholder values and the task's place in it.
   *
   * @param taskName the task's key in its DAG ({@code {{$.pipeline_task_name}}})
   * @param scopeId the id of the DAG the task runs in ("" at the root), for {@code {{$.pipeline_task_uuid}}}
   */
  public record Context(RunValues run, Path pipelineRoot, String taskId, String taskName, String scopeId,
      Path taskDirectory) {
    public Path workspace() {
      return run.workspace();
    }
  }

  /** An ExecutorInput and where its outputs will be. */
  public record Prepared(ObjectNode executorInput, Map<String, Path> outputParameterFiles,
      Map<String, Artifact> outputArtifacts, Path outputFile, Scopes.Inputs inputs, Context context) {

    public String json() {
      return JsonValues.write(executorInput);
    }
  }

  public static Prepared prepare(ComponentSpec component, Scopes.Inputs inputs, Context context) {
    Map<String, JsonNode> parameters = resolveSelfReferences(inputs.parameters());
    ObjectNode root = NODES.objectNode();
    ObjectNode in = root.putObject("inputs");
    ObjectNode parameterValues = in.putObject("parameterValues");
    parameters.forEach(parameterValues::set);
    ObjectNode artifacts = in.putObject("artifacts");
    inputs.artifacts().forEach((name, list) -> artifacts.set(name, artifactList(list)));

    ObjectNode out = root.putObject("outputs");
    ObjectNode outParameters = out.putObject("parameters");
    Map<String, Path> files = new LinkedHashMap<>();
    for (String name : component.getOutputDefinitions().getParametersMap().keySet()) {
      Path file = context.taskDirectory().resolve(name);
      files.put(name, file);
      outParameters.putObject(name).put("outputFile", file.toString());
    }
    ObjectNode outArtifacts = out.putObject("artifacts");
    Map<String, Artifact> provisioned = new LinkedHashMap<>();
    for (Map.Entry<String, ComponentOutputsSpec.ArtifactSpec> e
        : component.getOutputDefinitions().getArtifactsMap().entrySet()) {
      Artifact artifact = new Artifact(e.getKey(), e.getValue().getArtifactType().getSchemaTitle(),
          e.getValue().getArtifactType().getSchemaVersion(), context.taskDirectory().resolve(e.getKey()).toString(),
          Map.of(), -1, null, context.taskId());
      provisioned.put(e.getKey(), artifact);
      outArtifacts.set(e.getKey(), artifactList(List.of(artifact)));
    }
    Path outputFile = context.taskDirectory().resolve(EXECUTOR_OUTPUT);
    out.put("outputFile", outputFile.toString());
    return new Prepared(root, files, provisioned,
        outputFile, new Scopes.Inputs(parameters, inputs.artifacts(), inputs.problems()), context);
  }

  /** {"artifacts": [RuntimeArtifact...]} in protojson names. */
  static ObjectNode artifactList(List<Artifact> list) {
    ObjectNode node = NODES.objectNode();
    ArrayNode array = node.putArray("artifacts");
    for (Artifact a : list) {
      ObjectNode artifact = array.addObject();
      artifact.put("name", a.name());
      artifact.putObject("type").put("schemaTitle", a.schemaTitle()).put("schemaVersion", a.schemaVersion());
      artifact.put("uri", a.uri());
      artifact.set("metadata", JsonValues.object(a.metadata()));
    }
    return node;
  }

  /**
   * f-string arguments compile to a constant holding placeholders of other inputs of the same task
   * (e.g. {@code "{{$.inputs.parameters['pipelinechannel--x-Output']}}-suffix"}); the launcher
   * substitutes them before the task sees its inputs.
   */
  static Map<String, JsonNode> resolveSelfReferences(Map<String, JsonNode> parameters) {
    Map<String, JsonNode> out = new LinkedHashMap<>(parameters);
    for (Map.Entry<String, JsonNode> e : parameters.entrySet()) {
      if (!e.getValue().isTextual() || !e.getValue().textValue().contains("{{$.inputs.parameters")) {
        continue;
      }
      String text = e.getValue().textValue();
      for (Placeholder p : Placeholders.scan(text).placeholders()) {
        if (p instanceof Placeholder.InputParameter ref && parameters.containsKey(ref.name())) {
          text = text.replace(p.text(), parameterText(ref, parameters.get(ref.name())));
        }
      }
      out.put(e.getKey(), NODES.textNode(text));
    }
    return out;
  }

  /** The command line: structural placeholders expanded, then every placeholder substituted. */
  public static List<String> commandLine(List<String> elements, Prepared prepared) {
    List<String> out = new ArrayList<>();
    for (String element : elements) {
      java.util.Optional<JsonNode> structure = Placeholders.structural(element);
      if (structure.isPresent()) {
        flatten(resolveStructure(structure.get(), prepared), out);
      } else {
        out.add(element);
      }
    }
    List<String> resolved = new ArrayList<>(out.size());
    for (String element : out) {
      resolved.add(substitute(element, prepared));
    }
    return resolved;
  }

  private static void flatten(Object value, List<String> out) {
    if (value instanceof String s) {
      out.add(s);
    } else if (value instanceof List<?> list) {
      list.forEach(v -> flatten(v, out));
    }
  }

  /** Concat gives a string, IfPresent its Then or Else (a string, a list, or nothing). */
  private static Object resolveStructure(JsonNode node, Prepared prepared) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isArray()) {
      List<Object> items = new ArrayList<>();
      node.forEach(n -> items.add(resolveStructure(n, prepared)));
      return items;
    }
    if (node.has("Concat")) {
      StringBuilder joined = new StringBuilder();
      for (JsonNode part : node.get("Concat")) {
        Object value = resolveStructure(part, prepared);
        if (value instanceof String s) {
          joined.append(s);
        } else if (value != null) {
          throw new IllegalArgumentException("a Concat placeholder holds a list: " + JsonValues.write(node));
        }
      }
      return joined.toString();
    }
    if (node.has("IfPresent")) {
      JsonNode spec = node.get("IfPresent");
      String input = spec.path("InputName").asText();
      JsonNode parameter = prepared.inputs().parameters().get(input);
      boolean present = (parameter != null && !parameter.isNull()) || prepared.inputs().artifacts().containsKey(input);
      return resolveStructure(present ? spec.get("Then") : spec.get("Else"), prepared);
    }
    throw new IllegalArgumentException("unknown structural placeholder " + JsonValues.write(node));
  }

  /** Substitutes every {@code {{$...}}} placeholder of one string. */
  public static String substitute(String element, Prepared prepared) {
    if (!element.contains("{{$")) {
      return element;
    }
    // One pass over the tokens, so a substituted value is never itself scanned for placeholders.
    java.util.regex.Matcher m = TOKEN.matcher(element);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      stopIfCanceled();
      List<Placeholder> parsed = Placeholders.scan(m.group()).placeholders();
      if (parsed.isEmpty()) {
        // An unknown token stays as written, as the launcher leaves it; an escape level beyond the
        // validator's limit is refused here too, for a pipeline that was never validated.
        java.util.Optional<String> tooDeep = Placeholders.escapeBeyondTheLimit(m.group());
        if (tooDeep.isPresent()) {
          throw new IllegalArgumentException("placeholder '" + io.kfpci.problem.Printable.escape(m.group())
              + "': " + tooDeep.get());
        }
      }
      String replacement = parsed.isEmpty() ? m.group() : value(parsed.get(0), prepared);
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** An input parameter's text, escaped by {@link Placeholders#jsonEscape} when the placeholder asks. */
  private static String parameterText(Placeholder.InputParameter param, JsonNode value) {
    String text = JsonValues.text(value);
    return param.jsonEscape().isPresent() ? Placeholders.jsonEscape(text, param.jsonEscape().get()) : text;
  }

  /** A canceled attempt's worker is interrupted: a long expansion stops instead of running on unseen. */
  private static void stopIfCanceled() {
    if (Thread.currentThread().isInterrupted()) {
      throw new java.util.concurrent.CancellationException("canceled while expanding placeholders");
    }
  }

  private static String value(Placeholder p, Prepared prepared) {
    Context ctx = prepared.context();
    if (p instanceof Placeholder.ExecutorInputJson) {
      return prepared.json();
    }
    if (p instanceof Placeholder.InputParameter param) {
      return parameterText(param, prepared.inputs().parameters().get(param.name()));
    }
    if (p instanceof Placeholder.InputArtifact artifact) {
      List<Artifact> list = prepared.inputs().artifacts().getOrDefault(artifact.name(), List.of());
      return artifactValue(list, artifact.attribute(), artifact.metadataKey().orElse(null));
    }
    if (p instanceof Placeholder.OutputParameterFile file) {
      Path path = prepared.outputParameterFiles().get(file.name());
      return path == null ? "" : path.toString();
    }
    if (p instanceof Placeholder.OutputArtifact artifact) {
      Artifact a = prepared.outputArtifacts().get(artifact.name());
      return artifactValue(a == null ? List.of() : List.of(a), artifact.attribute(), artifact.metadataKey().orElse(null));
    }
    if (p instanceof Placeholder.ExecutorOutputFile) {
      return prepared.outputFile().toString();
    }
    Placeholder.RunValue run = (Placeholder.RunValue) p;
    RunValues values = ctx.run();
    return switch (run.kind()) {
      case PIPELINE_JOB_NAME -> values.jobName();
      case PIPELINE_JOB_RESOURCE_NAME -> values.jobResourceName();
      case PIPELINE_JOB_UUID -> values.jobUuid();
      case PIPELINE_TASK_NAME -> ctx.taskName();
      case PIPELINE_TASK_UUID -> values.taskUuid(ctx.scopeId());
      case PIPELINE_ROOT -> ctx.pipelineRoot().toString();
      case PIPELINE_JOB_CREATE_TIME_UTC -> values.createTime();
      case PIPELINE_JOB_SCHEDULE_TIME_UTC -> values.scheduleTime();
      case WORKSPACE_PATH -> values.workspace().toString();
    };
  }

  private static String artifactValue(List<Artifact> list, Placeholder.ArtifactAttribute attribute, String key) {
    if (attribute == Placeholder.ArtifactAttribute.WHOLE) {
      return JsonValues.write(artifactList(list).get("artifacts"));
    }
    if (list.isEmpty()) {
      return "";
    }
    Artifact a = list.get(0);
    return switch (attribute) {
      case PATH -> localPath(a.uri());
      case URI -> a.uri();
      case METADATA -> JsonValues.write(JsonValues.object(a.metadata()));
      case METADATA_KEY -> JsonValues.text(a.metadata().get(key));
      case WHOLE -> throw new IllegalStateException("handled above");
    };
  }

  /** The path a component sees for a URI, with the SDK's mount mapping for remote stores. */
  static String localPath(String uri) {
    if (uri.startsWith("gs://")) {
      return "/gcs/" + uri.substring(5);
    }
    if (uri.startsWith("minio://")) {
      return "/minio/" + uri.substring(8);
    }
    if (uri.startsWith("s3://")) {
      return "/s3/" + uri.substring(5);
    }
    if (uri.startsWith("file://")) {
      return Path.of(java.net.URI.create(uri)).toString();
    }
    return uri;
  }
}
