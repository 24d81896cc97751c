package io.kfpci.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;

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

  /**
   * ../shared/kfp/compiled-pipelines, or empty when the shared inputs are not beside the repo.
   * KFPCI_SHARED_DIR names the shared inputs' directory instead (for a checkout elsewhere, e.g. a
   * git worktree); when set, it must hold the corpus.
   */
  public static Optional<Path> sharedCorpus() {
    String configured = System.getenv("KFPCI_SHARED_DIR");
    if (configured != null && !configured.isBlank()) {
      Path corpus = Path.of(configured, "kfp", "compiled-pipelines").toAbsolutePath().normalize();
      Assertions.assertTrue(Files.isDirectory(corpus), "KFPCI_SHARED_DIR is set to " + configured
          + " but " + corpus + " is not a directory; fix or unset KFPCI_SHARED_DIR");
      return Optional.of(corpus);
    }
    Path corpus = repoRoot().resolve("../shared/kfp/compiled-pipelines").normalize();
    return Files.isDirectory(corpus) ? Optional.of(corpus) : Optional.empty();
  }

  /** The shared corpus; without it the test skips locally and fails under CI ({@link RealParts}). */
  public static Path requireSharedCorpus() {
    Optional<Path> corpus = sharedCorpus();
    RealParts.require(corpus.isPresent(), "the shared KFP corpus ../shared/kfp/compiled-pipelines is not beside"
        + " the repository root (" + repoRoot() + "); put it there or set KFPCI_SHARED_DIR");
    return corpus.orElseThrow();
  }
}
