package io.kfpci.monitor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to start detached: the command line, the run directory it will write, its working
 * directory and the environment variables to add. Build with {@link #builder(Path)}.
 *
 * @param outputDirectory where the runner's stdout and stderr files go; the run directory unless
 *     the runner must find its run directory absent (then a launch directory beside it)
 * @param environment added to (and overriding) the launching process's environment; a null value
 *     removes the variable
 */
public record LaunchRequest(List<String> command, Path runDirectory, Path workingDirectory, Path outputDirectory,
    Map<String, String> environment) {

  public LaunchRequest {
    command = List.copyOf(command);
    Objects.requireNonNull(runDirectory, "runDirectory");
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(outputDirectory, "outputDirectory");
    environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
  }

  public static Builder builder(Path runDirectory) {
    return new Builder(runDirectory);
  }

  /** Collects a launch request; {@link #build()} checks it. */
  public static final class Builder {
    private final Path runDirectory;
    private final List<String> command = new ArrayList<>();
    private Path workingDirectory;
    private Path outputDirectory;
    private final Map<String, String> environment = new LinkedHashMap<>();

    private Builder(Path runDirectory) {
      this.runDirectory = runDirectory;
    }

    public Builder command(List<String> value) {
      command.clear();
      command.addAll(value);
      return this;
    }

    /**
     * Runs {@code mainClass} with {@code args} on the Java of this JVM ({@code java.home}), with
     * {@code classpath} joined by this platform's separator: on an agent, the agent's own Java.
     */
    public Builder javaMain(List<Path> classpath, String mainClass, List<String> args) {
      if (classpath.isEmpty()) {
        throw new IllegalArgumentException("the classpath must not be empty");
      }
      List<String> words = new ArrayList<>();
      words.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      words.add("-cp");
      words.add(String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList()));
      words.add(mainClass);
      words.addAll(args);
      return command(words);
    }

    public Builder workingDirectory(Path value) {
      this.workingDirectory = value;
      return this;
    }

    /** Where runner.stdout and runner.stderr go (default: the run directory). */
    public Builder outputDirectory(Path value) {
      this.outputDirectory = value;
      return this;
    }

    /** Sets a variable; {@code null} removes it from the inherited environment. */
    public Builder environment(String name, String value) {
      environment.put(name, value);
      return this;
    }

    public LaunchRequest build() {
      if (runDirectory == null || !runDirectory.isAbsolute()) {
        throw new IllegalArgumentException("the run directory must be an absolute path: " + runDirectory);
      }
      if (command.isEmpty() || command.stream().anyMatch(c -> c == null || c.isEmpty())) {
        throw new IllegalArgumentException("the command must be non-empty words: " + command);
      }
      Path output = outputDirectory != null ? outputDirectory : runDirectory;
      if (!output.isAbsolute()) {
        throw new IllegalArgumentException("the output directory must be an absolute path: " + output);
      }
      // The output directory exists before the start; the run directory may not.
      Path work = workingDirectory != null ? workingDirectory : output;
      if (!work.isAbsolute()) {
        throw new IllegalArgumentException("the working directory must be an absolute path: " + work);
      }
      return new LaunchRequest(command, runDirectory.normalize(), work.normalize(), output.normalize(), environment);
    }
  }
}
