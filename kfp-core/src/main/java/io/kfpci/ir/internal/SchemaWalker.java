package io.kfpci.ir.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Duration;
import com.google.protobuf.FieldMask;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.kfpci.ir.FieldPath;
import io.kfpci.problem.Problem;
import io.kfpci.problem.Rule;
import io.kfpci.problem.SourcePosition;
import io.kfpci.problem.Suggestions;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Checks a JSON tree against a protobuf message schema as strictly as the KFP API server's protojson
 * (DiscardUnknown false): unknown fields, and values of the wrong JSON type, become problems that
 * name the field, its line and the closest known field. While walking it also records the position
 * of every node under its canonical path (lowerCamel JSON names), whatever spelling the file used.
 */
final class SchemaWalker {
  private static final Set<String> OPAQUE_TYPES = Set.of(
      "google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue",
      "google.protobuf.Any", "google.protobuf.Timestamp", "google.protobuf.Duration",
      "google.protobuf.FieldMask");
  /** Well-known types with a string form of their own ("30s", RFC 3339), checked by protojson. */
  private static final Map<String, Supplier<Message.Builder>> STRING_FORMS = Map.of(
      "google.protobuf.Duration", Duration::newBuilder,
      "google.protobuf.Timestamp", Timestamp::newBuilder,
      "google.protobuf.FieldMask", FieldMask::newBuilder);
  private static final JsonFormat.Parser PROTO_JSON = JsonFormat.parser();
  private static final Map<Descriptor, Map<String, FieldDescriptor>> FIELDS_BY_NAME =
      new ConcurrentHashMap<>();

  private final String file;
  private final Map<FieldPath, SourcePosition> rawPositions;
  private final Map<FieldPath, SourcePosition> canonicalPositions;
  private final List<Problem> problems = new ArrayList<>();
  private FieldPath typedSeparately;
  /** Whether messages may quote values; only once the document is clearly a pipeline. */
  private boolean quoteValues = true;

  SchemaWalker(String file, Map<FieldPath, SourcePosition> rawPositions,
      Map<FieldPath, SourcePosition> canonicalPositions) {
    this.file = file;
    this.rawPositions = rawPositions;
    this.canonicalPositions = canonicalPositions;
  }

  /**
   * A free-form field that is also walked with its real type (deploymentSpec, a Struct in the IR),
   * so its values are checked once, by that walk.
   */
  void typedSeparately(FieldPath canonical) {
    this.typedSeparately = canonical;
  }

  /**
   * Whether type errors may quote the wrong value. A document with a single pipeline field (say
   * "root: s3cret", a password file) is still checked, but its values stay unprinted.
   */
  void quoteValues(boolean quote) {
    this.quoteValues = quote;
  }

  List<Problem> problems() {
    return problems;
  }

  /** Walks {@code node}, found at {@code raw} in the file, as message {@code type}. */
  void walkMessage(JsonNode node, Descriptor type, FieldPath raw, FieldPath canonical) {
    record(raw, canonical);
    if (node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      typeError(raw, canonical, "an object (" + type.getName() + ")", node);
      return;
    }
    Map<String, FieldDescriptor> fields = fieldsByName(type);
    Map<FieldDescriptor, String> seen = new java.util.HashMap<>();
    Map<com.google.protobuf.Descriptors.OneofDescriptor, String> oneofs = new java.util.HashMap<>();
    for (Map.Entry<String, JsonNode> member : node.properties()) {
      String key = member.getKey();
      FieldDescriptor field = fields.get(key);
      FieldPath rawChild = raw.key(key);
      if (field != null && seen.putIfAbsent(field, key) != null) {
        // protojson accepts both spellings of a name, but not both at once.
        problems.add(Problem.error(Rule.FIELD_TYPE, at(rawChild), canonical.key(field.getJsonName()).toString(),
            "'" + key + "' and '" + seen.get(field) + "' are the same field of " + type.getName(),
            "keep one of the two"));
        continue;
      }
      var oneof = field == null ? null : field.getRealContainingOneof();
      if (oneof != null && !member.getValue().isNull()) {
        String other = oneofs.putIfAbsent(oneof, key);
        if (other != null) {
          problems.add(Problem.error(Rule.FIELD_TYPE, at(rawChild), canonical.key(field.getJsonName()).toString(),
              "'" + key + "' and '" + other + "' cannot both be set: " + type.getName() + " takes one of "
                  + oneof.getFields().stream().map(FieldDescriptor::getJsonName).collect(Collectors.joining(", ")),
              "keep one of the two"));
          continue;
        }
      }
      if (field == null) {
        Set<String> known = type.getFields().stream()
            .map(FieldDescriptor::getJsonName).collect(Collectors.toCollection(java.util.TreeSet::new));
        String suggestion = Suggestions.didYouMean(key, known);
        problems.add(Problem.error(Rule.UNKNOWN_FIELD, at(rawChild), canonical.key(key).toString(),
            "unknown field '" + key + "' in " + type.getName()
                + (suggestion.isEmpty() ? "" : "; " + suggestion),
            "known fields of " + type.getName() + ": " + String.join(", ", known)));
        continue;
      }
      walkField(member.getValue(), field, rawChild, canonical.key(field.getJsonName()));
    }
  }

