package io.kfpci.emulator.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads request bodies the way the gateway's protojson unmarshaler does ({@code DiscardUnknown:
 * false}): a field the message does not have is a 400 naming it and its position; lowerCamel names
 * are accepted and become the proto (snake_case) names; an int64 given as a JSON number becomes its
 * canonical string; Struct and map values pass through as they are. The swagger check then sees
 * the request as the server understood it. The message layouts come from the swagger's definitions, so the emulator knows exactly the
 * fields the official API has.
 */
public final class ProtoRequests {
  private final JsonNode definitions;

  public ProtoRequests(Path swaggerDir) throws IOException {
    this.definitions = Json.MAPPER.readTree(Files.readString(swaggerDir.resolve(SwaggerCheck.SPEC_FILE),
        StandardCharsets.UTF_8)).path("definitions");
  }

  /** The body as the named definition (e.g. "v2beta1Run"), normalised to proto names. */
  public ObjectNode parse(byte[] body, String definition) throws ApiError {
    String text = new String(body, StandardCharsets.UTF_8);
    JsonNode tree;
    try (JsonParser parser = Json.MAPPER.createParser(text)) {
      tree = Json.MAPPER.readTree(parser);
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
      long column = e.getLocation() == null ? 1 : e.getLocation().getColumnNr();
      throw ApiError.gateway(400, 3, "proto: syntax error (line " + line + ":" + column + "): "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiError.gateway(400, 3, "proto: " + e.getMessage());
    }
    if (tree == null || tree.isMissingNode()) {
      throw ApiError.gateway(400, 3, "unexpected EOF");
    }
    if (!tree.isObject()) {
      throw ApiError.gateway(400, 3, "proto: syntax error (line 1:1): unexpected token " + tree);
    }
    return (ObjectNode) normalise(tree, ref(definition), text);
  }

  private JsonNode ref(String definition) {
    JsonNode schema = definitions.path(definition);
    if (schema.isMissingNode()) {
      throw new IllegalStateException("the swagger has no definition " + definition);
    }
    return schema;
  }

  private JsonNode resolve(JsonNode schema) {
    if (schema.has("$ref")) {
      String name = schema.get("$ref").asText().replace("#/definitions/", "");
      return ref(name);
    }
    return schema;
  }

  private JsonNode normalise(JsonNode value, JsonNode schema, String text) throws ApiError {
    schema = resolve(schema);
    if (value.isObject() && schema.has("properties")) {
      ObjectNode out = Json.object();
      JsonNode properties = schema.get("properties");
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        String name = field.getKey();
        String proto = properties.has(name) ? name : Listing.snake(name);
        if (!properties.has(proto) || (!proto.equals(name) && !isLowerCamelOf(name, proto))) {
          throw ApiError.gateway(400, 3, "proto: (line " + position(text, name) + "): unknown field \"" + name + "\"");
        }
        if (field.getValue().isNull()) {
          continue;
        }
        out.set(proto, normalise(field.getValue(), properties.get(proto), text));
      }
      return out;
    }
    if (value.isObject() && schema.has("additionalProperties") && schema.get("additionalProperties").size() > 0) {
      ObjectNode out = Json.object();
      for (Map.Entry<String, JsonNode> entry : value.properties()) {
        out.set(entry.getKey(), normalise(entry.getValue(), schema.get("additionalProperties"), text));
      }
      return out;
    }
    String format = schema.path("format").asText("");
    if (value.isNumber() && "string".equals(schema.path("type").asText())
        && (format.equals("int64") || format.equals("uint64"))) {
      // protojson reads an int64 from a JSON number as well as from its canonical string (the SDK
      // sends max_concurrency as a number); what the server understood is the string.
      if (!value.canConvertToExactIntegral()) {
        throw ApiError.gateway(400, 3, "proto: invalid value for " + format + " field: " + value);
      }
      return com.fasterxml.jackson.databind.node.TextNode.valueOf(value.bigIntegerValue().toString());
    }
    if (value.isArray() && schema.has("items")) {
      ArrayNode out = Json.array();
      for (JsonNode item : value) {
        out.add(normalise(item, schema.get("items"), text));
      }
      return out;
    }
    return value;
  }

  private static boolean isLowerCamelOf(String name, String proto) {
    return Listing.snake(name).equals(proto) && !name.contains("_");
  }

  /** "line:column" of the first occurrence of a field name, as protojson reports it. */
  private static String position(String text, String field) {
    try (JsonParser parser = Json.MAPPER.createParser(text)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.FIELD_NAME && parser.currentName().equals(field)) {
          var at = parser.currentTokenLocation();
          return at.getLineNr() + ":" + at.getColumnNr();
        }
      }
    } catch (IOException e) {
      return "1:1";
    }
    return "1:1";
  }
}
