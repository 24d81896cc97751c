package io.kfpci.emulator.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * List options the way the server's list.go reads them: a {@code filter} (URL-encoded JSON Filter,
 * strictly parsed), {@code sort_by} ("field", "field asc", "field desc"; default created_at
 * ascending), {@code page_size} (0 means 20, at most 200, negative refused) and keyset
 * {@code page_token}s (base64 JSON holding the sort key, the last row and the filter). String
 * comparisons ignore case, as the server's database collation does.
 */
public final class Listing<R extends Store.Row> {
  private static final int DEFAULT_PAGE_SIZE = 20;
  private static final int MAX_PAGE_SIZE = 200;
  private static final Map<String, String> OPERATIONS_BY_NUMBER = Map.of(
      "0", "OPERATION_UNSPECIFIED", "1", "EQUALS", "2", "NOT_EQUALS", "3", "GREATER_THAN",
      "5", "GREATER_THAN_EQUALS", "6", "LESS_THAN", "7", "LESS_THAN_EQUALS", "8", "IN", "9", "IS_SUBSTRING");

  /** A page of rows, and the token of the next page ("" on the last). */
  public record Page<R>(List<R> rows, int totalSize, String nextPageToken) {}

  private final String plural;
  private final String typeName;
  private final java.util.Set<String> keys;
  private final boolean tagFilterWording;

  /**
   * @param plural what the server's messages call the rows ("pipelines", "runs")
   * @param typeName the listable type in the sort error ("Pipeline", "Run")
   * @param keys the API field names the server can filter and sort on (model APIToModelFieldMap);
   *     a key "tags." allows every "tags.KEY"
   * @param tagFilterWording whether a filter parse error says "invalid tag filter" (ListPipelines does)
   */
  public Listing(String plural, String typeName, java.util.Set<String> keys, boolean tagFilterWording) {
    this.plural = plural;
    this.typeName = typeName;
    this.keys = java.util.Set.copyOf(keys);
    this.tagFilterWording = tagFilterWording;
  }

  private boolean known(String key) {
    return keys.contains(key) || (keys.contains("tags.") && key.startsWith("tags.") && key.length() > 5);
  }

  public Page<R> list(List<R> rows, String filter, String sortBy, String pageSizeText, String pageToken)
      throws ApiError {
    filter = filter == null ? "" : filter;
    sortBy = sortBy == null ? "" : sortBy.strip();
    pageToken = pageToken == null ? "" : pageToken;
    int pageSize = parsePageSize(pageSizeText, pageToken, sortBy, filter);
    Token token = pageToken.isEmpty() ? null : decodeToken(pageToken, pageSize, sortBy, filter);
    if (token != null) {
      if (!sortBy.isEmpty() && !sortBy.equals(token.sortBy)) {
        throw optionsError(pageToken, pageSize, sortBy, filter, "page token does not match the supplied sort_by");
      }
      if (!filter.isEmpty() && !filter.equals(token.filter)) {
        throw optionsError(pageToken, pageSize, sortBy, filter, "page token does not match the supplied filter");
      }
      sortBy = token.sortBy;
      filter = token.filter;
    }
    Predicate<R> matcher = parseFilter(filter, pageToken, pageSize, sortBy);
    String sortKey = "created_at";
    boolean desc = false;
    if (!sortBy.isEmpty()) {
      String[] parts = sortBy.split("\\s+");
      if (parts.length > 2 || (parts.length == 2 && !parts[1].equalsIgnoreCase("asc")
          && !parts[1].equalsIgnoreCase("desc"))) {
        throw optionsError(pageToken, pageSize, sortBy, filter, "Invalid sorting format: \"" + sortBy + "\"");
      }
      sortKey = parts[0];
      desc = parts.length == 2 && parts[1].equalsIgnoreCase("desc");
      if (!known(sortKey)) {
        throw optionsError(pageToken, pageSize, sortBy, filter,
            "Invalid sorting field: \"" + sortKey + "\" on listable type " + typeName);
      }
    }
    String key = sortKey;
    Comparator<R> order = (a, b) -> compareValues(a.column(key), b.column(key));
    order = order.thenComparingLong(r -> r.sequence);
    if (desc) {
      order = order.reversed();
    }
    List<R> matching = new ArrayList<>(rows.stream().filter(matcher).sorted(order).toList());
    int start = 0;
    if (token != null) {
      start = matching.size();
      for (int i = 0; i < matching.size(); i++) {
        if (matching.get(i).sequence == token.sequence) {
          start = i;
          break;
        }
        int cmp = compareValues(matching.get(i).column(key), token.value(key));
        boolean after = desc ? cmp < 0 : cmp > 0;
        if (after) {
          start = i;
          break;
        }
      }
    }
    int end = Math.min(matching.size(), start + pageSize);
    String next = "";
    if (end < matching.size()) {
      R first = matching.get(end);
      next = encodeToken(new Token(sortBy, filter, first.sequence, first.column(key)));
    }
    return new Page<>(List.copyOf(matching.subList(start, end)), matching.size(), next);
  }

