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
import io.kfpci.validate.internal.ProblemSink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

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
    DagRules.check(document, sink);
    ExecutorRules.check(document, sink);
    return new ValidationReport(document.source(), sink.problems());
  }

  /** Loads and validates a file; a file that does not load gives its load problems. */
  public static ValidationReport validate(Path file) {
    try {
      return validate(PipelineLoader.load(file));
    } catch (InvalidPipelineException e) {
      return new ValidationReport(file.toString(), e.problems());
    } catch (IOException e) {
      return new ValidationReport(file.toString(), List.of(Problem.error(Rule.FILE_FORMAT,
          SourcePosition.wholeFile(file.toString()), "$", "cannot read the file: " + e.getMessage(), "")));
    }
  }
}
