package io.kfpci.client;

import io.kfpci.KfpException;

/**
 * A call to the KFP API failed: the server answered with an error (either of its shapes,
 * google.rpc.Status or the upload endpoints' {@code error_message}), answered something that is
 * not the KFP API (an HTML login page), or could not be reached in time. Carries the HTTP status
 * (0 when no answer came), the server's message, the method and path; never a header value, so
 * no credential can leak through a message.
 */
public class KfpApiException extends KfpException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String serverMessage;
  private final String method;
  private final String path;
  private final boolean retryable;

  public KfpApiException(String message, int status, String serverMessage, String method, String path,
      boolean retryable, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.serverMessage = serverMessage == null ? "" : serverMessage;
    this.method = method;
    this.path = path;
    this.retryable = retryable;
  }

  /** The HTTP status, 0 when the server never answered (connection refused, reset, timeout). */
  public int status() {
    return status;
  }

  /** What the server said, shortened and without stack traces; "" when it said nothing. */
  public String serverMessage() {
    return serverMessage;
  }

  public String method() {
    return method;
  }

  /** The request path without query (a query can hold names, never a credential, but is long). */
  public String path() {
    return path;
  }

  public boolean isNotFound() {
    return status == 404;
  }

  public boolean isConflict() {
    return status == 409;
  }

  /** A 401 or 403: the credential was missing, expired or lacks permission. */
  public boolean isAuthFailure() {
    return status == 401 || status == 403;
  }

  /** 502, 503, 504 or no answer at all: the same call may succeed later. */
  @Override
  public boolean isRetryable() {
    return retryable;
  }
}
