package io.kfpci.monitor;

import java.nio.file.Path;
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
 */
public record RunHandle(Path runDirectory, long pid, Instant processStart) {
  /** Start times read back from the OS are rounded to clock ticks; a process that differs by more is another one. */
  private static final Duration START_TOLERANCE = Duration.ofSeconds(2);

  public RunHandle {
    Objects.requireNonNull(runDirectory, "runDirectory");
    if (pid <= 0) {
      throw new IllegalArgumentException("pid must be positive, not " + pid);
    }
    runDirectory = runDirectory.toAbsolutePath().normalize();
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
    return runDirectory.resolve(DetachedLauncher.STDOUT_FILE);
  }

  public Path stderrFile() {
    return runDirectory.resolve(DetachedLauncher.STDERR_FILE);
  }
}
