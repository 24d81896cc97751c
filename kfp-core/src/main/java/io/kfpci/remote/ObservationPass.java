package io.kfpci.remote;

import io.kfpci.KfpException;
import io.kfpci.artifacts.RunMetadata;
import io.kfpci.artifacts.RunMetadataReader;
import io.kfpci.artifacts.RunNotInMetadataStoreException;
import io.kfpci.artifacts.TaskPod;
import io.kfpci.remote.logs.LogCursor;
import io.kfpci.remote.logs.LogLine;
import io.kfpci.remote.logs.LogMirror;
import io.kfpci.remote.logs.LogSink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One look at a remote run besides its API state, for a watcher that looks now and then and keeps
 * nothing open in between (the Jenkins step's timer checks): the run's records in ML Metadata,
 * then, through the pods those records name, what is new in the tasks' logs since the saved
 * cursors. Stateless: what must survive to the next pass (the cursors, the failures already
 * warned about) is returned for the caller to persist.
 *
 * <p>Neither failure stops the watch: a store or log source that fails is warned about once per
 * distinct message ({@link Result#warnings()}), and the next pass tries again.
 */
public final class ObservationPass {
  private ObservationPass() {}

  /**
   * The failures of the last pass that were warned about, null where that part worked: a caller
   * persists the two strings with its watch and hands them to the next pass.
   */
  public record Failures(String metadata, String logs, String cluster) {
    public static final Failures NONE = new Failures(null, null, null);
  }

  /**
   * What one pass saw.
   *
   * @param metadata the run's records, or null (not recorded yet, or the store failed)
   * @param cursors the log cursors after this pass (the ones given when no log was read)
   * @param failures to hand to the next pass
   * @param warnings what to tell the user now: each failure that differs from the last pass's
   */
  public record Result(RunMetadata metadata, Map<String, LogCursor> cursors, Failures failures,
      List<String> warnings) {
    public Result {
      // In the order given: the caller persists them, and an unchanged pass must give the same text.
      cursors = Collections.unmodifiableMap(new LinkedHashMap<>(cursors));
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Where a console's mirrored logs go: each line as {@code [task] text}, each notice (a cache hit,
   * an archive read) as {@code [task] (notice)}.
   */
  public static LogSink console(Consumer<String> out) {
    return new LogSink() {
      @Override
      public void line(LogLine line) {
        out.accept(line.format());
      }

      @Override
      public void notice(String task, String message) {
        out.accept("[" + task + "] (" + message + ")");
      }
    };
  }

  /**
   * Reads the run's records, then mirrors what is new of its tasks' logs into the mirror's sink.
   *
   * @param logs null to read only the records
   * @param cursors per task label, from the last pass or the saved watch state
   * @param previous the failures the last pass returned ({@link Failures#NONE} at first)
   * @param clusterFailure why the cluster could not be reached this pass (so {@code logs} reads only
   *     the archives), or null
   */
  public static Result run(RunMetadataReader reader, LogMirror logs, String runId, Map<String, LogCursor> cursors,
      Failures previous, String clusterFailure) throws InterruptedException {
    Objects.requireNonNull(reader, "reader");
    List<String> warnings = new ArrayList<>();
    if (clusterFailure != null && !clusterFailure.equals(previous.cluster())) {
      warnings.add("the tasks' pods cannot be reached, logs come from the archives once each task ends: "
          + clusterFailure);
    }
    RunMetadata metadata;
    try {
      metadata = reader.read(runId);
    } catch (RunNotInMetadataStoreException notYet) {
      // The driver has not recorded the run yet: nothing failed, and no pod is known.
      return new Result(null, cursors, new Failures(null, previous.logs(), clusterFailure), warnings);
    } catch (KfpException e) {
      String message = e.getMessage();
      if (!message.equals(previous.metadata())) {
        warnings.add("metrics and artifacts unavailable for now: " + message);
      }
      return new Result(null, cursors, new Failures(message, previous.logs(), clusterFailure), warnings);
    }
    if (logs == null) {
      return new Result(metadata, cursors, new Failures(null, null, clusterFailure), warnings);
    }
    // One attempt at a time: a source failing for one keeps what was mirrored of the others, so
    // no line printed in this pass is printed again by the next.
    Map<String, LogCursor> next = new LinkedHashMap<>(cursors);
    String failure = null;
    for (TaskPod pod : metadata.pods()) {
      try {
        next.putAll(logs.poll(runId, List.of(pod), next));
      } catch (KfpException e) {
        failure = failure == null ? e.getMessage() : failure;
      }
    }
    if (failure != null && !failure.equals(previous.logs())) {
      warnings.add("task logs unavailable for now: " + failure);
    }
    return new Result(metadata, next, new Failures(null, failure, clusterFailure), warnings);
  }
}
