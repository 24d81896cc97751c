package io.kfpci.validate;

import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.problem.Problem;
import io.kfpci.problem.Rule;
import io.kfpci.problem.SourcePosition;
import io.kfpci.validate.internal.DagRules;
import io.kfpci.validate.internal.DocumentRules;
import io.kfpci.validate.internal.ExecutorRules;
import io.kfpci.validate.internal.NameRules;
import io.kfpci.validate.internal.ProblemSink;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Structural and semantic checks of a KFP pipeline, each with a stable rule id (see {@link Rule}
 * and docs/validation-rules.md). Stateless and thread-safe.
 */
public final class Validator {
  private Validator() {}

  /** Every problem of a loaded document. */
  public static ValidationReport validate(PipelineDocument document) {
    ProblemSink sink = new ProblemSink(document.sourceMap());
    DocumentRules.check(document, sink);
    NameRules.check(document, sink);
    DagRules.check(document, sink);
    ExecutorRules.check(document, sink);
    return new ValidationReport(document.source(), sink.problems());
  }

  /** Loads and validates a file; a file that does not load gives its load problems. */
  public static ValidationReport validate(Path file) {
    return validate(file, Map.of());
  }

  /**
   * Loads and validates a file, and checks run parameters ({@code name=value} text, see
   * {@link RunParameters}) against its inputs when any are given. A file that does not load, or
   * cannot be read, gives that problem alone.
   */
  public static ValidationReport validate(Path file, Map<String, String> runParameters) {
    try {
      return check(file, runParameters);
    } catch (RuntimeException e) {
      // A defect of ours must cost this file its check, not the whole batch its report. The
      // message names no content: the exception's text could quote the file.
      return new ValidationReport(file.toString(), List.of(Problem.error(Rule.FILE_FORMAT,
          SourcePosition.wholeFile(file.toString()), "$", "kfpci failed while checking this file (internal error "
              + e.getClass().getSimpleName() + ")", "please report it, with the file, as a kfpci bug")));
    }
  }

  private static ValidationReport check(Path file, Map<String, String> runParameters) {
    PipelineDocument document;
    try {
      document = PipelineLoader.load(file);
    } catch (InvalidPipelineException e) {
      return new ValidationReport(file.toString(), e.problems());
    } catch (IOException e) {
      return new ValidationReport(file.toString(), List.of(Problem.error(Rule.FILE_FORMAT,
          SourcePosition.wholeFile(file.toString()), "$", "cannot read the file: " + reason(e), "")));
    }
    ValidationReport report = validate(document);
    if (runParameters.isEmpty()) {
      return report;
    }
    List<Problem> problems = new ArrayList<>(report.problems());
    problems.addAll(RunParameters.check(document, runParameters));
    return new ValidationReport(report.source(), problems);
  }

  /** The JDK names only the path for these; say what happened. */
  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage();
  }
}