  private int parsePageSize(String text, String token, String sortBy, String filter) throws ApiError {
    if (text == null || text.isEmpty()) {
      return DEFAULT_PAGE_SIZE;
    }
    int size;
    try {
      size = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw ApiError.invalid("strconv.ParseInt: parsing \"" + text + "\": invalid syntax",
          "page_size must be an integer");
    }
    if (size < 0) {
      throw optionsError(token, size, sortBy, filter, "The page size should be greater than 0. Got " + size);
    }
    return size == 0 ? DEFAULT_PAGE_SIZE : Math.min(size, MAX_PAGE_SIZE);
  }

  private ApiError optionsError(String token, int pageSize, String sortBy, String filter, String why) {
    return ApiError.invalid("Failed to list " + plural + " due invalid list options: pageToken: " + token
        + ", pageSize: " + pageSize + ", sortBy: " + sortBy + ", filter: " + filter
        + ": Invalid input error: " + why, why);
  }

  // ---- filter ---------------------------------------------------------------------------------

  private Predicate<R> parseFilter(String filter, String token, int pageSize, String sortBy) throws ApiError {
    if (filter.isEmpty()) {
      return r -> true;
    }
    JsonNode root;
    try {
      root = strictFilter(filter);
    } catch (FilterSyntax e) {
      String inner = "failed to parse filter spec: " + e.getMessage();
      throw ApiError.invalid("Failed to list " + plural + " due to invalid "
          + (tagFilterWording ? "tag filter" : "filter") + " in filter spec: Invalid input error: " + inner, inner);
    }
    List<Predicate<R>> predicates = new ArrayList<>();
    for (JsonNode p : root.path("predicates")) {
      String key = p.path("key").asText("");
      if (!known(key)) {
        throw optionsError(token, pageSize, sortBy, filter,
            "no support for filtering on unrecognized field \"" + key + "\"");
      }
      predicates.add(predicate(key, p));
    }
    return r -> predicates.stream().allMatch(p -> p.test(r));
  }

  private Predicate<R> predicate(String key, JsonNode p) throws ApiError {
    String op = p.path("operation").asText("OPERATION_UNSPECIFIED");
    op = OPERATIONS_BY_NUMBER.getOrDefault(op, op);
    if (p.has("string_values") || p.has("int_values") || p.has("long_values")) {
      JsonNode values = p.has("string_values") ? p.get("string_values").path("values")
          : p.has("int_values") ? p.get("int_values").path("values") : p.get("long_values").path("values");
      List<Object> wanted = new ArrayList<>();
      for (JsonNode v : values) {
        wanted.add(p.has("string_values") ? v.asText() : (Object) v.asLong());
      }
      if (!op.equals("IN")) {
        throw ApiError.invalid("Invalid input error: Invalid predicate: " + op + " does not take a list of values",
            "Invalid predicate: " + op + " does not take a list of values");
      }
      return r -> wanted.stream().anyMatch(w -> comparable(r.column(key), w) && compareValues(r.column(key), w) == 0);
    }
    Object value;
    if (p.has("string_value")) {
      value = p.get("string_value").asText();
    } else if (p.has("int_value")) {
      value = p.get("int_value").asLong();
    } else if (p.has("long_value")) {
      value = p.get("long_value").asLong();
    } else if (p.has("timestamp_value")) {
      try {
        value = OffsetDateTime.parse(p.get("timestamp_value").asText()).toInstant();
      } catch (DateTimeParseException e) {
        throw ApiError.invalid("Invalid input error: invalid timestamp " + p.get("timestamp_value"),
            "invalid timestamp");
      }
    } else {
      throw ApiError.invalid("Invalid input error: Invalid predicate: value is unset", "Invalid predicate");
    }
    Object wanted = value;
    String operation = op;
    if (op.equals("IS_SUBSTRING")) {
      return r -> r.column(key) instanceof String s && wanted instanceof String w
          && s.toLowerCase(Locale.ROOT).contains(w.toLowerCase(Locale.ROOT));
    }
    if (op.equals("OPERATION_UNSPECIFIED") || op.equals("IN")) {
      throw ApiError.invalid("Invalid input error: Invalid predicate operation: " + op,
          "Invalid predicate operation: " + op);
    }
    return r -> {
      Object actual = r.column(key);
      if (!comparable(actual, wanted)) {
        return false;
      }
      int cmp = compareValues(actual, wanted);
      return switch (operation) {
        case "EQUALS" -> cmp == 0;
        case "NOT_EQUALS" -> cmp != 0;
        case "GREATER_THAN" -> cmp > 0;
        case "GREATER_THAN_EQUALS" -> cmp >= 0;
        case "LESS_THAN" -> cmp < 0;
        case "LESS_THAN_EQUALS" -> cmp <= 0;
        default -> false;
      };
    };
  }

  /** A string column never equals a number (the server's "int_value against a string key" quirk). */
  private static boolean comparable(Object actual, Object wanted) {
    if (actual instanceof String) {
      return wanted instanceof String;
    }
    if (actual instanceof Instant) {
      return wanted instanceof Instant || wanted instanceof Long;
    }
    return false;
  }

