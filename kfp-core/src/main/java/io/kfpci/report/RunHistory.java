package io.kfpci.report;

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
 * summaries both work: every {@code *.json} file up to {@link #MAX_DEPTH} levels down is read.
 */
public final class RunHistory {
  /** How deep below the directory summaries are looked for. */
  public static final int MAX_DEPTH = 4;

  /**
   * @param runs summaries of the pipeline, oldest first (by creation time, then run id)
   * @param warnings one line per file that looked like a summary but could not be read
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
}
