package io.kfpci.compile;

import io.kfpci.python.PythonSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What to compile and with which SDK. Build with {@link #builder(Path)}; {@code build()} checks it.
 *
 * @param function the pipeline function; empty means "the only @dsl.pipeline in the file"
 * @param output where the IR YAML goes; defaults to the source with a .yaml extension
 * @param kfpVersion the kfp (and kfp-kubernetes) version the managed venv installs
 * @param compileCache reuse the IR of an earlier compile when nothing it read has changed, and keep
 *     this one for later ({@link CompileCache}); off unless asked for
 */
public record CompileRequest(Path source, Optional<String> function, Path output, String kfpVersion, Duration timeout,
    boolean compileCache) {

  public CompileRequest {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(kfpVersion, "kfpVersion");
    Objects.requireNonNull(timeout, "timeout");
  }

  public static Builder builder(Path source) {
    return new Builder(source);
  }

  public static final class Builder {
    private final Path source;
    private String function;
    private Path output;
    private String kfpVersion = PythonSettings.DEFAULT_KFP_VERSION;
    private Duration timeout = Duration.ofMinutes(5);
    private boolean compileCache;

    private Builder(Path source) {
      this.source = source;
    }

    public Builder function(String value) {
      this.function = value;
      return this;
    }

    public Builder output(Path value) {
      this.output = value;
      return this;
    }

    public Builder kfpVersion(String value) {
      this.kfpVersion = value;
      return this;
    }

    public Builder timeout(Duration value) {
      this.timeout = value;
      return this;
    }

    public Builder compileCache(boolean value) {
      this.compileCache = value;
      return this;
    }

    public CompileRequest build() {
      Objects.requireNonNull(source, "source");
      String name = source.getFileName().toString();
      if (!name.endsWith(".py")) {
        throw new IllegalArgumentException("the pipeline source must be a .py file: " + source);
      }
      if (kfpVersion == null || !kfpVersion.matches("\\d+\\.\\d+(\\.\\d+)?([a-z0-9.]*)?")) {
        throw new IllegalArgumentException("not a kfp version: '" + kfpVersion + "'");
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      Path out = output != null ? output
          : source.resolveSibling(name.substring(0, name.length() - 3) + ".yaml");
      return new CompileRequest(source, Optional.ofNullable(function).filter(f -> !f.isBlank()), out,
          kfpVersion, timeout, compileCache);
    }
  }
}
