package io.kfpci.remote.logs;

/** Where mirrored lines go (a console, a build log); called from the mirroring thread only. */
public interface LogSink {
  void line(LogLine line);

  /** Something the reader should know about a task's log that is not a line of it (cache, archive, gone). */
  void notice(String task, String message);
}
