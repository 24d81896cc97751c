package io.kfpci.client;

/**
 * Options of a list call. {@code pageToken} alone is sent on later pages: the server refuses a
 * token together with a filter or sort that differs from the one it was made for (FACTS 1.4).
 *
 * @param pageSize 1 to 200 (the server clamps to 200); 0 means the server's default of 20
 */
public record ListQuery(Filter filter, String sortBy, int pageSize, String pageToken) {
  public ListQuery {
    if (pageSize < 0 || pageSize > 200) {
      throw new IllegalArgumentException("page size must be 0 to 200, not " + pageSize);
    }
  }

  public static ListQuery all() {
    return new ListQuery(null, null, 200, null);
  }

  public static ListQuery of(Filter filter) {
    return new ListQuery(filter, null, 200, null);
  }

  public ListQuery page(String token) {
    return new ListQuery(filter, sortBy, pageSize, token);
  }

  public ListQuery sortBy(String value) {
    return new ListQuery(filter, value, pageSize, pageToken);
  }
}
