package io.kfpci.validate.internal;

import io.kfpci.ir.FieldPath;
import io.kfpci.ir.SourceMap;
import io.kfpci.problem.Problem;
import io.kfpci.problem.Rule;
import io.kfpci.problem.Severity;
import java.util.ArrayList;
import java.util.List;

/** Collects problems, placing each at the source position of its field. Not thread-safe. */
public final class ProblemSink {
  private final SourceMap sourceMap;
  private final List<Problem> problems = new ArrayList<>();

  public ProblemSink(SourceMap sourceMap) {
    this.sourceMap = sourceMap;
  }

  public void error(Rule rule, FieldPath at, String message, String hint) {
    add(Severity.ERROR, rule, at, message, hint);
  }

  public void warning(Rule rule, FieldPath at, String message, String hint) {
    add(Severity.WARNING, rule, at, message, hint);
  }

  private void add(Severity severity, Rule rule, FieldPath at, String message, String hint) {
    problems.add(new Problem(severity, rule, sourceMap.positionOf(at), at.toString(), message, hint));
  }

  public List<Problem> problems() {
    return List.copyOf(problems);
  }
}
