package io.kfpci.emulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared inputs (../shared/kfp) for the emulator's tests: found as the emulator finds its
 * swagger ($KFPCI_SHARED_DIR, else shared/ beside the repository). Absent, a test skips saying why;
 * in CI (CI set) it fails instead.
 */
final class SharedInputs {
  private SharedInputs() {}

  /** ../shared/kfp. */
  static Path kfp() {
    Path swagger = KfpEmulator.locateSwagger(Path.of("").toAbsolutePath(), System.getenv());
    boolean present = Files.isRegularFile(swagger.resolve("kfp_api_single_file.swagger.json"));
    String why = "the shared KFP inputs are not beside the repository (looked for " + swagger
        + "); set KFPCI_SHARED_DIR to the directory holding kfp/";
    if (!present && System.getenv("CI") != null) {
      throw new AssertionError(why);
    }
    Assumptions.assumeTrue(present, "skipped: " + why);
    return swagger.getParent();
  }

  static Path swaggerDir() {
    return kfp().resolve("api-v2beta1");
  }

  static Map<String, String> noEnvironment() {
    return Map.of();
  }
}
