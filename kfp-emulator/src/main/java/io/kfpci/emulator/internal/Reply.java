package io.kfpci.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;

/** An answer: status, JSON body, and whether it is labelled text/plain as http.Error does. */
public record Reply(int status, JsonNode body, boolean textPlain) {
  public static Reply ok(JsonNode body) {
    return new Reply(200, body, false);
  }

  public static Reply of(ApiError error) {
    return new Reply(error.status(), error.body(), error.textPlain());
  }

  public String contentType() {
    return textPlain ? "text/plain; charset=utf-8" : "application/json";
  }
}
