package io.kfpci.local.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.kfpci.ir.proto.ParameterType.ParameterTypeEnum;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Conversions between the IR's protobuf values and JSON, with the launcher's typing rules: numbers
 * are doubles in protobuf, so a NUMBER_INTEGER parameter is turned back into a whole number (as
 * kfp.local and the KFP launcher do) and a NUMBER_DOUBLE one stays a double. Stateless.
 */
public final class JsonValues {
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonValues() {}

  public static JsonNode of(Value value) {
    return switch (value.getKindCase()) {
      case NULL_VALUE, KIND_NOT_SET -> NODES.nullNode();
      case NUMBER_VALUE -> NODES.numberNode(value.getNumberValue());
      case STRING_VALUE -> NODES.textNode(value.getStringValue());
      case BOOL_VALUE -> NODES.booleanNode(value.getBoolValue());
      case STRUCT_VALUE -> of(value.getStructValue());
      case LIST_VALUE -> of(value.getListValue());
    };
  }

  public static ObjectNode of(Struct struct) {
    ObjectNode out = NODES.objectNode();
    struct.getFieldsMap().forEach((k, v) -> out.set(k, of(v)));
    return out;
  }

  private static ArrayNode of(ListValue list) {
    ArrayNode out = NODES.arrayNode();
    list.getValuesList().forEach(v -> out.add(of(v)));
    return out;
  }

  /** The value as the declared parameter type wants it (whole numbers for NUMBER_INTEGER). */
  public static JsonNode typed(JsonNode value, ParameterTypeEnum type) {
    if (value == null || !value.isNumber()) {
      return value;
    }
    if (type == ParameterTypeEnum.NUMBER_INTEGER && value.asDouble() == Math.rint(value.asDouble())
        && !Double.isInfinite(value.asDouble())) {
      return NODES.numberNode(value.asLong());
    }
    if (type == ParameterTypeEnum.NUMBER_DOUBLE && !value.isFloatingPointNumber()) {
      return NODES.numberNode(value.asDouble());
    }
    return value;
  }

  /** A placeholder's text for a value: strings as they are, everything else as compact JSON. */
  public static String text(JsonNode value) {
    if (value == null || value.isNull()) {
      return "null";
    }
    return value.isTextual() ? value.textValue() : write(value);
  }

  public static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("JSON trees always serialise", e);
    }
  }

  /** Sorted-key JSON, for fingerprints that must not depend on map order. */
  public static String canonical(JsonNode value) {
    return write(sorted(value));
  }

  private static JsonNode sorted(JsonNode value) {
    if (value.isObject()) {
      ObjectNode out = NODES.objectNode();
      Iterator<String> names = value.fieldNames();
      java.util.List<String> keys = new java.util.ArrayList<>();
      names.forEachRemaining(keys::add);
      keys.sort(null);
      for (String k : keys) {
        out.set(k, sorted(value.get(k)));
      }
      return out;
    }
    if (value.isArray()) {
      ArrayNode out = NODES.arrayNode();
      value.forEach(v -> out.add(sorted(v)));
      return out;
    }
    return value;
  }

  public static ObjectNode object(Map<String, JsonNode> map) {
    ObjectNode out = NODES.objectNode();
    map.forEach(out::set);
    return out;
  }

  public static Map<String, JsonNode> map(JsonNode object) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (object != null && object.isObject()) {
      object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    }
    return out;
  }

  /**
   * Reads a parameter output file the way the launcher does: STRING as written, BOOLEAN from
   * true/True/false/False, every other type as JSON.
   */
  public static JsonNode readOutputFile(String text, ParameterTypeEnum type) {
    if (type == ParameterTypeEnum.STRING) {
      return NODES.textNode(text);
    }
    try {
      String source = type == ParameterTypeEnum.BOOLEAN ? text.strip().toLowerCase(java.util.Locale.ROOT) : text;
      return typed(JSON.readTree(source), type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("is not valid JSON for a " + type + " output: " + abbreviate(text));
    }
  }

  static String abbreviate(String s) {
    String one = s.replace('\n', ' ');
    return one.length() <= 80 ? one : one.substring(0, 77) + "...";
  }
}
