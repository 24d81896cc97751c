package io.kfpci.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** Where the repository and the shared inputs beside it are, for tests. */
public final class RepoPaths {
  private RepoPaths() {}

  /** The repository root: the directory holding mvnw, found from the working directory upwards. */
  public static Path repoRoot() {
    String configured = System.getProperty("kfpci.repo.root");
    if (configured != null && Files.isRegularFile(Path.of(configured, "mvnw"))) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root (no mvnw above the working directory)");
    }
    return dir;
  }

  /** ../shared/kfp/compiled-pipelines, or empty when the shared inputs are not beside the repo. */
  public static Optional<Path> sharedCorpus() {
    Path corpus = repoRoot().resolve("../shared/kfp/compiled-pipelines").normalize();
    return Files.isDirectory(corpus) ? Optional.of(corpus) : Optional.empty();
  }

  /** The shared corpus, or a skipped test saying why. */
  public static Path requireSharedCorpus() {
    Optional<Path> corpus = sharedCorpus();
    Assumptions.assumeTrue(corpus.isPresent(),
        "skipped: ../shared/kfp/compiled-pipelines is not beside the repository root");
    return corpus.get();
  }
}
