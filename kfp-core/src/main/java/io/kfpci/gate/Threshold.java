package io.kfpci.gate;

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
import java.util.Map;

/**
 * The right-hand side of a rule: a number, or arithmetic over numbers and {@code baseline} (the
 * same metric in the last successful run), such as {@code baseline - 0.01} or
 * {@code baseline * 0.98}. Parsed with CEL's parser, so syntax errors carry CEL's message and an
 * exact column; evaluated in doubles, because metrics are doubles and CEL itself would refuse
 * {@code baseline - 1} (no int/double overload). Immutable and thread-safe.
 */
public final class Threshold {
  /** The one name a threshold may read. */
  public static final String BASELINE = "baseline";

  private static final CelParser PARSER = CelParserFactory.standardCelParserBuilder().build();
  private static final Map<String, String> OPERATORS = Map.of(
      "_+_", "+", "_-_", "-", "_*_", "*", "_/_", "/", "-_", "unary -");

  private final String text;
  private final CelExpr expr;
  private final boolean usesBaseline;

  private Threshold(String text, CelExpr expr, boolean usesBaseline) {
    this.text = text;
    this.expr = expr;
    this.usesBaseline = usesBaseline;
  }

  /**
   * Parses {@code text}. {@code column} is where it starts in the whole rule (1-based), so that
   * errors point into the rule as the user wrote it.
   *
   * @throws RuleSyntaxException with the 1-based column in the rule
   */
  static Threshold parse(String text, int column) throws RuleSyntaxException {
    CelValidationResult result = PARSER.parse(text, "threshold");
    if (result.hasError()) {
      CelIssue first = result.getErrors().get(0);
      CelSourceLocation at = first.getSourceLocation();
      int offset = at.equals(CelSourceLocation.NONE) ? 0 : at.getColumn();
      throw new RuleSyntaxException(column + offset, first.getMessage());
    }
    CelAbstractSyntaxTree ast;
    try {
      ast = result.getAst();
    } catch (CelValidationException e) {
      throw new RuleSyntaxException(column, e.getMessage());
    }
    Map<Long, Integer> positions = ast.getSource().getPositionsMap();
    List<String> names = new ArrayList<>();
    check(ast.getExpr(), positions, column, names);
    return new Threshold(text, ast.getExpr(), names.contains(BASELINE));
  }

  /** The threshold as written. */
  public String text() {
    return text;
  }

  /** Whether it reads {@code baseline}, so cannot be evaluated without one. */
  public boolean usesBaseline() {
    return usesBaseline;
  }

  /**
   * The threshold's value.
   *
   * @param baseline the baseline metric, or null when there is none (only allowed when
   *     {@link #usesBaseline()} is false)
   */
  public double evaluate(Double baseline) {
    if (usesBaseline && baseline == null) {
      throw new IllegalStateException("threshold '" + text + "' needs a baseline");
    }
    return eval(expr, baseline == null ? Double.NaN : baseline);
  }

  @Override
  public String toString() {
    return text;
  }

  /** Lets through numbers, {@code baseline}, + - * / and unary minus; anything else is an error at its column. */
  private static void check(CelExpr e, Map<Long, Integer> positions, int column, List<String> names)
      throws RuleSyntaxException {
    int at = column + positions.getOrDefault(e.id(), 0);
    switch (e.getKind()) {
      case CONSTANT -> {
        CelConstant.Kind kind = e.constant().getKind();
        if (kind != CelConstant.Kind.INT64_VALUE && kind != CelConstant.Kind.UINT64_VALUE
            && kind != CelConstant.Kind.DOUBLE_VALUE) {
          throw new RuleSyntaxException(at, "a threshold is a number, not a " + describe(kind));
        }
      }
      case IDENT -> {
        String name = e.ident().name();
        if (!BASELINE.equals(name)) {
          throw new RuleSyntaxException(at, "unknown name '" + name
              + "'; a threshold may use numbers, '" + BASELINE + "' and + - * /");
        }
        names.add(name);
      }
      case CALL -> {
        CelExpr.CelCall call = e.call();
        if (!OPERATORS.containsKey(call.function()) || call.target().isPresent()) {
          // CEL places a call at its '('; point at the function's name instead.
          int name = at - call.function().length();
          throw new RuleSyntaxException(name >= column ? name : at, "'" + call.function().replace("_", "")
              + "' is not allowed; a threshold may use numbers, '" + BASELINE + "' and + - * /");
        }
        for (CelExpr arg : call.args()) {
          check(arg, positions, column, names);
        }
      }
      default -> throw new RuleSyntaxException(at,
          "a threshold may use numbers, '" + BASELINE + "' and + - * /, not a " + e.getKind().name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  private static String describe(CelConstant.Kind kind) {
    return switch (kind) {
      case STRING_VALUE -> "string";
      case BOOLEAN_VALUE -> "bool";
      case BYTES_VALUE -> "bytes value";
      case NULL_VALUE -> "null";
      default -> kind.name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static double eval(CelExpr e, double baseline) {
    return switch (e.getKind()) {
      case CONSTANT -> switch (e.constant().getKind()) {
        case INT64_VALUE -> (double) e.constant().int64Value();
        case UINT64_VALUE -> e.constant().uint64Value().doubleValue();
        default -> e.constant().doubleValue();
      };
      case IDENT -> baseline;
      case CALL -> {
        List<CelExpr> args = e.call().args();
        yield switch (e.call().function()) {
          case "_+_" -> eval(args.get(0), baseline) + eval(args.get(1), baseline);
          case "_-_" -> eval(args.get(0), baseline) - eval(args.get(1), baseline);
          case "_*_" -> eval(args.get(0), baseline) * eval(args.get(1), baseline);
          case "_/_" -> eval(args.get(0), baseline) / eval(args.get(1), baseline);
          case "-_" -> -eval(args.get(0), baseline);
          default -> throw new IllegalStateException("checked at parse time: " + e.call().function());
        };
      }
      default -> throw new IllegalStateException("checked at parse time: " + e.getKind());
    };
  }

  /** A rule text that does not parse, with the 1-based column of the problem. */
  static final class RuleSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int column;

    RuleSyntaxException(int column, String message) {
      super(message);
      this.column = column;
    }

    int column() {
      return column;
    }
  }
}
