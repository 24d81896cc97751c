package io.kfpci.report.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The page's one embedded stylesheet (report.css beside this class) and its CSP hash. The page
 * allows exactly this stylesheet by hash, so it needs no {@code 'unsafe-inline'} and keeps
 * working under a strict Content-Security-Policy.
 */
public final class Stylesheet {
  public static final String CSS = load();
  /** {@code 'sha256-…'} of {@link #CSS}, for the {@code style-src} directive. */
  public static final String CSP_SOURCE = "'sha256-" + sha256(CSS) + "'";

  private Stylesheet() {}

  private static String load() {
    try (InputStream in = Stylesheet.class.getResourceAsStream("report.css")) {
      if (in == null) {
        throw new IllegalStateException("report.css is missing from the kfp-core jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read report.css from the kfp-core jar", e);
    }
  }

  private static String sha256(String text) {
    try {
      return Base64.getEncoder().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
