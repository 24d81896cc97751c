package io.kfpci.monitor;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts a local runner so that it outlives whoever started it, in the manner of the Jenkins
 * {@code sh} step's durable task: the process gets its own session and process group (through
 * {@code setsid} where it exists), reads nothing from stdin, and writes stdout and stderr to files
 * in the run directory. A terminal hang-up, a Ctrl-C to the agent's process group or a restart of
 * the controller therefore does not reach it; only {@link RunCanceller} stops it early.
 *
 * <p>Stateless and thread-safe; {@link #launch} runs on the caller's thread and returns as soon as
 * the process exists.
 */
public final class DetachedLauncher {
  static final String STDOUT_FILE = "runner.stdout";
  static final String STDERR_FILE = "runner.stderr";

  /**
   * Variables by which Jenkins' process-tree killer recognises the processes of a build and kills
   * them when the build step ends; a run that must survive its watcher may not carry them.
   */
  private static final List<String> BUILD_COOKIES = List.of("BUILD_ID", "JENKINS_NODE_COOKIE",
      "JENKINS_SERVER_COOKIE", "HUDSON_COOKIE");

  private final Optional<Path> setsid;

  /** A launcher that detaches with {@code setsid} when it is on the PATH. */
  public DetachedLauncher() {
    this(findOnPath("setsid", System.getenv("PATH")));
  }

  DetachedLauncher(Optional<Path> setsid) {
    this.setsid = setsid;
  }

  /** Whether launched processes get their own session (false on platforms without setsid). */
  public boolean detachesSession() {
    return setsid.isPresent();
  }

  /**
   * Starts the command. The output directory is created if needed (the run directory is left to
   * the runner); an existing {@code runner.stdout} or {@code runner.stderr} is appended to, never
   * truncated.
   */
  public RunHandle launch(LaunchRequest request) throws MonitorException {
    Path runDir = request.runDirectory();
    Path outputDir = request.outputDirectory();
    List<String> command = new ArrayList<>();
    // setsid execs the command in place (no fork) because a freshly spawned child is never a
    // process group leader, so the pid we get back is the runner's own pid.
    setsid.ifPresent(path -> command.add(path.toString()));
    command.addAll(request.command());
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(request.workingDirectory().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(outputDir.resolve(STDOUT_FILE).toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(outputDir.resolve(STDERR_FILE).toFile()));
    Map<String, String> env = builder.environment();
    BUILD_COOKIES.forEach(env::remove);
    request.environment().forEach((name, value) -> {
      if (value == null) {
        env.remove(name);
      } else {
        env.put(name, value);
      }
    });
    Process process;
    try {
      Files.createDirectories(outputDir);
      process = builder.start();
    } catch (IOException e) {
      throw new MonitorException(runDir, "cannot start the local runner (" + request.command().get(0) + "): "
          + e.getMessage(), false, e);
    }
    ProcessHandle handle = process.toHandle();
    return new RunHandle(runDir, handle.pid(), handle.info().startInstant().orElse(null), outputDir);
  }

  private static File nullDevice() {
    return new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");
  }

  static Optional<Path> findOnPath(String program, String path) {
    if (path == null || File.separatorChar == '\\') {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
