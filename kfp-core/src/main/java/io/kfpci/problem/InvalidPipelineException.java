package io.kfpci.problem;

import io.kfpci.KfpException;
import java.util.List;

/** A pipeline file (or run parameters) that cannot be used; carries every problem found. */
public class InvalidPipelineException extends KfpException {
  private static final long serialVersionUID = 1L;

  private final List<Problem> problems;

  public InvalidPipelineException(List<Problem> problems) {
    super(summarize(problems));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String summarize(List<Problem> problems) {
    if (problems.isEmpty()) {
      return "invalid pipeline";
    }
    String first = problems.get(0).headline();
    return problems.size() == 1 ? first : first + " (and " + (problems.size() - 1) + " more)";
  }
}
