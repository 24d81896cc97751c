package io.kfpci.problem;

import java.util.Objects;

/**
 * One finding about a pipeline file: what is wrong, where (file:line:column and the JSON path of
 * the field), and how to fix it. Immutable; safe to share between threads. Its texts are kept
 * printable ({@link Printable}): control characters from the input never reach a console raw.
 *
 * @param jsonPath path of the offending field, e.g. {@code $.root.dag.tasks['train'].componentRef}
 * @param hint how to fix it; empty when the message says it all
 */
public record Problem(
    Severity severity,
    Rule rule,
    SourcePosition position,
    String jsonPath,
    String message,
    String hint) {

  public Problem {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(message, "message");
    jsonPath = jsonPath == null ? "$" : Printable.escape(jsonPath);
    message = Printable.escape(message);
    hint = hint == null ? "" : Printable.escape(hint);
  }

  public static Problem error(Rule rule, SourcePosition at, String jsonPath, String message, String hint) {
    return new Problem(Severity.ERROR, rule, at, jsonPath, message, hint);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  public String ruleId() {
    return rule.id();
  }

  /** The compiler-style line: {@code file:line:col: error KFP020: message}. */
  public String headline() {
    return position + ": " + severity.label() + " " + rule.id() + ": " + message;
  }
}
