package io.kfpci.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.kfpci.client.Credentials;
import io.kfpci.client.KfpApiException;
import io.kfpci.client.KfpConnection;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * HTTP to one KFP API server: deadlines (connect, per attempt, per call), retries with jittered
 * backoff for idempotent calls, credentials on every request, and the server's error shapes turned
 * into {@link KfpApiException}s whose messages never hold a header value.
 *
 * <p>Threads: callers block on their own thread; the JDK client does its I/O on one selector
 * thread plus a small daemon pool of two. Thread-safe.
 */
public final class Transport implements AutoCloseable {
  /** The upload endpoints' limit (common/const.go MaxFileLength). */
  public static final long MAX_UPLOAD_BYTES = 32L << 20;
  private static final int MAX_ERROR_BODY = 64 * 1024;
  private static final AtomicInteger POOLS = new AtomicInteger();

  /** One request. {@code idempotent} requests are retried on 502/503/504 and connection errors. */
  public record Call(String method, String path, Map<String, String> query, byte[] body, String contentType,
      boolean idempotent) {
    public static Call get(String path, Map<String, String> query) {
      return new Call("GET", path, query, null, null, true);
    }
  }

  private final KfpConnection connection;
  private final HttpClient http;
  private final ExecutorService pool;
  private final TokenFile tokenFile;
  private final RandomGenerator random = new SecureRandom();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong attempts = new AtomicLong();

