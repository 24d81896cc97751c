package io.kfpci.emulator.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * One request as the handlers see it: the path parameters of its route, its decoded query, its
 * normalised JSON body (for the routes that take one) and the raw bytes (for uploads).
 */
public record Call(String method, String path, Map<String, String> pathParams, Map<String, List<String>> query,
    String contentType, byte[] rawBody, ObjectNode body) {

  /** The first value of a query parameter, or "" (Go's r.URL.Query().Get). */
  public String query(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? "" : values.get(0);
  }

  public boolean hasQuery(String name) {
    return query.containsKey(name);
  }

  public String param(String name) {
    return pathParams.get(name);
  }
}