  private void walkField(JsonNode value, FieldDescriptor field, FieldPath raw, FieldPath canonical) {
    record(raw, canonical);
    if (value.isNull()) {
      return;
    }
    if (field.isMapField()) {
      if (!value.isObject()) {
        typeError(raw, canonical, "a map (object)", value);
        return;
      }
      FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
      for (Map.Entry<String, JsonNode> entry : value.properties()) {
        FieldPath rawEntry = raw.key(entry.getKey());
        FieldPath canonicalEntry = canonical.key(entry.getKey());
        if (entry.getValue().isNull() && !acceptsNull(valueField)) {
          record(rawEntry, canonicalEntry);
          typeError(rawEntry, canonicalEntry, expected(valueField), entry.getValue());
          continue;
        }
        walkSingle(entry.getValue(), valueField, rawEntry, canonicalEntry);
      }
    } else if (field.isRepeated()) {
      if (!value.isArray()) {
        typeError(raw, canonical, "a list", value);
        return;
      }
      for (int i = 0; i < value.size(); i++) {
        if (value.get(i).isNull() && !acceptsNull(field)) {
          record(raw.index(i), canonical.index(i));
          typeError(raw.index(i), canonical.index(i), expected(field), value.get(i));
          continue;
        }
        walkSingle(value.get(i), field, raw.index(i), canonical.index(i));
      }
    } else {
      walkSingle(value, field, raw, canonical);
    }
  }

  private void walkSingle(JsonNode value, FieldDescriptor field, FieldPath raw, FieldPath canonical) {
    record(raw, canonical);
    if (value.isNull()) {
      return;
    }
    switch (field.getJavaType()) {
      case MESSAGE -> {
        Descriptor type = field.getMessageType();
        if (OPAQUE_TYPES.contains(type.getFullName())) {
          recordSubtree(value, raw, canonical, !canonical.equals(typedSeparately));
          if (type.getFullName().equals("google.protobuf.Struct") && !value.isObject()) {
            typeError(raw, canonical, "an object", value);
          } else if (type.getFullName().equals("google.protobuf.ListValue") && !value.isArray()) {
            typeError(raw, canonical, "a list", value);
          }
          checkStringForm(value, type, raw, canonical);
          return;
        }
        walkMessage(value, type, raw, canonical);
      }
      case STRING, BYTE_STRING -> {
        if (!value.isTextual()) {
          typeError(raw, canonical, "a string", value);
        }
      }
      case BOOLEAN -> {
        if (!value.isBoolean()) {
          typeError(raw, canonical, "true or false", value);
        }
      }
      case INT, LONG -> {
        if (!(value.isIntegralNumber() || (value.isTextual() && value.asText().matches("-?\\d+")))) {
          typeError(raw, canonical, "an integer", value);
        } else if (value.asText().length() > 40 || !inRange(new BigInteger(value.asText()), field)) {
          typeError(raw, canonical, "an integer that fits " + field.getType().name().toLowerCase(Locale.ROOT),
              value);
        }
      }
      case FLOAT, DOUBLE -> {
        if (!(value.isNumber() || (value.isTextual() && isNumberText(value.asText())))) {
          typeError(raw, canonical, "a number", value);
        }
      }
      case ENUM -> {
        if (value.isTextual() && field.getEnumType().findValueByName(value.asText()) == null) {
          List<String> names = field.getEnumType().getValues().stream()
              .map(EnumValueDescriptor::getName).toList();
          String suggestion = Suggestions.didYouMean(value.asText(), names);
          problems.add(Problem.error(Rule.FIELD_TYPE, at(raw), canonical.toString(),
              "'" + value.asText() + "' is not a " + field.getEnumType().getName()
                  + (suggestion.isEmpty() ? "" : "; " + suggestion),
              "use one of " + String.join(", ", names)));
        } else if (!value.isTextual() && !value.isIntegralNumber()) {
          typeError(raw, canonical, "an enum name", value);
        } else if (value.isIntegralNumber() && (!value.canConvertToInt()
            || field.getEnumType().findValueByNumber(value.intValue()) == null)) {
          // protojson would keep an unknown number as UNRECOGNIZED; no KFP code knows what it means.
          List<String> names = field.getEnumType().getValues().stream()
              .map(EnumValueDescriptor::getName).toList();
          problems.add(Problem.error(Rule.FIELD_TYPE, at(raw), canonical.toString(),
              abbreviate(value.asText()) + " is not a " + field.getEnumType().getName() + " value",
              "use one of " + String.join(", ", names)));
        }
      }
    }
  }

