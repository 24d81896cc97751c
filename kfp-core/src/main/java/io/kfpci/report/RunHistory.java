package io.kfpci.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.kfpci.KfpException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Earlier run summaries of a pipeline, found in a directory, for the report's trend charts. A
 * pipeline root ({@code kfp-runs/<pipeline>/<run-id>/summary.json}) or a folder of archived
 * summaries both work: every {@code summary.json}, and every other {@code *.json} file whose top-level
 * object has {@code format_version} and {@code run_id}, up to {@link #MAX_DEPTH} levels down, is read.
 * The other JSON files of a run directory (spec.json, executor outputs, cache entries) are not
 * summaries and are passed over without a word.
 */
public final class RunHistory {
  /** How deep below the directory summaries are looked for. */
  public static final int MAX_DEPTH = 4;

  /**
   * @param runs summaries of the pipeline, oldest first (by creation time, then run id)
   * @param warnings one line per file that is (or says it is) a summary but could not be read
   * @param otherPipelines how many summaries were of other pipelines (and left out)
   */
  public record Loaded(List<RunSummary> runs, List<String> warnings, int otherPipelines) {
    public Loaded {
      runs = List.copyOf(runs);
      warnings = List.copyOf(warnings);
    }
  }

  private RunHistory() {}

  /**
   * Reads the summaries of {@code pipelineName} under {@code dir}, leaving out {@code runId} (the
   * run being reported). Unreadable files are reported as warnings, not errors: one broken file
   * should not cost the report.
   *
   * @throws KfpException when {@code dir} is not a readable directory
   */
  public static Loaded load(Path dir, String pipelineName, String runId) throws KfpException {
    if (!Files.isDirectory(dir)) {
      throw new KfpException("history directory " + dir + " does not exist or is not a directory");
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir, MAX_DEPTH)) {
      files = walk.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
          .sorted().toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new KfpException("cannot list history directory " + dir + ": " + e.getMessage(), e);
    }
    List<RunSummary> runs = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    int others = 0;
    for (Path file : files) {
      if (!isSummary(file)) {
        continue;
      }
      RunSummary run;
      try {
        run = RunSummaryJson.read(file);
      } catch (KfpException e) {
        warnings.add("skipped " + e.getMessage());
        continue;
      }
      if (!run.pipelineName().equals(pipelineName)) {
        others++;
      } else if (!run.runId().equals(runId)) {
        runs.add(run);
      }
    }
    runs.sort(Comparator.comparing(RunSummary::createdAt).thenComparing(RunSummary::runId));
    return new Loaded(runs, warnings, others);
  }

  /**
   * A run's summary.json, or an archived summary under another name: a JSON object whose top-level
   * fields include format_version and run_id. Only the top level is scanned, values are skipped.
   */
  private static boolean isSummary(Path file) {
    if (file.getFileName().toString().equals("summary.json")) {
      return true;
    }
    boolean format = false;
    boolean runId = false;
    try (JsonParser parser = SNIFFER.createParser(file.toFile())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        format |= name.equals("format_version");
        runId |= name.equals("run_id");
        parser.nextToken();
        parser.skipChildren();
      }
      return format && runId;
    } catch (IOException e) {
      // Not JSON; or a summary cut short (it starts as one), which deserves its warning.
      return format;
    }
  }

  private static final JsonFactory SNIFFER = new JsonFactory();
}
