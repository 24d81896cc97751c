package io.kfpci.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Launches {@link FakeRunner} as a real detached process and waits on the watcher, for tests. */
final class FakeRuns {
  /** Safety net only: a broken test fails after this instead of hanging the build. */
  private static final long GIVE_UP_MILLIS = 120_000;

  private FakeRuns() {}

  static RunHandle launch(Path runDir, String specJson) throws IOException, MonitorException {
    return launch(runDir, specJson, runDir);
  }

  /** Launches with runner.stdout and runner.stderr in {@code outputDir}. */
  static RunHandle launch(Path runDir, String specJson, Path outputDir) throws IOException, MonitorException {
    Files.createDirectories(runDir.getParent());
    Path spec = runDir.resolveSibling(runDir.getFileName() + ".spec.json");
    Files.writeString(spec, specJson);
    List<Path> classpath = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .map(Path::of).toList();
    LaunchRequest request = LaunchRequest.builder(runDir)
        .javaMain(classpath, FakeRunner.class.getName(), List.of(spec.toString()))
        .outputDirectory(outputDir)
        .build();
    return new DetachedLauncher().launch(request);
  }

  /** Polls every 50 ms, collecting events, until {@code done} holds for the events so far. */
  static List<RunEvent> pollUntil(RunWatcher watcher, List<RunEvent> seen, Predicate<List<RunEvent>> done)
      throws MonitorException, InterruptedException {
    long giveUp = System.currentTimeMillis() + GIVE_UP_MILLIS;
    while (!done.test(seen)) {
      if (System.currentTimeMillis() > giveUp) {
        throw new AssertionError("gave up waiting; events so far: " + seen);
      }
      WatchUpdate update = watcher.poll();
      seen.addAll(update.events());
      if (update.finished() && !done.test(seen)) {
        throw new AssertionError("the run finished first; events: " + seen);
      }
      if (!update.moreLog()) {
        Thread.sleep(50);
      }
    }
    return seen;
  }

  static WatchUpdate follow(RunWatcher watcher, List<RunEvent> seen) throws MonitorException, InterruptedException {
    return watcher.follow(seen::add, new PollBackoff(java.time.Duration.ofMillis(50),
        java.time.Duration.ofMillis(200), 1.5));
  }

  static Predicate<List<RunEvent>> taskReached(String taskId, io.kfpci.report.RuntimeState state) {
    return events -> events.stream().anyMatch(e -> e instanceof RunEvent.TaskStateChanged t
        && t.taskId().equals(taskId) && t.to() == state);
  }

  static List<String> logLines(List<RunEvent> events) {
    List<String> out = new ArrayList<>();
    for (RunEvent e : events) {
      if (e instanceof RunEvent.LogLine line) {
        out.add("[" + line.taskId() + "] " + line.text());
      }
    }
    return out;
  }

  /** The process group and session of a pid from /proc (Linux), if the platform has it. */
  static Optional<long[]> groupAndSession(long pid) throws IOException {
    Path stat = Path.of("/proc", String.valueOf(pid), "stat");
    if (!Files.isRegularFile(stat)) {
      return Optional.empty();
    }
    String text = Files.readString(stat);
    String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
    return Optional.of(new long[] {Long.parseLong(fields[2]), Long.parseLong(fields[3])});
  }

  /**
   * The child process the fake runner started for a task. The runner writes the pid file after the
   * task's RUNNING line, so on a loaded machine a test can get here first: wait for the file (the
   * runner renames it into place whole) rather than race it.
   */
  static Optional<ProcessHandle> childOf(Path runDir, String taskId) throws IOException, InterruptedException {
    Path file = runDir.resolve(taskId + ".child.pid");
    long giveUp = System.currentTimeMillis() + GIVE_UP_MILLIS;
    while (!Files.isRegularFile(file)) {
      if (System.currentTimeMillis() > giveUp) {
        throw new AssertionError("the fake runner wrote no " + file.getFileName() + " in " + GIVE_UP_MILLIS + " ms");
      }
      Thread.sleep(20);
    }
    return ProcessHandle.of(Long.parseLong(Files.readString(file).strip()));
  }
}
