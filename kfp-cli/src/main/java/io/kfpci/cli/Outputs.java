package io.kfpci.cli;

import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.problem.Problem;
import io.kfpci.problem.SourcePosition;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small helpers for the files a command writes and the problems it reports. */
final class Outputs {
  private Outputs() {}

  /**
   * Checks before any work that {@code file} can be written: its directory exists or can be
   * created, and is writable, and the file itself is not a directory. A run that took minutes
   * should not fail at the end on a typo in an output path.
   */
  static void checkWritableFile(Path file, String option) throws IOException {
    Path absolute = file.toAbsolutePath().normalize();
    if (Files.isDirectory(absolute)) {
      throw new FileSystemException(file.toString(), null, "is a directory; " + option + " needs a file name");
    }
    Path parent = absolute.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
      if (!Files.isWritable(parent)) {
        throw new AccessDeniedException(parent.toString());
      }
    }
    if (Files.exists(absolute) && !Files.isWritable(absolute)) {
      throw new AccessDeniedException(file.toString());
    }
  }

  /**
   * The problems of a pipeline compiled from {@code source} name the compiled IR, a temporary file
   * the user never sees: name the .py instead (the IR's line is meaningless there), keeping the
   * run parameter problems ({@code -p NAME}) as they are.
   */
  static InvalidPipelineException againstSource(InvalidPipelineException e, Path source) {
    List<Problem> problems = e.problems().stream().map(p -> {
      String file = p.position().file();
      return file.startsWith("-p ") || file.equals(source.toString()) ? p
          : new Problem(p.severity(), p.rule(), SourcePosition.wholeFile(source.toString()), p.jsonPath(),
              p.message(), p.hint());
    }).toList();
    return new InvalidPipelineException(problems);
  }
}
