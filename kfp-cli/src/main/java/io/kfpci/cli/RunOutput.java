package io.kfpci.cli;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which run.log lines reach the console (run.log itself always has every line). Not thread-safe:
 * the caller serialises {@link #shows} calls, as it serialises its printing.
 *
 * <ul>
 *   <li>{@link Level#VERBOSE}: everything, including the KFP executor's own INFO lines and the
 *       executor input it dumps.
 *   <li>{@link Level#NORMAL}: state changes, the runner's notes, and each task's own output; the KFP
 *       executor's INFO lines and its multi-line input dump are left out (its warnings and errors stay).
 *   <li>{@link Level#QUIET}: state changes, warnings (GPU and resource shortfalls, validation
 *       warnings), retries and the runner's run-level notes.
 * </ul>
 */
final class RunOutput {
  enum Level { QUIET, NORMAL, VERBOSE }

  private static final Pattern TASK_LINE = Pattern.compile("\\[([^\\]]*)] (.*)", Pattern.DOTALL);
  private static final Pattern STATE = Pattern.compile(
      "-- (PENDING|RUNNING|SUCCEEDED|SKIPPED|FAILED|CANCELING|CANCELED)\\b.*", Pattern.DOTALL);
  private static final Pattern EXECUTOR_INFO = Pattern.compile("\\[KFP Executor [^\\]]* (INFO|DEBUG)]: (.*)",
      Pattern.DOTALL);
  private static final Pattern EXECUTOR_WARNING = Pattern.compile("\\[KFP Executor [^\\]]* (WARNING|ERROR|CRITICAL)]: .*",
      Pattern.DOTALL);

  /** A line of the executor's pretty-printed input: indented, or a lone bracket. */
  private static final Pattern DUMP_BODY = Pattern.compile("\\s.*|[\\[\\]{}],?");

  private final Level level;
  /** Tasks whose executor is printing its input: "Got executor_input:" up to a closing "}" line. */
  private final Set<String> inInputDump = new HashSet<>();

  RunOutput(Level level) {
    this.level = level;
  }

  static Level level(boolean quiet, boolean verbose) {
    return verbose ? Level.VERBOSE : quiet ? Level.QUIET : Level.NORMAL;
  }

  /**
   * A failed task's last log lines (without the {@code [task] } prefix) as {@code level} shows them.
   * The tail may begin inside the executor's input dump, after its header: those leading lines
   * (indented JSON up to the closing brace) are dropped too.
   */
  static List<String> tail(String taskId, List<String> lines, Level level) {
    if (level == Level.VERBOSE) {
      return lines;
    }
    int start = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.equals("}")) {
        start = i + 1;
        break;
      }
      if (!DUMP_BODY.matcher(line).matches()) {
        break;
      }
    }
    RunOutput filter = new RunOutput(Level.NORMAL);
    return lines.subList(start, lines.size()).stream().filter(l -> filter.shows("[" + taskId + "] " + l)).toList();
  }

  boolean shows(String line) {
    if (level == Level.VERBOSE) {
      return true;
    }
    Matcher task = TASK_LINE.matcher(line);
    if (!task.matches()) {
      return true; // the runner's own lines, e.g. validation warnings
    }
    String id = task.group(1);
    String text = task.group(2);
    if (inInputDump.contains(id)) {
      if (text.equals("}")) {
        inInputDump.remove(id);
      }
      return false;
    }
    Matcher info = EXECUTOR_INFO.matcher(text);
    if (info.matches()) {
      if (info.group(2).startsWith("Got executor_input:")) {
        inInputDump.add(id);
      }
      return false;
    }
    return level == Level.NORMAL || isQuietLine(id, text);
  }

  /** What {@code -q} keeps: state changes, warnings, retries, and the run's own notes. */
  private static boolean isQuietLine(String id, String text) {
    return STATE.matcher(text).matches()
        || id.equals("run")
        || text.startsWith("warning:") || text.startsWith("-- warning:")
        || text.startsWith("-- attempt ") || text.startsWith("-- stopped process ") || text.startsWith("-- cannot ")
        || EXECUTOR_WARNING.matcher(text).matches();
  }
}
