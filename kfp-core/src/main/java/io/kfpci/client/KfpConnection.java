package io.kfpci.client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How to reach one KFP API server: its URL, the credentials, TLS, deadlines and retries.
 * Immutable; build with {@link #builder(URI)}, which validates.
 *
 * @param endpoint the API's base URL, e.g. {@code https://kubeflow.example.com/pipeline} or
 *     {@code http://127.0.0.1:8888} (no trailing slash)
 * @param name a short name for the endpoint, persisted in watch states; defaults to host:port
 * @param namespace the profile namespace for multi-user mode, or null
 * @param caFile PEM certificates to trust besides the JDK's, or null
 * @param insecure true to skip TLS verification (warned about on every use)
 * @param connectTimeout deadline to open a connection
 * @param readTimeout deadline for an answer to one attempt
 * @param callTimeout deadline for one call, all its retries included
 * @param uiBase the KFP UI's base URL for run links, or null when there is none
 * @param warnings where warnings go (the insecure warning)
 * @param caCertificates PEM certificates to trust besides the JDK's, given as text (a Jenkins
 *     endpoint's setting, so no file is written), or null; not together with {@code caFile}
 */
public record KfpConnection(URI endpoint, String name, String namespace, Credentials credentials, Path caFile,
    boolean insecure, Duration connectTimeout, Duration readTimeout, Duration callTimeout, RetryPolicy retry,
    URI uiBase, Consumer<String> warnings, String caCertificates) {

  public KfpConnection {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(callTimeout, "callTimeout");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(warnings, "warnings");
  }

  public static Builder builder(URI endpoint) {
    return new Builder(endpoint);
  }

  /** A link to the run in the KFP UI, or null when the UI's address is unknown. */
  public String runUiUrl(String runId) {
    return uiBase == null ? null : strip(uiBase.toString()) + "/#/runs/details/" + runId;
  }

  private static String strip(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  public static final class Builder {
    private URI endpoint;
    private String name;
    private String namespace;
    private Credentials credentials = Credentials.none();
    private Path caFile;
    private boolean insecure;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(30);
    private Duration callTimeout = Duration.ofMinutes(2);
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private URI uiBase;
    private boolean uiBaseSet;
    private Consumer<String> warnings = w -> System.err.println("warning: " + w);
    private String caCertificates;

    private Builder(URI endpoint) {
      this.endpoint = endpoint;
    }

    public Builder name(String value) { this.name = value; return this; }
    public Builder namespace(String value) { this.namespace = value == null || value.isBlank() ? null : value.strip(); return this; }
    public Builder credentials(Credentials value) { this.credentials = value; return this; }
    public Builder caFile(Path value) { this.caFile = value; return this; }
    public Builder insecure(boolean value) { this.insecure = value; return this; }
    public Builder connectTimeout(Duration value) { this.connectTimeout = value; return this; }
    public Builder readTimeout(Duration value) { this.readTimeout = value; return this; }
    public Builder callTimeout(Duration value) { this.callTimeout = value; return this; }
    public Builder retry(RetryPolicy value) { this.retry = value; return this; }
    public Builder uiBase(URI value) { this.uiBase = value; this.uiBaseSet = true; return this; }
    public Builder warnings(Consumer<String> value) { this.warnings = value; return this; }
    public Builder caCertificates(String pem) { this.caCertificates = pem == null || pem.isBlank() ? null : pem; return this; }

    public KfpConnection build() {
      if (endpoint == null) {
        throw new IllegalArgumentException("no KFP endpoint: give --endpoint URL or set KF_PIPELINES_ENDPOINT");
      }
      String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException("the KFP endpoint must be an http:// or https:// URL, not '" + endpoint + "'");
      }
      if (endpoint.getHost() == null) {
        throw new IllegalArgumentException("the KFP endpoint '" + endpoint + "' has no host");
      }
      if (endpoint.getUserInfo() != null) {
        throw new IllegalArgumentException("put no user or password in the endpoint URL; use --token-file or --cookie");
      }
      if (endpoint.getQuery() != null || endpoint.getFragment() != null) {
        throw new IllegalArgumentException("the KFP endpoint must have no query or fragment: " + endpoint.getHost());
      }
      String text = strip(endpoint.toString());
      URI base = URI.create(text);
      if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()
          || callTimeout.compareTo(readTimeout) < 0) {
        throw new IllegalArgumentException("deadlines must be positive, and the call deadline at least the read deadline");
      }
      if (caFile != null && caCertificates != null) {
        throw new IllegalArgumentException("give CA certificates as a file or as text, not both");
      }
      String n = name != null ? name : base.getHost() + (base.getPort() > 0 ? ":" + base.getPort() : "");
      return new KfpConnection(base, n, namespace, credentials, caFile, insecure, connectTimeout, readTimeout,
          callTimeout, retry, uiBaseSet ? uiBase : base, warnings, caCertificates);
    }
  }
}
