package io.kfpci.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.client.internal.ApiJson;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A list filter: predicates ANDed together, sent as the JSON {@code filter} query parameter
 * (FACTS 1.4; operation names, which the server accepts as well as numbers). Immutable.
 */
public final class Filter {
  private final List<ObjectNode> predicates;

  private Filter(List<ObjectNode> predicates) {
    this.predicates = List.copyOf(predicates);
  }

  public static Filter equal(String key, String value) {
    return new Filter(List.of()).andEqual(key, value);
  }

  public static Filter in(String key, Collection<String> values) {
    return new Filter(List.of()).andIn(key, values);
  }

  public Filter andEqual(String key, String value) {
    ObjectNode p = predicate(key, "EQUALS");
    p.put("string_value", Objects.requireNonNull(value, "value"));
    return with(p);
  }

  public Filter andIn(String key, Collection<String> values) {
    ObjectNode p = predicate(key, "IN");
    ArrayNode list = p.putObject("string_values").putArray("values");
    values.forEach(list::add);
    return with(p);
  }

  private Filter with(ObjectNode p) {
    List<ObjectNode> all = new ArrayList<>(predicates);
    all.add(p);
    return new Filter(all);
  }

  private static ObjectNode predicate(String key, String operation) {
    ObjectNode p = ApiJson.MAPPER.createObjectNode();
    p.put("key", Objects.requireNonNull(key, "key"));
    p.put("operation", operation);
    return p;
  }

  /** The JSON text of the {@code filter} parameter. */
  public String toJson() {
    ObjectNode root = ApiJson.MAPPER.createObjectNode();
    ArrayNode list = root.putArray("predicates");
    predicates.forEach(list::add);
    return root.toString();
  }

  @Override
  public String toString() {
    return toJson();
  }
}
