package io.kfpci.emulator.internal;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every exchange checked against the official KFP v2beta1 swagger (kfp_api_single_file.swagger.json)
 * with Atlassian's swagger-request-validator, which reads Swagger 2.0 and, as it should, treats a
 * property the schema does not declare as an error.
 *
 * <p>One level is lowered on purpose: the swagger declares a global {@code authorization} API key,
 * but the server only asks for one when authentication is on, and the SDK sends none without a
 * token; the emulator checks bearer tokens itself when told to ({@code requireBearerToken}).
 *
 * <p>What the validator does not look at: multipart bodies (the upload handlers check the
 * {@code uploadfile} part themselves, as the server does) and the routes outside the v2beta1 swagger
 * (the v1 run and log endpoints). A body sent to a route that takes none (POST {@code :terminate}
 * with {@code {}}) is a violation: the swagger declares none, though grpc-gateway would ignore it.
 *
 * <p>Thread-safe: the validator is immutable once built.
 */
public final class SwaggerCheck {
  public static final String SPEC_FILE = "kfp_api_single_file.swagger.json";
  private static final String ANY_VALUE = "x-kfp-emulator-any-value";
  private final OpenApiInteractionValidator validator;

  public SwaggerCheck(Path swaggerDir) throws IOException {
    JsonNode tree = Json.MAPPER.readTree(Files.readString(swaggerDir.resolve(SPEC_FILE), StandardCharsets.UTF_8));
    openStructs(tree);
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult parsed = new OpenAPIParser().readContents(Json.MAPPER.writeValueAsString(tree), null, options);
    OpenAPI api = parsed.getOpenAPI();
    if (api == null) {
      throw new IOException("the swagger does not parse: " + parsed.getMessages());
    }
    if (api.getComponents() != null && api.getComponents().getSchemas() != null) {
      api.getComponents().getSchemas().values().forEach(schema -> untype(schema, 0));
    }
    LevelResolver levels = LevelResolver.create()
        .withLevel("validation.request.security.missing", ValidationReport.Level.IGNORE)
        .build();
    this.validator = OpenApiInteractionValidator.createFor(api)
        .withLevelResolver(levels)
        .build();
  }

  /**
   * protoc-gen-openapiv2 writes google.protobuf.Struct fields (pipeline_spec, plugins_output values,
   * a parameter's Value) as a bare {@code {"type":"object"}}, which means "any JSON object"; the
   * validator would otherwise read it as "an object with no properties". Saying so explicitly
   * ({@code additionalProperties: true}) keeps every declared message strict and Structs open.
   * Query-free: only schemas change, never a path, a parameter or a declared property.
   */
  private static void openStructs(JsonNode node) {
    if (node instanceof ObjectNode object) {
      if ("object".equals(object.path("type").asText()) && !object.has("properties")
          && !object.has("additionalProperties")) {
        object.put("additionalProperties", true);
      }
      // An empty schema (google.protobuf.Value, protobufAny's extra fields) means "any JSON value";
      // the Swagger 2 to OpenAPI 3 conversion would turn it into "an object".
      JsonNode additional = object.get("additionalProperties");
      if (additional != null && additional.isObject() && additional.isEmpty()) {
        object.put("additionalProperties", true);
      }
      // A property with an empty schema is a google.protobuf.Value (MetadataValue.value): any JSON value.
      // The conversion to OpenAPI 3 would make it "an object"; the mark lets untype() undo that.
      JsonNode properties = object.get("properties");
      if (properties != null && properties.isObject()) {
        properties.properties().forEach(property -> {
          if (property.getValue().isObject() && property.getValue().isEmpty()) {
            ((ObjectNode) property.getValue()).put(ANY_VALUE, true);
          }
        });
      }
      object.forEach(SwaggerCheck::openStructs);
    } else if (node.isArray()) {
      node.forEach(SwaggerCheck::openStructs);
    }
  }

  /** Violations of the request (empty when it conforms). Query values are already URL-decoded. */
  public List<String> checkRequest(String method, String path, Map<String, List<String>> query,
      String contentType, byte[] body, Map<String, List<String>> headers) {
    SimpleRequest.Builder request = new SimpleRequest.Builder(method, path);
    query.forEach(request::withQueryParam);
    headers.forEach((name, values) -> {
      // The validator only needs the content headers; never hand it credentials.
      if (!name.equalsIgnoreCase("authorization") && !name.equalsIgnoreCase("cookie")) {
        request.withHeader(name, values);
      }
    });
    if (contentType != null) {
      request.withContentType(contentType);
    }
    if (body != null && body.length > 0) {
      request.withBody(body);
    }
    return messages(validator.validateRequest(request.build()));
  }

  /** Violations of the response to {@code method path}. */
  public List<String> checkResponse(String method, String path, int status, String contentType, byte[] body) {
    SimpleResponse.Builder response = new SimpleResponse.Builder(status).withContentType(contentType);
    if (body != null && body.length > 0) {
      response.withBody(body);
    }
    return messages(validator.validateResponse(path, Request.Method.valueOf(method.toUpperCase(java.util.Locale.ROOT)),
        response.build()));
  }

  /** Removes the type the conversion gave to schemas marked as "any JSON value". */
  @SuppressWarnings("rawtypes")
  private static void untype(Schema schema, int depth) {
    if (schema == null || depth > 20) {
      return;
    }
    if (schema.getExtensions() != null && Boolean.TRUE.equals(schema.getExtensions().get(ANY_VALUE))) {
      schema.setType(null);
      schema.setTypes(null);
    }
    if (schema.getProperties() != null) {
      for (Object property : schema.getProperties().values()) {
        untype((Schema) property, depth + 1);
      }
    }
    untype(schema.getItems(), depth + 1);
    if (schema.getAdditionalProperties() instanceof Schema additional) {
      untype(additional, depth + 1);
    }
  }

  private static List<String> messages(ValidationReport report) {
    List<String> out = new ArrayList<>();
    for (ValidationReport.Message message : report.getMessages()) {
      if (message.getLevel() == ValidationReport.Level.ERROR) {
        String parameter = message.getContext().flatMap(ValidationReport.MessageContext::getParameter)
            .map(p -> " (" + p.getIn() + " parameter " + p.getName() + ")").orElse("");
        out.add(message.getKey() + ": " + message.getMessage() + parameter);
      }
    }
    return out;
  }
}
