package io.kfpci.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.client.KfpApiException;
import io.kfpci.client.KfpConnection;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Reads one HTTP answer of the KFP API server: JSON on success; on failure either error shape
 * (google.rpc.Status from the gateway, {@code error_message}/{@code error_details} from the upload
 * and log handlers, plain text from {@code http.Error}), turned into one message. Pure; tested
 * against the recorded answers of a real 2.17.0 server.
 */
public final class Responses {
  private static final int MAX_MESSAGE = 300;

  private Responses() {}

  public static JsonNode interpret(KfpConnection connection, Transport.Call call, int status, String contentType,
      String location, byte[] body, List<String> secrets) throws KfpApiException {
    String text = new String(body, StandardCharsets.UTF_8);
    String trimmed = text.stripLeading();
    String where = call.method() + " " + call.path() + " at " + connection.endpoint();
    if (looksLikeHtml(contentType, trimmed)) {
      throw new KfpApiException(connection.endpoint() + " answered " + call.method() + " " + call.path()
          + " with an HTML page (HTTP " + status + "), probably a login page in front of KFP: this is not the KFP API. "
          + "Check that the endpoint is the pipelines API (e.g. https://HOST/pipeline) and authenticate with "
          + "--cookie or --token-file", status, "", call.method(), call.path(), false, null);
    }
    if (status / 100 == 3) {
      throw new KfpApiException(connection.endpoint() + " redirected " + call.method() + " " + call.path()
          + " (HTTP " + status + (location == null ? "" : " to " + hostAndPath(location))
          + "), probably to a login page: this is not the KFP API. Authenticate with --cookie or --token-file, "
          + "or check the endpoint", status, "", call.method(), call.path(), false, null);
    }
    JsonNode json = null;
    if (!trimmed.isEmpty() && (trimmed.startsWith("{") || trimmed.startsWith("["))) {
      try {
        json = ApiJson.MAPPER.readTree(text);
      } catch (IOException e) {
        json = null;
      }
    }
    if (status / 100 == 2) {
      if (trimmed.isEmpty()) {
        return ApiJson.MAPPER.createObjectNode();
      }
      if (json == null || !json.isObject()) {
        throw new KfpApiException(where + " answered HTTP " + status + " with something that is not JSON ("
            + cut(redact(firstLine(trimmed), secrets)) + "): this is not the KFP API", status, "",
            call.method(), call.path(), false, null);
      }
      return json;
    }
    String message = redact(serverMessage(json, trimmed), secrets);
    boolean ours = json != null && json.isObject()
        && (json.has("code") || json.has("message") || json.has("error_message"));
    boolean retryable = status == 502 || status == 503 || status == 504;
    String said = message.isEmpty() ? "" : ": " + message;
    String text2;
    if (status == 401 || status == 403) {
      text2 = "KFP at " + connection.endpoint() + " rejected " + connection.credentials().describe() + " (HTTP " + status
          + (status == 401 ? ", not authenticated" : ", not allowed") + ") on " + call.method() + " " + call.path() + said
          + (status == 401 ? ". Renew the credential (an expired token?) or give one with --token-file, --user-id or --cookie"
          : ". The identity lacks access" + (connection.namespace() == null ? "" : " to namespace '" + connection.namespace() + "'")
          + "; ask for a RoleBinding in the profile namespace");
    } else if (status == 404 && !ours) {
      text2 = connection.endpoint() + " has no " + call.method() + " " + call.path() + " (HTTP 404"
          + (message.isEmpty() ? "" : ": " + message) + "). It needs KFP 2.0 or later (the v2beta1 API); "
          + "an older server or a wrong endpoint path would answer this way";
    } else {
      text2 = where + " failed with HTTP " + status + said;
    }
    return throwIt(new KfpApiException(text2, status, message, call.method(), call.path(), retryable, null));
  }

  private static JsonNode throwIt(KfpApiException e) throws KfpApiException {
    throw e;
  }

  /**
   * The user-facing message: the google.rpc.Status detail's external message, else the top-level
   * message; for the upload shape {@code error_message} plus the first line of {@code error_details}
   * (the rest is a Go stack trace, FACTS 1.9); for plain text its first line.
   */
  static String serverMessage(JsonNode json, String text) {
    if (json != null && json.isObject()) {
      if (json.hasNonNull("error_message")) {
        String m = json.get("error_message").asText();
        String details = firstLine(json.path("error_details").asText(""));
        return cut(details.isEmpty() || m.contains(details) ? m : m + " (" + details + ")");
      }
      for (JsonNode d : json.path("details")) {
        if (d.hasNonNull("message") && !d.get("message").asText().isBlank()) {
          return cut(d.get("message").asText());
        }
      }
      return cut(json.path("message").asText(""));
    }
    return cut(firstLine(text));
  }

  static boolean looksLikeHtml(String contentType, String trimmed) {
    String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    String head = trimmed.length() > 64 ? trimmed.substring(0, 64).toLowerCase(Locale.ROOT) : trimmed.toLowerCase(Locale.ROOT);
    return ct.startsWith("text/html") || head.startsWith("<!doctype html") || head.startsWith("<html");
  }

  private static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return (nl < 0 ? t : t.substring(0, nl)).strip();
  }

  private static String cut(String s) {
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 3) + "...";
  }

  private static String hostAndPath(String location) {
    try {
      URI u = URI.create(location);
      return (u.getHost() == null ? "" : u.getScheme() + "://" + u.getHost()) + (u.getPath() == null ? "" : u.getPath());
    } catch (IllegalArgumentException e) {
      return "another page";
    }
  }

  static String redact(String s, List<String> secrets) {
    String out = s;
    for (String secret : secrets) {
      if (!secret.isEmpty()) {
        out = out.replace(secret, "****");
      }
    }
    return out;
  }
}
