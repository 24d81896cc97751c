package io.kfpci.client;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a request carries to prove who sends it, any combination of: a bearer token read from a
 * file (re-read when the file changes, as the kubelet rotates projected tokens), a bearer token
 * from an environment variable, a {@code kubeflow-userid} header, and a raw {@code Cookie} header
 * (Dex or oauth2-proxy sessions in front of the Istio gateway).
 *
 * <p>Holds where a secret comes from, and for the cookie the value itself; {@link #toString()}
 * and {@link #describe()} never show a secret value.
 */
public final class Credentials {
  private final Path tokenFile;
  private final String tokenVariable;
  private final Supplier<String> tokenFromVariable;
  private final String userId;
  private final String cookie;

  private Credentials(Builder b) {
    this.tokenFile = b.tokenFile;
    this.tokenVariable = b.tokenVariable;
    this.tokenFromVariable = b.tokenFromVariable;
    this.userId = b.userId;
    this.cookie = b.cookie;
  }

  public static Credentials none() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Path tokenFile() {
    return tokenFile;
  }

  /** The name of the variable the token comes from, or null. */
  public String tokenVariable() {
    return tokenVariable;
  }

  /** The token read from the variable now, or null. */
  public String tokenFromVariable() {
    return tokenFromVariable == null ? null : tokenFromVariable.get();
  }

  public String userId() {
    return userId;
  }

  /** The raw cookie header value; a secret. */
  public String cookie() {
    return cookie;
  }

  /**
   * The kinds of credential sent, for messages: "a bearer token from file F", "the kubeflow-userid
   * header", "a Cookie header", or "no credential". Never a value.
   */
  public String describe() {
    List<String> kinds = new ArrayList<>();
    if (tokenFile != null) {
      kinds.add("the bearer token from file " + tokenFile);
    } else if (tokenVariable != null) {
      kinds.add("the bearer token from $" + tokenVariable);
    }
    if (userId != null) {
      kinds.add("the kubeflow-userid header");
    }
    if (cookie != null) {
      kinds.add("the Cookie header");
    }
    return kinds.isEmpty() ? "no credential (none was given)" : String.join(" and ", kinds);
  }

  @Override
  public String toString() {
    return "Credentials[" + describe() + "]";
  }

  public static final class Builder {
    private Path tokenFile;
    private String tokenVariable;
    private Supplier<String> tokenFromVariable;
    private String userId;
    private String cookie;

    /** A file holding the token (whitespace around it is ignored), re-read when it changes. */
    public Builder tokenFile(Path value) {
      this.tokenFile = value;
      return this;
    }

    /** A token from the environment variable {@code name}, read through {@code value} at each use. */
    public Builder tokenVariable(String name, Supplier<String> value) {
      this.tokenVariable = name;
      this.tokenFromVariable = value;
      return this;
    }

    public Builder userId(String value) {
      this.userId = blankToNull(value);
      return this;
    }

    public Builder cookie(String value) {
      this.cookie = blankToNull(value);
      return this;
    }

    public Credentials build() {
      if (tokenFile != null && tokenVariable != null) {
        throw new IllegalArgumentException("give a token file or a token variable, not both");
      }
      if (tokenVariable != null) {
        Objects.requireNonNull(tokenFromVariable, "tokenFromVariable");
      }
      if (cookie != null && (cookie.indexOf('\n') >= 0 || cookie.indexOf('\r') >= 0)) {
        throw new IllegalArgumentException("the cookie must be one line (a raw Cookie header value)");
      }
      if (userId != null && (userId.indexOf('\n') >= 0 || userId.indexOf('\r') >= 0)) {
        throw new IllegalArgumentException("the user id must be one line");
      }
      return new Credentials(this);
    }

    private static String blankToNull(String s) {
      return s == null || s.isBlank() ? null : s.strip();
    }
  }
}
