package io.kfpci.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs child processes with a deadline. On timeout or interrupt the whole process tree is killed,
 * not just the direct child: pip and Python spawn their own children, and an orphan holding a
 * venv lock would block the next build.
 */
public final class Processes {
  private Processes() {}

  /**
   * Runs {@code command} to completion and captures its output.
   *
   * @param environment added to (and overriding) the inherited environment
   */
  public static ProcessResult run(List<String> command, Path workingDirectory, Map<String, String> environment,
      Duration timeout, String what) throws IOException, InterruptedException, ProcessTimeoutException {
    ProcessBuilder builder = new ProcessBuilder(command);
    if (workingDirectory != null) {
      builder.directory(workingDirectory.toFile());
    }
    builder.environment().putAll(environment);
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    Process process = builder.start();
    process.getOutputStream().close();
    CompletableFuture<String> stdout = drain(process.getInputStream());
    CompletableFuture<String> stderr = drain(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        destroyTree(process.toHandle());
        throw new ProcessTimeoutException(what, timeout);
      }
    } catch (InterruptedException e) {
      destroyTree(process.toHandle());
      throw e;
    }
    return new ProcessResult(process.exitValue(), stdout.join(), stderr.join());
  }

  /** Kills a process and all of its descendants, children first, then waits briefly for them. */
  public static void destroyTree(ProcessHandle root) {
    List<ProcessHandle> descendants = root.descendants().toList();
    descendants.forEach(ProcessHandle::destroyForcibly);
    root.destroyForcibly();
    for (ProcessHandle handle : descendants) {
      handle.onExit().completeOnTimeout(handle, 5, TimeUnit.SECONDS).join();
    }
    root.onExit().completeOnTimeout(root, 5, TimeUnit.SECONDS).join();
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        stream.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
