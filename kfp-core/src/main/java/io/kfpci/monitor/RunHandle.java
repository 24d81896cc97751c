package io.kfpci.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Identifies a launched runner process: where it writes and which process it is. The pid alone
 * is not enough after a restart of the watcher (the runner may have ended and the pid been
 * reused), so the process start time is kept and compared too.
 *
 * @param runDirectory the run directory the runner writes (summary.json, run.log, ...)
 * @param pid the runner's process id
 * @param processStart when the process started as the operating system reports it, or null when
 *     the platform does not say; then the pid alone identifies the process
 * @param outputDirectory where the runner's stdout and stderr go ({@code runner.stdout},
 *     {@code runner.stderr}): the run directory itself, or a launch directory beside it when the
 *     runner insists on creating its run directory itself
 */
public record RunHandle(Path runDirectory, long pid, Instant processStart, Path outputDirectory) {
  /** Start times read back from the OS are rounded to clock ticks; a process that differs by more is another one. */
  private static final Duration START_TOLERANCE = Duration.ofSeconds(2);
  /** A runner writes runner.json once its JVM is up: its process started at most this long before. */
  private static final Duration RUNNER_STARTUP = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  public RunHandle {
    Objects.requireNonNull(runDirectory, "runDirectory");
    if (pid <= 0) {
      throw new IllegalArgumentException("pid must be positive, not " + pid);
    }
    runDirectory = runDirectory.toAbsolutePath().normalize();
    outputDirectory = outputDirectory == null ? runDirectory : outputDirectory.toAbsolutePath().normalize();
  }

  /** A runner whose stdout and stderr are in its run directory. */
  public RunHandle(Path runDirectory, long pid, Instant processStart) {
    this(runDirectory, pid, processStart, null);
  }

  /**
   * The runner of a run directory as its runner.json describes it ({@code pid}, {@code started_at}),
   * or empty when the runner has not (completely) written it yet. Used to re-attach to a run whose launch was
   * interrupted before its handle was saved. The process start is taken from the live process
   * when it plausibly is the runner (started shortly before runner.json says), else the
   * {@code started_at} time, which then no other process matches.
   */
  public static Optional<RunHandle> fromRunnerFile(Path runDirectory, Path outputDirectory) throws MonitorException {
    Path file = runDirectory.resolve("runner.json");
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new MonitorException(runDirectory, "cannot read " + file + ": " + e.getMessage(), true, e);
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (IOException e) {
      // Caught mid-write: the runner is still writing it. Look again later.
      return Optional.empty();
    }
    if (root == null || root.isMissingNode()) {
      return Optional.empty();
    }
    long pid = root.path("pid").asLong();
    if (pid <= 0) {
      throw new MonitorException(runDirectory, file + " has no valid \"pid\"");
    }
    Instant startedAt;
    try {
      startedAt = root.hasNonNull("started_at") ? Instant.parse(root.get("started_at").asText()) : null;
    } catch (DateTimeException e) {
      throw new MonitorException(runDirectory, file + ": \"started_at\" is not an RFC 3339 time", false, e);
    }
    Instant processStart = ProcessHandle.of(pid).flatMap(p -> p.info().startInstant())
        .filter(start -> startedAt == null || (!start.isAfter(startedAt.plus(START_TOLERANCE))
            && !start.isBefore(startedAt.minus(RUNNER_STARTUP))))
        .orElse(startedAt);
    return Optional.of(new RunHandle(runDirectory, pid, processStart, outputDirectory));
  }

  /** {@link #fromRunnerFile(Path, Path)} for a runner whose output is in its run directory. */
  public static Optional<RunHandle> fromRunnerFile(Path runDirectory) throws MonitorException {
    return fromRunnerFile(runDirectory, null);
  }

  /** The runner process, if it is still the same process and still alive. */
  public Optional<ProcessHandle> process() {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::isSameProcess);
  }

  /** True while the runner process is alive. */
  public boolean isAlive() {
    return process().isPresent();
  }

  private boolean isSameProcess(ProcessHandle handle) {
    if (processStart == null) {
      return true;
    }
    return handle.info().startInstant()
        .map(start -> Duration.between(start, processStart).abs().compareTo(START_TOLERANCE) <= 0)
        .orElse(true);
  }

  public Path summaryFile() {
    return runDirectory.resolve("summary.json");
  }

  public Path logFile() {
    return runDirectory.resolve("run.log");
  }

  public Path stdoutFile() {
    return outputDirectory.resolve(DetachedLauncher.STDOUT_FILE);
  }

  public Path stderrFile() {
    return outputDirectory.resolve(DetachedLauncher.STDERR_FILE);
  }
}
