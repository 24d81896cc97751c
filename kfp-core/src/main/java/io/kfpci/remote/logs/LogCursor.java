package io.kfpci.remote.logs;

import java.time.Instant;

/**
 * How far one task attempt's log has been mirrored; kept in the remote watch state so a resumed
 * watch neither repeats nor loses a line.
 *
 * <p>The kubelet's {@code sinceTime} has second precision and several lines can share one
 * timestamp, so a reconnect asks from the last line's second and skips what it already has: every
 * line before {@code last}, and the first {@code atLast} lines stamped exactly {@code last}.
 *
 * @param last the timestamp of the last mirrored line, or null before the first
 * @param atLast how many mirrored lines carry exactly {@code last}
 * @param lines how many lines were mirrored in all (an archive, which has no timestamps, is
 *     continued after this many lines)
 * @param done nothing more will come: the pod ended and was read to the end, an archive was read,
 *     or the task was served from cache
 */
public record LogCursor(Instant last, int atLast, long lines, boolean done) {
  public static final LogCursor START = new LogCursor(null, 0, 0, false);

  public LogCursor {
    if (atLast < 0 || lines < 0) {
      throw new IllegalArgumentException("negative log offset");
    }
  }

  public LogCursor finished() {
    return new LogCursor(last, atLast, lines, true);
  }
}
