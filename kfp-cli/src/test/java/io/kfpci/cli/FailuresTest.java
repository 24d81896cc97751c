package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;

/** An I/O failure says which file and why, in words a user can act on. */
class FailuresTest {

  @Test
  void saysWhyAPathCannotBeWritten() {
    assertThat(Failures.describe(new AccessDeniedException("out/summary.json")))
        .isEqualTo("out/summary.json: permission denied; check that you may write there, or choose another path");
    assertThat(Failures.describe(new FileSystemException("kfp-runs/p/r1/summary.json", null, "No space left on device")))
        .isEqualTo("kfp-runs/p/r1/summary.json: No space left on device");
    assertThat(Failures.describe(new NotDirectoryException("kfp-runs"))).isEqualTo("kfp-runs: not a directory");
    assertThat(Failures.describe(new NoSuchFileException("in.yaml"))).isEqualTo("in.yaml: no such file or directory");
    assertThat(Failures.describe(new FileSystemException("a", "b", null))).isEqualTo("a -> b: FileSystemException");
    assertThat(Failures.describe(new IOException("Broken pipe"))).isEqualTo("Broken pipe");
  }
}
