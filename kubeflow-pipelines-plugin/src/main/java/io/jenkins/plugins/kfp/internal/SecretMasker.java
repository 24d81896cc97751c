package io.jenkins.plugins.kfp.internal;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces the secret values resolved for one use of an endpoint (a bearer token, a cookie and its
 * values, the object store's secret key, a kubeconfig's tokens and keys) by {@value #MASK} in text
 * bound for the console. The plugin's lines for a remote run and every warning of a connection
 * pass through one, so a server or a library echoing a secret back cannot print it.
 *
 * <p>Immutable and Jenkins-free; held in memory for the calls at hand, never persisted. Longer
 * secrets are replaced first, so a secret containing another is masked whole.
 */
public final class SecretMasker {
  public static final String MASK = "****";
  /** Masking shorter values would garble ordinary text without hiding anything worth hiding. */
  static final int MIN_LENGTH = 3;
  private static final Pattern KUBECONFIG_SECRET = Pattern.compile(
      "(?m)^\\s*-?\\s*(token|id-token|refresh-token|client-key-data|password|access-token|secret)\\s*:\\s*\"?([^\"\\s]+)\"?\\s*$");
  public static final SecretMasker NONE = new SecretMasker(List.of());

  private final List<String> secrets;
  private final Pattern pattern;

  private SecretMasker(List<String> secrets) {
    this.secrets = secrets;
    this.pattern = secrets.isEmpty() ? null
        : Pattern.compile(String.join("|", secrets.stream().map(Pattern::quote).toList()));
  }

  /** A masker for these values; null, blank and very short ones are ignored. */
  public static SecretMasker of(Collection<String> values) {
    Set<String> kept = new LinkedHashSet<>();
    for (String value : values) {
      if (value == null) {
        continue;
      }
      String v = value.strip();
      if (v.length() >= MIN_LENGTH) {
        kept.add(v);
      }
      // A multi-line secret (a file) is also masked line by line, as a console shows it.
      if (v.indexOf('\n') >= 0) {
        for (String line : v.split("\\R")) {
          if (line.strip().length() >= 8) {
            kept.add(line.strip());
          }
        }
      }
    }
    List<String> sorted = new ArrayList<>(kept);
    sorted.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
    return new SecretMasker(List.copyOf(sorted));
  }

  /** The values of a raw {@code Cookie} header worth masking: the whole and each cookie's value. */
  public static List<String> cookieSecrets(String cookie) {
    List<String> out = new ArrayList<>();
    if (cookie == null) {
      return out;
    }
    out.add(cookie);
    for (String part : cookie.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        out.add(part.substring(eq + 1).strip());
      }
    }
    return out;
  }

  /**
   * The secrets in a kubeconfig: its tokens, keys and passwords (not its whole text: server
   * addresses and names are not secret, and masking them would hide what a message is about).
   */
  public static List<String> kubeconfigSecrets(String kubeconfig) {
    List<String> out = new ArrayList<>();
    if (kubeconfig == null) {
      return out;
    }
    Matcher m = KUBECONFIG_SECRET.matcher(kubeconfig);
    while (m.find()) {
      out.add(m.group(2));
    }
    return out;
  }

  /** A masker for these values and this one's. */
  public SecretMasker and(Collection<String> more) {
    List<String> all = new ArrayList<>(secrets);
    all.addAll(more);
    return of(all);
  }

  /** How many distinct values are masked. */
  public int size() {
    return secrets.size();
  }

  public String mask(String text) {
    if (pattern == null || text == null) {
      return text;
    }
    return pattern.matcher(text).replaceAll(Matcher.quoteReplacement(MASK));
  }

  /** Lines to {@code out}, masked. */
  public Consumer<String> masking(Consumer<String> out) {
    return line -> out.accept(mask(line));
  }

  /**
   * A stream that masks each line before it reaches {@code out} (UTF-8; a line is written when its
   * newline is, and the last one on close). A partial line is held even on flush: a secret written
   * in two pieces must not leave as two unmasked halves. Closing it closes {@code out}.
   */
  public OutputStream masking(OutputStream out) {
    if (pattern == null) {
      return out;
    }
    return new FilterOutputStream(out) {
      private final ByteArrayOutputStream line = new ByteArrayOutputStream();

      @Override
      public void write(int b) throws IOException {
        line.write(b);
        if (b == '\n') {
          drain();
        }
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
          write(b[i]);
        }
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        drain();
        super.close();
      }

      private void drain() throws IOException {
        if (line.size() == 0) {
          return;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        out.write(mask(text).getBytes(StandardCharsets.UTF_8));
      }
    };
  }

  /**
   * A console logger that masks each line before it reaches {@code out} (a build's
   * {@code TaskListener.getLogger()}): for the lines a step prints about its calls. Printing a
   * line ({@code println}) writes it; closing it closes nothing ({@code out} is the build's).
   */
  public PrintStream masking(PrintStream out) {
    if (pattern == null) {
      return out;
    }
    OutputStream masked = masking((OutputStream) new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    });
    return new PrintStream(masked, true, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    // Never the values: only how many there are.
    return "SecretMasker[" + secrets.size() + " values]";
  }
}
