package io.kfpci.python;

import java.nio.file.Path;
import java.util.List;

/** A ready managed virtual environment: its directory, interpreter and installed requirements. */
public record Venv(Path directory, List<String> requirements) {
  public Venv {
    requirements = List.copyOf(requirements);
  }

  public Path python() {
    return directory.resolve("bin").resolve("python");
  }

  public Path bin() {
    return directory.resolve("bin");
  }
}
