package io.kfpci.python;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where and how managed Python environments are made. Immutable; build with {@link #builder()}.
 *
 * @param pythonExecutable the interpreter that creates venvs, {@code python3} by default
 * @param cacheDirectory root of the per-user cache; venvs live in {@code venvs/} below it
 * @param installTimeout deadline for creating one venv and installing its packages
 */
public record PythonSettings(String pythonExecutable, Path cacheDirectory, Duration installTimeout) {

  /** The kfp SDK version pinned by this build (root pom {@code kfp.sdk.version}). */
  public static final String DEFAULT_KFP_VERSION = loadPinnedKfpVersion();

  public PythonSettings {
    Objects.requireNonNull(pythonExecutable, "pythonExecutable");
    Objects.requireNonNull(cacheDirectory, "cacheDirectory");
    Objects.requireNonNull(installTimeout, "installTimeout");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The defaults, honouring KFPCI_PYTHON and KFPCI_CACHE_DIR / XDG_CACHE_HOME. */
  public static PythonSettings defaults() {
    return builder().build();
  }

  /** The per-user cache: $KFPCI_CACHE_DIR, else $XDG_CACHE_HOME/kfpci, else ~/.cache/kfpci. */
  public static Path defaultCacheDirectory(Map<String, String> env) {
    String explicit = env.get("KFPCI_CACHE_DIR");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "kfpci");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "kfpci");
  }

  public static final class Builder {
    private String pythonExecutable;
    private Path cacheDirectory;
    private Duration installTimeout = Duration.ofMinutes(15);

    private Builder() {}

    public Builder pythonExecutable(String value) {
      this.pythonExecutable = value;
      return this;
    }

    public Builder cacheDirectory(Path value) {
      this.cacheDirectory = value;
      return this;
    }

    public Builder installTimeout(Duration value) {
      this.installTimeout = value;
      return this;
    }

    public PythonSettings build() {
      Map<String, String> env = System.getenv();
      String python = pythonExecutable != null ? pythonExecutable
          : env.getOrDefault("KFPCI_PYTHON", "python3");
      if (python.isBlank()) {
        throw new IllegalArgumentException("pythonExecutable must not be blank");
      }
      if (installTimeout.isNegative() || installTimeout.isZero()) {
        throw new IllegalArgumentException("installTimeout must be positive");
      }
      Path cache = cacheDirectory != null ? cacheDirectory : defaultCacheDirectory(env);
      return new PythonSettings(python, cache.toAbsolutePath().normalize(), installTimeout);
    }
  }

  private static String loadPinnedKfpVersion() {
    try (InputStream in = PythonSettings.class.getResourceAsStream("versions.properties")) {
      Properties properties = new Properties();
      properties.load(Objects.requireNonNull(in, "versions.properties is missing from the build"));
      return properties.getProperty("kfp.sdk.version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
