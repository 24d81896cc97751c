package io.kfpci.testing;

import io.kfpci.ir.PipelineDocument;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.problem.Problem;
import io.kfpci.validate.ValidationReport;
import io.kfpci.validate.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;

/**
 * Test fixtures under {@code src/test/resources/<package>/<TestClass>/}, where {@code <package>}
 * is the test's package below {@code io.kfpci}. Problems cite the fixture by its bare name, so
 * expected positions read like {@code cycle.yaml:14:7}.
 */
public final class Fixtures {
  private Fixtures() {}

  public static byte[] bytes(Class<?> test, String name) {
    String resource = "/" + test.getPackageName().replaceFirst("^io\\.kfpci\\.?", "").replace('.', '/')
        + "/" + test.getSimpleName() + "/" + name;
    try (InputStream in = test.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test fixture " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static PipelineDocument load(Class<?> test, String name) throws InvalidPipelineException {
    return PipelineLoader.load(name, bytes(test, name));
  }

  /** Loads and validates a fixture; a fixture that does not load gives its load problems. */
  public static ValidationReport validate(Class<?> test, String name) {
    try {
      return Validator.validate(load(test, name));
    } catch (InvalidPipelineException e) {
      return new ValidationReport(name, e.problems());
    }
  }

  /** The fixture's problems as {@link #line(Problem)}s, in report order. */
  public static List<String> problems(Class<?> test, String name) {
    return lines(validate(test, name).problems());
  }

  /** The hints of the fixture's problems, in report order ("" where a problem has none). */
  public static List<String> hints(Class<?> test, String name) {
    return validate(test, name).problems().stream().map(Problem::hint).toList();
  }

  public static List<String> lines(Collection<Problem> problems) {
    return problems.stream().map(Fixtures::line).toList();
  }

  /** {@code error KFP023 cycle.yaml:14:7 $.root.dag.tasks.a: message}: everything but the hint. */
  public static String line(Problem p) {
    return p.severity().label() + " " + p.ruleId() + " " + p.position() + " " + p.jsonPath() + ": "
        + p.message();
  }
}