  /** Timestamps compare in whole seconds (the server stores *_at as seconds); strings ignore case. */
  static int compareValues(Object a, Object b) {
    if (a instanceof Instant x) {
      long left = x.truncatedTo(ChronoUnit.SECONDS).getEpochSecond();
      long right = b instanceof Instant y ? y.getEpochSecond() : b instanceof Long l ? l : 0;
      return Long.compare(left, right);
    }
    String left = a == null ? "" : a.toString();
    String right = b == null ? "" : b.toString();
    return String.CASE_INSENSITIVE_ORDER.compare(left, right);
  }

  private static final class FilterSyntax extends Exception {
    private static final long serialVersionUID = 1L;

    FilterSyntax(String message) {
      super(message);
    }
  }

  /**
   * Parses the Filter JSON as protojson does: unknown fields refused with their position, camelCase
   * accepted, and the result normalised to the proto field names.
   */
  private static JsonNode strictFilter(String text) throws FilterSyntax {
    JsonNode root;
    try (JsonParser parser = Json.MAPPER.createParser(text)) {
      root = Json.MAPPER.readTree(parser);
      if (parser.nextToken() != null) {
        throw new FilterSyntax("syntax error (line 1:1): unexpected token");
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String token = text.strip().split("[\\s{}\\[\\]\":,=]+", 2)[0];
      throw new FilterSyntax("syntax error (line " + (at == null ? 1 : at.getLineNr()) + ":1): invalid value "
          + (token.isEmpty() ? text : token));
    } catch (IOException e) {
      throw new FilterSyntax("syntax error (line 1:1): " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new FilterSyntax("syntax error (line 1:1): invalid value " + text);
    }
    ObjectNode normalised = Json.object();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (!field.getKey().equals("predicates")) {
        throw new FilterSyntax("(line 1:" + column(text, field.getKey()) + "): unknown field \"" + field.getKey() + "\"");
      }
      var list = normalised.putArray("predicates");
      for (JsonNode p : field.getValue()) {
        ObjectNode np = list.addObject();
        for (Map.Entry<String, JsonNode> pf : p.properties()) {
          String name = snake(pf.getKey());
          if (!List.of("key", "operation", "int_value", "long_value", "string_value", "timestamp_value",
              "int_values", "long_values", "string_values").contains(name)) {
            throw new FilterSyntax("(line 1:" + column(text, pf.getKey()) + "): unknown field \"" + pf.getKey() + "\"");
          }
          np.set(name, pf.getValue());
        }
      }
    }
    return normalised;
  }

  /** The 1-based column of a field name's opening quote, as protojson reports it. */
  private static int column(String text, String field) {
    try (JsonParser parser = Json.MAPPER.createParser(text)) {
      JsonToken t;
      while ((t = parser.nextToken()) != null) {
        if (t == JsonToken.FIELD_NAME && parser.currentName().equals(field)) {
          return (int) parser.currentTokenLocation().getColumnNr();
        }
      }
    } catch (IOException e) {
      return 1;
    }
    return 1;
  }

  static String snake(String name) {
    StringBuilder out = new StringBuilder();
    for (char c : name.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  // ---- page tokens ----------------------------------------------------------------------------

  private record Token(String sortBy, String filter, long sequence, Object sortValue) {
    Object value(String key) {
      return sortValue;
    }
  }

  private static String encodeToken(Token token) {
    ObjectNode node = Json.object();
    node.put("SortBy", token.sortBy());
    node.put("Filter", token.filter());
    node.put("Sequence", token.sequence());
    if (token.sortValue() instanceof Instant instant) {
      node.put("SortByFieldValue", instant.getEpochSecond());
    } else {
      node.put("SortByFieldValue", token.sortValue() == null ? "" : token.sortValue().toString());
    }
    return Base64.getEncoder().encodeToString(Json.bytes(node));
  }

  private Token decodeToken(String text, int pageSize, String sortBy, String filter) throws ApiError {
    try {
      byte[] raw = Base64.getDecoder().decode(text);
      JsonNode node = Json.MAPPER.readTree(new String(raw, StandardCharsets.UTF_8));
      if (node == null || !node.has("Sequence")) {
        throw new IOException("not a page token");
      }
      JsonNode value = node.path("SortByFieldValue");
      Object sortValue = value.isNumber() ? (Object) Instant.ofEpochSecond(value.asLong()) : value.asText();
      return new Token(node.path("SortBy").asText(), node.path("Filter").asText(), node.path("Sequence").asLong(),
          sortValue);
    } catch (IllegalArgumentException | IOException e) {
      String why = e instanceof IllegalArgumentException ? "illegal base64 data" : "unreadable token";
      throw ApiError.invalid("Failed to list " + plural + " due invalid list options: pageToken: " + text
          + ", pageSize: " + pageSize + ", sortBy: " + sortBy + ", filter: " + filter
          + ": InvalidInputError: Invalid page token: " + why, "Invalid page token");
    }
  }
}
