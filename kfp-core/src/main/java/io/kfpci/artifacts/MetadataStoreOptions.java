package io.kfpci.artifacts;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the ML Metadata gRPC service is (KFP's {@code metadata-grpc-service:8080}, usually reached
 * through a port-forward) and how long each call may take.
 *
 * @param host host name or address
 * @param port TCP port
 * @param callDeadline the deadline of every single RPC
 * @param pageSize executions asked for per GetExecutionsByContext page (the store caps it at 100)
 * @param forwardedFrom what a port-forward at host:port stands for, e.g.
 *     {@code svc/metadata-grpc-service:8080 in namespace kubeflow}, or null when host:port is the store
 */
public record MetadataStoreOptions(String host, int port, Duration callDeadline, int pageSize, String forwardedFrom) {
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);
  public static final int DEFAULT_PAGE_SIZE = 100;

  public MetadataStoreOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(callDeadline, "callDeadline");
  }

  /** "host:port" as used in messages. */
  public String address() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** The store in messages: its address, and what it is forwarded from when it is. */
  public String describe() {
    return forwardedFrom == null ? address() : address() + " (forwarded from " + forwardedFrom + ")";
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private String host;
    private int port = -1;
    private Duration callDeadline = DEFAULT_DEADLINE;
    private int pageSize = DEFAULT_PAGE_SIZE;
    private String forwardedFrom;

    private Builder() {
    }

    /** "host:port", e.g. {@code localhost:8080} or {@code [::1]:8080}. */
    public Builder address(String address) {
      Objects.requireNonNull(address, "address");
      int colon = address.lastIndexOf(':');
      if (colon <= 0 || colon == address.length() - 1) {
        throw new IllegalArgumentException("ML Metadata address '" + address
            + "' is not host:port (e.g. localhost:8080)");
      }
      String h = address.substring(0, colon);
      if (h.startsWith("[") && h.endsWith("]")) {
        h = h.substring(1, h.length() - 1);
      }
      try {
        port = Integer.parseInt(address.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("ML Metadata address '" + address + "' has no numeric port", e);
      }
      host = h;
      return this;
    }

    public Builder host(String value) {
      host = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder callDeadline(Duration value) {
      callDeadline = value;
      return this;
    }

    public Builder pageSize(int value) {
      pageSize = value;
      return this;
    }

    /** What the address is a port-forward of, for messages; null (the default) when it is the store itself. */
    public Builder forwardedFrom(String value) {
      forwardedFrom = value;
      return this;
    }

    public MetadataStoreOptions build() {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("ML Metadata host is missing (e.g. --mlmd localhost:8080)");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("ML Metadata port " + port + " is not in 1..65535");
      }
      if (callDeadline.isNegative() || callDeadline.isZero()) {
        throw new IllegalArgumentException("ML Metadata call deadline must be positive, got " + callDeadline);
      }
      if (pageSize < 1 || pageSize > 100) {
        throw new IllegalArgumentException("ML Metadata page size " + pageSize + " is not in 1..100");
      }
      return new MetadataStoreOptions(host, port, callDeadline, pageSize, forwardedFrom);
    }
  }
}