  /** Free-form values (Struct and friends) still get positions, for checks that look inside. */
  private void recordSubtree(JsonNode value, FieldPath raw, FieldPath canonical, boolean checkNumbers) {
    record(raw, canonical);
    if (checkNumbers && value.isBigInteger() && !Double.isFinite(value.doubleValue())) {
      // A google.protobuf.Value number is a finite double: protojson reads a bigger integer as
      // infinity, which it then cannot print. (Non-finite floats are written as strings.)
      typeError(raw, canonical, "a number within the range of a double", value);
    }
    if (value.isObject()) {
      for (Map.Entry<String, JsonNode> e : value.properties()) {
        recordSubtree(e.getValue(), raw.key(e.getKey()), canonical.key(e.getKey()), checkNumbers);
      }
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        recordSubtree(value.get(i), raw.index(i), canonical.index(i), checkNumbers);
      }
    }
  }

  /** The range of the field's protobuf integer type, which protojson enforces. */
  private static boolean inRange(BigInteger value, FieldDescriptor field) {
    BigInteger min;
    BigInteger max;
    switch (field.getType()) {
      case UINT32, FIXED32 -> {
        min = BigInteger.ZERO;
        max = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);
      }
      case UINT64, FIXED64 -> {
        min = BigInteger.ZERO;
        max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
      }
      case INT64, SINT64, SFIXED64 -> {
        min = BigInteger.valueOf(Long.MIN_VALUE);
        max = BigInteger.valueOf(Long.MAX_VALUE);
      }
      default -> {
        min = BigInteger.valueOf(Integer.MIN_VALUE);
        max = BigInteger.valueOf(Integer.MAX_VALUE);
      }
    }
    return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
  }

  /** A Duration, Timestamp or FieldMask must be the string protojson reads, e.g. "30s". */
  private void checkStringForm(JsonNode value, Descriptor type, FieldPath raw, FieldPath canonical) {
    Supplier<Message.Builder> builder = STRING_FORMS.get(type.getFullName());
    if (builder == null) {
      return;
    }
    try {
      PROTO_JSON.merge(value.toString(), builder.get());
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      // protojson rejects a bad form with either, depending on the type.
      String name = String.valueOf(canonical.segments().get(canonical.segments().size() - 1));
      problems.add(Problem.error(Rule.FIELD_TYPE, at(raw), canonical.toString(), "'" + name + "' must be a "
          + type.getName() + " such as " + example(type) + ", not " + describe(value), ""));
    }
  }

  private static String example(Descriptor type) {
    return switch (type.getName()) {
      case "Duration" -> "\"30s\"";
      case "Timestamp" -> "\"2024-01-31T12:00:00Z\"";
      default -> "\"a,b.c\"";
    };
  }

  private static boolean isNumberText(String text) {
    if (text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity")) {
      return true;
    }
    try {
      Double.parseDouble(text);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private void typeError(FieldPath raw, FieldPath canonical, String expected, JsonNode actual) {
    String name = canonical.segments().isEmpty() ? "document"
        : String.valueOf(canonical.segments().get(canonical.segments().size() - 1));
    problems.add(Problem.error(Rule.FIELD_TYPE, at(raw), canonical.toString(),
        "'" + name + "' must be " + expected + ", not " + (quoteValues ? describe(actual) : kind(actual)), ""));
  }

  /** The kind of a value without the value: for a file that may not be a pipeline at all. */
  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> "an object";
      case ARRAY -> "a list";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  /** Null stands for "unset" except as an element of a list or map, where only a Value may be null. */
  private static boolean acceptsNull(FieldDescriptor field) {
    return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && field.getMessageType().getFullName().equals("google.protobuf.Value");
  }

  private static String expected(FieldDescriptor field) {
    return switch (field.getJavaType()) {
      case MESSAGE -> "an object (" + field.getMessageType().getName() + ")";
      case STRING, BYTE_STRING -> "a string";
      case BOOLEAN -> "true or false";
      case INT, LONG -> "an integer";
      case FLOAT, DOUBLE -> "a number";
      case ENUM -> "an enum name";
    };
  }

  private static String describe(JsonNode node) {
    if (node.isNull()) {
      return "null";
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isTextual()) {
      return "the string \"" + abbreviate(node.asText()) + "\"";
    }
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + abbreviate(node.toString());
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  private SourcePosition at(FieldPath raw) {
    SourcePosition position = rawPositions.get(raw);
    return position != null ? position : new SourcePosition(file, 1, 1);
  }

  private void record(FieldPath raw, FieldPath canonical) {
    SourcePosition position = rawPositions.get(raw);
    if (position != null) {
      canonicalPositions.putIfAbsent(canonical, position);
    }
  }

  /** Fields by both proto name and JSON name: protojson accepts either spelling on input. */
  private static Map<String, FieldDescriptor> fieldsByName(Descriptor type) {
    return FIELDS_BY_NAME.computeIfAbsent(type, t -> {
      Map<String, FieldDescriptor> byName = new java.util.HashMap<>();
      for (FieldDescriptor f : t.getFields()) {
        byName.put(f.getName(), f);
        byName.put(f.getJsonName(), f);
      }
      return Map.copyOf(byName);
    });
  }
}