  public Transport(KfpConnection connection) throws KfpApiException {
    this.connection = connection;
    int id = POOLS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads = r -> {
      Thread t = new Thread(r, "kfp-http-" + id + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.pool = Executors.newFixedThreadPool(2, threads);
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connection.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(pool);
    if (connection.endpoint().getScheme().equalsIgnoreCase("https")) {
      if (connection.insecure()) {
        connection.warnings().accept("TLS verification is OFF for " + connection.endpoint()
            + " (--insecure): anyone on the path can read and change what is sent, the credentials included");
        builder.sslContext(trustAll());
      } else if (connection.caFile() != null || connection.caCertificates() != null) {
        builder.sslContext(trusting(connection));
      }
    } else if (connection.insecure()) {
      connection.warnings().accept("--insecure has no effect on " + connection.endpoint() + ", which is plain http");
    }
    this.http = builder.build();
    this.tokenFile = connection.credentials().tokenFile() == null ? null : new TokenFile(connection.credentials().tokenFile());
  }

  public KfpConnection connection() {
    return connection;
  }

  /** Calls made (each retry counted once more in {@link #attempts()}). */
  public long calls() {
    return calls.get();
  }

  /** HTTP requests sent, retries included. */
  public long attempts() {
    return attempts.get();
  }

  /** Sends the call and returns the JSON answer ({@code {}} for an empty body). */
  public JsonNode send(Call call) throws KfpApiException, InterruptedException {
    calls.incrementAndGet();
    long deadline = System.nanoTime() + connection.callTimeout().toNanos();
    URI uri = uri(call);
    int max = call.idempotent() ? connection.retry().maxAttempts() : 1;
    for (int attempt = 1; ; attempt++) {
      KfpApiException failure;
      try {
        return attempt(call, uri, deadline);
      } catch (KfpApiException e) {
        failure = e;
      }
      long remaining = deadline - System.nanoTime();
      Duration wait = connection.retry().delay(attempt, random);
      if (!failure.isRetryable() || attempt >= max || remaining <= wait.toNanos()) {
        throw failure;
      }
      Thread.sleep(wait.toMillis());
    }
  }

  private JsonNode attempt(Call call, URI uri, long deadline) throws KfpApiException, InterruptedException {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw new KfpApiException(where(call) + " got no answer within the call deadline of "
          + seconds(connection.callTimeout()), 0, "", call.method(), call.path(), true, null);
    }
    Duration perAttempt = connection.readTimeout().compareTo(Duration.ofNanos(remaining)) < 0
        ? connection.readTimeout() : Duration.ofNanos(remaining);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(perAttempt)
        .header("Accept", "application/json");
    addCredentials(request);
    if (call.body() != null) {
      request.header("Content-Type", call.contentType()).method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body()));
    } else {
      // :terminate, :enable... take no body (the swagger declares none).
      request.method(call.method(), HttpRequest.BodyPublishers.noBody());
    }
    attempts.incrementAndGet();
    CompletableFuture<HttpResponse<InputStream>> future = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<InputStream> response;
    byte[] body;
    try {
      // The per-attempt timeout covers the wait for the headers; this bounds the body too.
      response = future.get(perAttempt.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
      body = readBody(response, perAttempt);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw unreachable(call, "no answer within " + seconds(perAttempt), null);
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw unreachable(call, "no answer within " + seconds(perAttempt), cause);
      }
      if (cause instanceof SSLException) {
        throw new KfpApiException(where(call) + ": TLS failed (" + cause.getMessage() + "). If the server uses a "
            + "private CA, give its certificate with --ca-file", 0, "", call.method(), call.path(), false, cause);
      }
      if (cause instanceof ConnectException) {
        throw unreachable(call, "cannot connect (" + (cause.getMessage() == null ? "refused" : cause.getMessage()) + ")", cause);
      }
      if (cause instanceof IOException) {
        throw unreachable(call, "the connection failed (" + cause.getClass().getSimpleName()
            + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")", cause);
      }
      throw new KfpApiException(where(call) + " failed: " + cause, 0, "", call.method(), call.path(), false, cause);
    }
    return Responses.interpret(connection, call, response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""),
        response.headers().firstValue("Location").orElse(null), body, secrets());
  }

  private byte[] readBody(HttpResponse<InputStream> response, Duration perAttempt) throws KfpApiException {
    try (InputStream in = response.body()) {
      boolean ok = response.statusCode() / 100 == 2;
      // Successful answers can be big (a run with hundreds of tasks); errors are cut short.
      byte[] bytes = ok ? in.readNBytes(64 << 20) : in.readNBytes(MAX_ERROR_BODY);
      return bytes;
    } catch (IOException e) {
      throw new KfpApiException("reading the answer of " + response.request().method() + " "
          + response.request().uri().getPath() + " failed (" + e.getClass().getSimpleName() + ")",
          0, "", response.request().method(), response.request().uri().getPath(), true, e);
    }
  }

  private void addCredentials(HttpRequest.Builder request) throws KfpApiException {
    Credentials c = connection.credentials();
    String token = tokenFile != null ? tokenFile.token() : c.tokenFromVariable();
    if (token != null && !token.isBlank()) {
      request.header("Authorization", "Bearer " + token.strip());
    }
    if (c.userId() != null) {
      request.header("kubeflow-userid", c.userId());
    }
    if (c.cookie() != null) {
      request.header("Cookie", c.cookie());
    }
  }

  /** The secret values sent, so a server echoing one back cannot put it into a message. */
  private List<String> secrets() {
    List<String> out = new ArrayList<>();
    Credentials c = connection.credentials();
    try {
      String token = tokenFile != null ? tokenFile.token() : c.tokenFromVariable();
      if (token != null && token.strip().length() >= 4) {
        out.add(token.strip());
      }
    } catch (KfpApiException e) {
      // The token file became unreadable after the request was sent: nothing to redact from it.
    }
    if (c.cookie() != null) {
      out.add(c.cookie());
      for (String part : c.cookie().split(";")) {
        int eq = part.indexOf('=');
        if (eq > 0 && part.length() - eq > 4) {
          out.add(part.substring(eq + 1).strip());
        }
      }
    }
    return out;
  }

  private KfpApiException unreachable(Call call, String what, Throwable cause) {
    return new KfpApiException(where(call) + ": " + what, 0, "", call.method(), call.path(), true, cause);
  }

  private String where(Call call) {
    return call.method() + " " + call.path() + " at " + connection.endpoint();
  }

  private URI uri(Call call) {
    StringBuilder s = new StringBuilder(connection.endpoint().toString()).append(call.path());
    if (call.query() != null && !call.query().isEmpty()) {
      char sep = '?';
      for (Map.Entry<String, String> e : call.query().entrySet()) {
        if (e.getValue() == null) {
          continue;
        }
        s.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
        sep = '&';
      }
    }
    return URI.create(s.toString());
  }

  public static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  private static SSLContext trustAll() throws KfpApiException {
    X509TrustManager all = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // --insecure: every certificate is accepted, as the user asked and was warned.
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // --insecure: see above.
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    // The JDK client checks host names separately; --insecure turns that off too (JVM-wide).
    System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
    return context(new TrustManager[] {all});
  }

  private static SSLContext trusting(KfpConnection connection) throws KfpApiException {
    String source = connection.caFile() != null ? "the CA file " + connection.caFile() : "the CA certificates given";
    try (InputStream in = connection.caFile() != null ? Files.newInputStream(connection.caFile())
        : new java.io.ByteArrayInputStream(connection.caCertificates().getBytes(StandardCharsets.UTF_8))) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      // The JDK's own roots stay trusted: the CA file adds to them.
      TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      defaults.init((KeyStore) null);
      int i = 0;
      for (TrustManager tm : defaults.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          for (X509Certificate cert : x.getAcceptedIssuers()) {
            store.setCertificateEntry("jdk-" + i++, cert);
          }
        }
      }
      int added = 0;
      for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + added++, cert);
      }
      if (added == 0) {
        throw new KfpApiException(source + " holds no PEM certificate", 0, "", "", "", false, null);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      return context(tmf.getTrustManagers());
    } catch (IOException | GeneralSecurityException e) {
      throw new KfpApiException("cannot use " + source + ": " + e.getMessage(), 0, "", "", "", false, e);
    }
  }

  private static SSLContext context(TrustManager[] managers) throws KfpApiException {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, managers, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new KfpApiException("cannot set up TLS: " + e.getMessage(), 0, "", "", "", false, e);
    }
  }
}
