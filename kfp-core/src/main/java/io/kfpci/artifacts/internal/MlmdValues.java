package io.kfpci.artifacts.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import io.kfpci.artifacts.internal.mlmd.Value;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * MLMD property values back to the JSON the SDK wrote. KFP's launcher ({@code toMLMDArtifact})
 * stores a number as double_value, a string as string_value, a bool as int_value 0/1, an object as
 * struct_value and a list as struct_value {@code {"list": [...]}}; this undoes the list wrapping
 * and writes integral numbers as integers (structs only hold doubles), so a confusion matrix reads
 * back as {@code [9, 1]}.
 */
public final class MlmdValues {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private MlmdValues() {
  }

  public static JsonNode toJson(Value value) {
    return switch (value.getValueCase()) {
      case INT_VALUE -> JSON.numberNode(value.getIntValue());
      case DOUBLE_VALUE -> number(value.getDoubleValue());
      case STRING_VALUE -> JSON.textNode(value.getStringValue());
      case BOOL_VALUE -> JSON.booleanNode(value.getBoolValue());
      case STRUCT_VALUE -> unwrapList(struct(value.getStructValue()));
      case VALUE_NOT_SET -> JSON.nullNode();
    };
  }

  /** The value as a scalar metric: doubles and ints (and bools as 0/1); nothing for the rest. */
  public static OptionalDouble toDouble(Value value) {
    return switch (value.getValueCase()) {
      case DOUBLE_VALUE -> OptionalDouble.of(value.getDoubleValue());
      case INT_VALUE -> OptionalDouble.of(value.getIntValue());
      case BOOL_VALUE -> OptionalDouble.of(value.getBoolValue() ? 1 : 0);
      default -> OptionalDouble.empty();
    };
  }

  private static JsonNode unwrapList(ObjectNode node) {
    if (node.size() == 1 && node.has("list") && node.get("list").isArray()) {
      return node.get("list");
    }
    return node;
  }

  private static ObjectNode struct(Struct struct) {
    ObjectNode node = JSON.objectNode();
    // Sorted: the wire order of a map is unspecified, and the same artifact should read the same.
    for (Map.Entry<String, com.google.protobuf.Value> field : new TreeMap<>(struct.getFieldsMap()).entrySet()) {
      node.set(field.getKey(), value(field.getValue()));
    }
    return node;
  }

  private static ArrayNode list(ListValue list) {
    ArrayNode node = JSON.arrayNode();
    for (com.google.protobuf.Value v : list.getValuesList()) {
      node.add(value(v));
    }
    return node;
  }

  private static JsonNode value(com.google.protobuf.Value v) {
    return switch (v.getKindCase()) {
      case NULL_VALUE, KIND_NOT_SET -> JSON.nullNode();
      case NUMBER_VALUE -> number(v.getNumberValue());
      case STRING_VALUE -> JSON.textNode(v.getStringValue());
      case BOOL_VALUE -> JSON.booleanNode(v.getBoolValue());
      case STRUCT_VALUE -> struct(v.getStructValue());
      case LIST_VALUE -> list(v.getListValue());
    };
  }

  private static JsonNode number(double d) {
    if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 9.007199254740992E15) {
      return JSON.numberNode((long) d);
    }
    return JSON.numberNode(d);
  }
}
