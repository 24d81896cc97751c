package io.kfpci.validate.internal;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.parser.CelParser;
import dev.cel.parser.CelParserFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses KFP trigger conditions with CEL-Java and lists the task inputs they read. The KFP driver
 * evaluates them with cel-go over the task's ExecutorInput, so the inputs are written
 * {@code inputs.parameter_values['name']} (or {@code inputs.parameters['name']},
 * {@code inputs.artifacts['name']}).
 */
public final class Conditions {
  private static final CelParser PARSER = CelParserFactory.standardCelParserBuilder().build();

  private Conditions() {}

  /** An input a condition reads: {@code kind} is parameter_values, parameters or artifacts. */
  public record InputReference(String kind, String name) {}

  /** The parsed condition, or the parser's message. */
  public record Parsed(Optional<CelAbstractSyntaxTree> ast, String error, List<InputReference> inputs) {}

  public static Parsed parse(String condition) {
    CelValidationResult result = PARSER.parse(condition, "condition");
    if (result.hasError()) {
      return new Parsed(Optional.empty(), describe(result.getErrors()), List.of());
    }
    try {
      CelAbstractSyntaxTree ast = result.getAst();
      List<InputReference> references = new ArrayList<>();
      collect(ast.getExpr(), references);
      return new Parsed(Optional.of(ast), "", references);
    } catch (CelValidationException e) {
      return new Parsed(Optional.empty(), e.getMessage(), List.of());
    }
  }

  /**
   * The parser's issues on one line ("missing ')' at '<EOF>' (column 61)"): CEL's own display
   * string spans three lines with a caret, which would break the one-line-per-problem output.
   */
  private static String describe(List<CelIssue> issues) {
    List<String> parts = new ArrayList<>();
    for (CelIssue issue : issues) {
      CelSourceLocation at = issue.getSourceLocation();
      String where = at.getLine() > 1 ? "line " + at.getLine() + ", column " + (at.getColumn() + 1)
          : "column " + (at.getColumn() + 1);
      parts.add(issue.getMessage() + (at.equals(CelSourceLocation.NONE) ? "" : " (" + where + ")"));
    }
    return String.join("; ", parts);
  }

  private static void collect(CelExpr expr, List<InputReference> out) {
    switch (expr.getKind()) {
      case CALL -> {
        CelExpr.CelCall call = expr.call();
        if (call.function().equals("_[_]") && call.args().size() == 2) {
          inputReference(call.args().get(0), call.args().get(1)).ifPresent(out::add);
        }
        call.target().ifPresent(t -> collect(t, out));
        call.args().forEach(a -> collect(a, out));
      }
      case SELECT -> collect(expr.select().operand(), out);
      case LIST -> expr.list().elements().forEach(e -> collect(e, out));
      case MAP -> expr.map().entries().forEach(e -> {
        collect(e.key(), out);
        collect(e.value(), out);
      });
      case STRUCT -> expr.struct().entries().forEach(e -> collect(e.value(), out));
      case COMPREHENSION -> {
        CelExpr.CelComprehension c = expr.comprehension();
        collect(c.iterRange(), out);
        collect(c.accuInit(), out);
        collect(c.loopCondition(), out);
        collect(c.loopStep(), out);
        collect(c.result(), out);
      }
      default -> { }
    }
  }

  private static Optional<InputReference> inputReference(CelExpr container, CelExpr key) {
    if (container.getKind() != CelExpr.ExprKind.Kind.SELECT
        || key.getKind() != CelExpr.ExprKind.Kind.CONSTANT) {
      return Optional.empty();
    }
    CelExpr.CelSelect select = container.select();
    CelExpr operand = select.operand();
    if (operand.getKind() != CelExpr.ExprKind.Kind.IDENT || !operand.ident().name().equals("inputs")) {
      return Optional.empty();
    }
    CelConstant constant = key.constant();
    if (constant.getKind() != CelConstant.Kind.STRING_VALUE) {
      return Optional.empty();
    }
    return Optional.of(new InputReference(select.field(), constant.stringValue()));
  }
}
