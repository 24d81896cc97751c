package io.kfpci.emulator.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error answer in one of the server's real shapes: grpc-gateway's google.rpc.Status (with or
 * without the detail the server's UserError attaches), or the upload endpoints' v1 api.Error
 * ({@code error_message}/{@code error_details}), sent as JSON or, where the server uses
 * {@code http.Error}, labelled text/plain.
 */
public final class ApiError extends Exception {
  private static final long serialVersionUID = 1L;
  /** Stands where the real server prints a Go stack trace; clients must not show error_details. */
  static final String STACK_STAND_IN = "\ngoroutine 1 [running]:\nkfp-emulator: a Go stack trace stands here on the real server";

  private final int status;
  private final transient ObjectNode body;
  private final boolean textPlain;

  private ApiError(int status, String message, ObjectNode body, boolean textPlain) {
    super(message);
    this.status = status;
    this.body = body;
    this.textPlain = textPlain;
  }

  public int status() {
    return status;
  }

  public ObjectNode body() {
    return body;
  }

  public boolean textPlain() {
    return textPlain;
  }

  /** google.rpc.Status with the external message as a detail, as UserError.GRPCStatus() builds it. */
  public static ApiError rpc(int httpStatus, int grpcCode, String message, String externalMessage) {
    ObjectNode body = Json.object();
    body.put("code", grpcCode);
    body.put("message", message);
    ObjectNode detail = body.putArray("details").addObject();
    detail.put("@type", "type.googleapis.com/google.rpc.Status");
    detail.put("code", grpcCode);
    detail.put("message", externalMessage);
    return new ApiError(httpStatus, message, body, false);
  }

  /** google.rpc.Status without details: what the gateway itself answers (an unknown JSON field). */
  public static ApiError gateway(int httpStatus, int grpcCode, String message) {
    ObjectNode body = Json.object();
    body.put("code", grpcCode);
    body.put("message", message);
    return new ApiError(httpStatus, message, body, false);
  }

  public static ApiError notFound(String message, String externalMessage) {
    return rpc(404, 5, message, externalMessage);
  }

  public static ApiError invalid(String message, String externalMessage) {
    return rpc(400, 3, message, externalMessage);
  }

  public static ApiError alreadyExists(String message, String externalMessage) {
    return rpc(409, 6, message, externalMessage);
  }

  public static ApiError internal(String message) {
    return rpc(500, 13, message, "Internal Server Error");
  }

  /** The upload endpoints' error: {"error_message","error_details"} (writeErrorToResponse). */
  public static ApiError upload(int httpStatus, String message, boolean textPlain) {
    ObjectNode body = Json.object();
    body.put("error_message", message);
    body.put("error_details", message + STACK_STAND_IN);
    return new ApiError(httpStatus, message, body, textPlain);
  }
}
