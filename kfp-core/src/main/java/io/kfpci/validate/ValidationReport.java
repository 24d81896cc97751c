package io.kfpci.validate;

import io.kfpci.problem.Problem;
import java.util.List;
import java.util.Objects;

/** The problems found in one file, errors first, then by line. */
public record ValidationReport(String source, List<Problem> problems) {

  public ValidationReport {
    Objects.requireNonNull(source, "source");
    problems = problems.stream()
        .sorted(java.util.Comparator.comparing(Problem::severity)
            .thenComparingInt(p -> p.position().line())
            .thenComparingInt(p -> p.position().column())
            .thenComparing(Problem::ruleId))
        .toList();
  }

  public boolean hasErrors() {
    return problems.stream().anyMatch(Problem::isError);
  }

  public long errorCount() {
    return problems.stream().filter(Problem::isError).count();
  }

  public long warningCount() {
    return problems.size() - errorCount();
  }
}
