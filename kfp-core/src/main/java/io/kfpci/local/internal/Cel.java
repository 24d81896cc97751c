package io.kfpci.local.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructTypeReference;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.kfpci.ir.proto.ArtifactList;
import io.kfpci.ir.proto.ArtifactTypeSchema;
import io.kfpci.ir.proto.ExecutorInput;
import io.kfpci.ir.proto.RuntimeArtifact;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CEL the way the KFP driver uses it (backend/src/v2/expression): trigger conditions are evaluated
 * with the task's ExecutorInput as the context proto, so {@code inputs.parameter_values['x']} is a
 * {@code google.protobuf.Value} (numbers are doubles, hence the SDK's {@code int(...)} casts); loop
 * item selectors run over a {@code google.protobuf.Value}'s fields, with {@code string_value}
 * always holding the value as JSON and a {@code parseJson(string)} function. Compiled
 * expressions are cached; thread-safe.
 */
public final class Cel {
  private static final String PARSE_JSON = "parse_json";
  private static final CelFunctionDecl PARSE_JSON_DECL = CelFunctionDecl.newFunctionDeclaration("parseJson",
      CelOverloadDecl.newGlobalOverload(PARSE_JSON, SimpleType.DYN, SimpleType.STRING));
  private static final CelFunctionBinding PARSE_JSON_BINDING =
      CelFunctionBinding.from(PARSE_JSON, String.class, Cel::parseJson);

  private static final CelCompiler CONDITIONS = CelCompilerFactory.standardCelCompilerBuilder()
      .addMessageTypes(ExecutorInput.getDescriptor())
      .addVar("inputs", StructTypeReference.create(ExecutorInput.Inputs.getDescriptor().getFullName()))
      .addVar("outputs", StructTypeReference.create(ExecutorInput.Outputs.getDescriptor().getFullName()))
      .addFunctionDeclarations(PARSE_JSON_DECL)
      .build();
  private static final CelCompiler SELECTORS = CelCompilerFactory.standardCelCompilerBuilder()
      .addVar("string_value", SimpleType.STRING)
      .addVar("number_value", SimpleType.DOUBLE)
      .addVar("bool_value", SimpleType.BOOL)
      .addVar("null_value", SimpleType.NULL_TYPE)
      .addVar("struct_value", StructTypeReference.create("google.protobuf.Struct"))
      .addVar("list_value", StructTypeReference.create("google.protobuf.ListValue"))
      .addFunctionDeclarations(PARSE_JSON_DECL)
      .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
      .addMessageTypes(ExecutorInput.getDescriptor())
      .addFunctionBindings(PARSE_JSON_BINDING)
      .build();

  private static final Map<String, CelRuntime.Program> CONDITION_PROGRAMS = new ConcurrentHashMap<>();
  private static final Map<String, CelRuntime.Program> SELECTOR_PROGRAMS = new ConcurrentHashMap<>();

  private Cel() {}

  /**
   * Builds CEL's environments and evaluates a trivial condition, which takes most of a second on a
   * cold JVM. The runner calls it on a spare thread while it loads the pipeline, so the first real
   * condition of a run does not pay for it.
   */
  public static void warmUp() {
    try {
      condition("inputs.parameter_values['x'] == 'x'", Map.of("x", JsonValues.JSON.getNodeFactory().textNode("x")),
          Map.of());
    } catch (CelException e) {
      throw new IllegalStateException("a constant condition always evaluates", e);
    }
  }

  /** A condition or selector that does not compile or does not evaluate; the message says why. */
  public static final class CelException extends Exception {
    private static final long serialVersionUID = 1L;

    CelException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Evaluates a trigger condition over a task's resolved inputs. A missing input or a non-bool
   * result is an error, as in the driver.
   */
  public static boolean condition(String expression, Map<String, JsonNode> parameters,
      Map<String, List<Artifact>> artifacts) throws CelException {
    ExecutorInput.Inputs.Builder inputs = ExecutorInput.Inputs.newBuilder();
    parameters.forEach((name, value) -> inputs.putParameterValues(name, toValue(value)));
    artifacts.forEach((name, list) -> {
      ArtifactList.Builder artifactList = ArtifactList.newBuilder();
      for (Artifact a : list) {
        artifactList.addArtifacts(RuntimeArtifact.newBuilder().setName(a.name()).setUri(a.uri())
            .setType(ArtifactTypeSchema.newBuilder().setSchemaTitle(a.schemaTitle()).setSchemaVersion(a.schemaVersion()))
            .setMetadata(toStruct(JsonValues.object(a.metadata()))));
      }
      inputs.putArtifacts(name, artifactList.build());
    });
    Object result = evaluate(CONDITION_PROGRAMS, CONDITIONS, expression,
        Map.of("inputs", inputs.build(), "outputs", ExecutorInput.Outputs.getDefaultInstance()));
    if (!(result instanceof Boolean)) {
      throw new CelException("condition '" + expression + "' is not a bool: " + result, null);
    }
    return (Boolean) result;
  }

  /** Applies a parameter expression selector (a ParallelFor item field) to a value. */
  public static JsonNode select(JsonNode value, String expression) throws CelException {
    Value proto = toValue(value);
    Map<String, Object> vars = new java.util.HashMap<>();
    switch (proto.getKindCase()) {
      case NUMBER_VALUE -> vars.put("number_value", proto.getNumberValue());
      case BOOL_VALUE -> vars.put("bool_value", proto.getBoolValue());
      case STRUCT_VALUE -> vars.put("struct_value", proto.getStructValue());
      case LIST_VALUE -> vars.put("list_value", proto.getListValue());
      case NULL_VALUE -> vars.put("null_value", com.google.protobuf.NullValue.NULL_VALUE);
      default -> { }
    }
    // The driver always offers the value as JSON text, whatever its kind.
    vars.put("string_value", JsonValues.text(value));
    Object result = evaluate(SELECTOR_PROGRAMS, SELECTORS, expression, vars);
    return toJson(result);
  }

  private static Object evaluate(Map<String, CelRuntime.Program> cache, CelCompiler compiler, String expression,
      Map<String, Object> vars) throws CelException {
    CelRuntime.Program program = cache.get(expression);
    if (program == null) {
      try {
        CelAbstractSyntaxTree ast = compiler.compile(expression).getAst();
        program = RUNTIME.createProgram(ast);
      } catch (CelValidationException | CelEvaluationException e) {
        throw new CelException("'" + expression + "' does not compile: " + e.getMessage(), e);
      }
      cache.put(expression, program);
    }
    try {
      return program.eval(vars);
    } catch (CelEvaluationException e) {
      throw new CelException("'" + expression + "' cannot be evaluated: " + e.getMessage(), e);
    }
  }

  static Value toValue(JsonNode json) {
    Value.Builder builder = Value.newBuilder();
    try {
      JsonFormat.parser().merge(json == null ? "null" : JsonValues.write(json), builder);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("every JSON value is a protobuf Value", e);
    }
    return builder.build();
  }

  private static Struct toStruct(JsonNode json) {
    Struct.Builder builder = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(JsonValues.write(json), builder);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("every JSON object is a protobuf Struct", e);
    }
    return builder.build();
  }

  private static Object parseJson(String text) {
    try {
      return toValue(JsonValues.JSON.readTree(text));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("parseJson: not JSON: " + JsonValues.abbreviate(text), e);
    }
  }

  private static JsonNode toJson(Object result) {
    if (result instanceof Message message) {
      try {
        return JsonValues.JSON.readTree(JsonFormat.printer().print(message));
      } catch (InvalidProtocolBufferException | com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("a CEL result prints as JSON", e);
      }
    }
    if (result instanceof com.google.protobuf.NullValue || result instanceof dev.cel.common.values.NullValue) {
      return JsonValues.JSON.nullNode();
    }
    return JsonValues.JSON.valueToTree(result);
  }
}
